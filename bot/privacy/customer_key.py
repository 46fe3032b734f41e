"""The customer key: something that identifies a customer (加入者番号, 契約番号, 電話番号),
reduced to one canonical form so that reports about the same customer can be linked.

The rule, applied to what the reporter typed:

1. Unicode NFKC (full-width ０９０ and ＡＢ become 090 and AB), then case folding.
2. Only ASCII letters and digits are kept. Spaces, hyphens and dashes of every kind
   (-, ‐, －, ー, —), brackets, dots, slashes, colons and any Japanese label around the
   number (「加入者番号」, 「電話」, 「様」) are dropped: they are how the number was
   written, not the number.
3. When what is left is a label word followed only by digits (`tel`, `phone`, `fax`, `no`,
   `id`), the word goes too.
4. A number written internationally with +81 is written nationally: `+81 90-…` → `090…`.
5. At least 4 characters must remain; fewer identify nobody and the form says so.

So 「加入者番号 12-3456-789」, 「１２３４５６７８９」 and 「123456789」 are one key, and
「090-1234-5678」, 「０９０ー１２３４ー５６７８」, 「TEL:090(1234)5678」 and
「+81 90 1234 5678」 are another. Letters stay, so a contract code such as 「AB-1234」
becomes `ab1234` and never meets the number 1234.
"""

from __future__ import annotations

import re
import unicodedata

KEY_MIN = 4  # characters of the canonical form
KEY_INPUT_MAX = 100  # characters the reporter may type
_KEEP = re.compile(r"[^0-9a-z]")
_LABELLED_NUMBER = re.compile(r"^(?:tel|phone|fax|no|id)(\d+)$")
_INTERNATIONAL_JP = re.compile(r"^\s*\+\s*81")


def normalise(text: str | None) -> str | None:
    """The canonical form of a customer key, or None when nothing identifying is left
    (empty, or fewer than KEY_MIN letters and digits)."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    key = _KEEP.sub("", folded)
    labelled = _LABELLED_NUMBER.match(key)
    if labelled:
        key = labelled.group(1)
    if _INTERNATIONAL_JP.match(folded) and key.startswith("81") and key[2:].isdigit():
        key = "0" + key[2:]
    return key if len(key) >= KEY_MIN else None
