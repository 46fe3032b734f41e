"""Authenticated encryption of report text at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


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
