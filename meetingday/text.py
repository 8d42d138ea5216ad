"""Text helpers: folding Vietnamese for diacritics-insensitive search, cleaning typed text."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from .errors import DomainError

_SPACES = re.compile(r"\s+")
MAX_REASON = 300  # an excuse, the reason for an undo: one line


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


def reason(text: str | None, code: str, missing_message) -> str:
    """A reason someone typed (why absent, why undone): cleaned, required, one line long.
    Refused as `<code>_required` or `<code>_too_long`."""
    value = clean(text)
    if not value:
        raise DomainError(f"{code}_required", missing_message, field="reason")
    if len(value) > MAX_REASON:
        raise DomainError(f"{code}_too_long", _l("Lý do quá dài (tối đa 300 ký tự)."), field="reason")
    return value


MAX_NOTE = 20_000  # a note, a conclusion: pages, not a book


def block(text: str | None, *, limit: int = MAX_NOTE) -> str:
    """Text of several lines someone typed (a note, a conclusion): composed (NFC) letters, no
    control characters, each line trimmed, no runs of blank lines, no blank start or end.
    Refused as `text_too_long` past ``limit`` characters."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = "".join(" " if c.isspace() else c for c in line
                       if c.isspace() or unicodedata.category(c)[0] != "C")
        lines.append(_SPACES.sub(" ", line).strip())
    value = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if len(value) > limit:
        shown = format(limit, ",").replace(",", ".")  # 20.000, as Vietnamese write it
        raise DomainError("text_too_long", _l("Văn bản quá dài (tối đa %(limit)s ký tự).", limit=shown),
                          field="text")
    return value
