"""Text helpers: folding Vietnamese for diacritics-insensitive search."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc': lower case, no diacritics, single spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def clean(text: str | None) -> str:
    """Trim, join runs of white space, drop control characters, and use the composed (NFC)
    form of Vietnamese letters."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if c.isspace() else c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return _SPACES.sub(" ", text).strip()
