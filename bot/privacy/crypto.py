"""Authenticated encryption of report text at rest (Fernet: AES-128-CBC + HMAC-SHA256), and
keyed hashes (HMAC-SHA256) that let equal values be found without storing them readably."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# HKDF's `info`: the hash key is for this use only, so it is not the encryption key and a
# later use of the data key for something else gets a key of its own.
HASH_KEY_INFO = b"kasuhara-bot customer key hash v1"


class DataKeyError(Exception):
    """The data key is missing, malformed, or does not open stored text."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


class Cipher:
    """Encrypts with the first key; decrypts with any, so keys can be rotated."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise DataKeyError("KASUHARA_DATA_KEY is not set")
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode("ascii")) for k in keys])
            self._hash_keys = [_hash_key(k) for k in keys]
        except (ValueError, UnicodeEncodeError) as exc:
            raise DataKeyError(
                "KASUHARA_DATA_KEY must be urlsafe base64 of 32 bytes (kasuhara-bot gen-key)"
            ) from exc

    @classmethod
    def from_setting(cls, value: str) -> Cipher:
        """A comma-separated list: the new key first, older ones after it during rotation."""
        return cls([part for part in value.split(",") if part.strip()])

    def encrypt(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise DataKeyError(
                "stored report text cannot be opened with KASUHARA_DATA_KEY"
            ) from exc

    def rotate(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def keyed_hash(self, value: str) -> str:
        """HMAC-SHA256 of `value` (already in canonical form) under the hash key derived from
        the first (newest) data key: 64 hex characters. Equal values give equal hashes; without
        the data key the hash tells nothing about the value."""
        return self.keyed_hashes(value)[0]

    def keyed_hashes(self, value: str) -> tuple[str, ...]:
        """The hash of `value` under every key in the setting, newest first: during a key
        rotation a row may still carry the hash under the old key."""
        data = value.encode("utf-8")
        return tuple(hmac.new(k, data, hashlib.sha256).hexdigest() for k in self._hash_keys)


def _hash_key(fernet_key: str) -> bytes:
    """32 bytes derived from a data key with HKDF-SHA256 (RFC 5869)."""
    secret = base64.urlsafe_b64decode(fernet_key.strip().encode("ascii"))
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HASH_KEY_INFO)
    return hkdf.derive(secret)
