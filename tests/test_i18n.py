"""The English catalogue is complete and the committed .mo matches it.

Vietnamese is the source language: the msgids are the Vietnamese UI text, and only `en` has a
catalogue. These tests extract the strings from the sources the same way
meetingday/translations/update.sh does, so a new string without an English translation fails
the build (fix: run update.sh, translate, commit the .po and .mo; see docs/translations.md).
"""
from __future__ import annotations

import gettext
import io
import re
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "meetingday" / "translations"
BABEL_CFG = TRANSLATIONS / "babel.cfg"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
UPDATE = "PATH=.venv/bin:$PATH meetingday/translations/update.sh"

# The same keywords as update.sh: Babel's defaults plus -k _l -k lazy_gettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# %(name)s style placeholders, with any conversion flags, width, precision and type.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")

# Proper names that may stay Vietnamese in English text (stripped before the check below).
KEEP_VIETNAMESE = ("HĐND", "UBND", "MTTQ", "Đức Phổ", "Quảng Ngãi",
                   "Đơn vị", "Nội dung", "Giao cho")  # the kiến nghị import's column names, typed as in the file

# Marks that make a letter Vietnamese once the text is decomposed (NFD): the five tone marks
# (grave, acute, tilde, hook above, dot below) and the circumflex, breve and horn of â ê ô ă ơ ư.
VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def _source_messages() -> dict[str, list[str]]:
    """msgid -> where it is used, extracted in-process with babel.cfg's method map."""
    with open(BABEL_CFG, encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(BABEL_CFG))
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def _catalogue():
    with open(EN_PO, "rb") as f:
        return read_po(f, locale="en")


def _entries():
    return [m for m in _catalogue() if m.id]


def _pairs(translations: gettext.GNUTranslations) -> set[tuple[str, str]]:
    # GNUTranslations keeps every entry of the .mo in _catalog; "" is the header.
    return {(k if isinstance(k, str) else repr(k), v)
            for k, v in translations._catalog.items() if k != ""}


def _msgids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _msgstrs(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def source_messages():
    messages = _source_messages()
    assert messages, "extraction found no messages: is babel.cfg right?"
    return messages


def test_every_source_string_is_translated(source_messages):
    catalogue = _catalogue()
    problems = []
    for msgid, where in sorted(source_messages.items()):
        entry = catalogue.get(msgid)
        if entry is None:
            problems.append(f"not in the en catalogue: {msgid!r} ({', '.join(where)})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({', '.join(where)})")
        elif not all(s.strip() for s in _msgstrs(entry)):
            problems.append(f"no English text: {msgid!r} ({', '.join(where)})")
    assert not problems, (
        f"{len(problems)} UI string(s) without an English translation. Run `{UPDATE}`, translate "
        f"them in {EN_PO.relative_to(ROOT)}, then run update.sh again to compile:\n  "
        + "\n  ".join(problems))


def test_catalogue_has_no_fuzzy_or_obsolete_entries():
    catalogue = _catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy"
    assert not [m.id for m in catalogue if m.id and m.fuzzy]
    assert not catalogue.obsolete, f"obsolete entries: {list(catalogue.obsolete)}"


def test_placeholders_match():
    mismatched = []
    for m in _entries():
        wanted = Counter(p for s in _msgids(m) for p in PLACEHOLDER.findall(s))
        for s in _msgstrs(m):
            got = Counter(PLACEHOLDER.findall(s))
            # A plural form may leave out the count, but it may not invent placeholders.
            if (got != wanted) if not isinstance(m.id, tuple) else not set(got) <= set(wanted):
                mismatched.append(f"{m.id!r}: {sorted(wanted.elements())} -> {s!r}")
    assert not mismatched, "placeholders differ between msgid and msgstr:\n  " + "\n  ".join(mismatched)


def test_committed_mo_matches_po():
    buf = io.BytesIO()
    write_mo(buf, _catalogue())
    buf.seek(0)
    expected = _pairs(gettext.GNUTranslations(buf))
    assert EN_MO.exists(), f"{EN_MO.relative_to(ROOT)} is missing: run `{UPDATE}`"
    with open(EN_MO, "rb") as f:
        committed = _pairs(gettext.GNUTranslations(f))
    stale = sorted(expected ^ committed)
    assert not stale, (f"{EN_MO.relative_to(ROOT)} is out of date with the .po; run `{UPDATE}`. "
                       f"Differences: {stale[:10]}")


def _vietnamese_letters(text: str) -> list[str]:
    for name in KEEP_VIETNAMESE:
        text = text.replace(name, "")
    letters = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        if ch in "đĐ" or any(c in VIETNAMESE_MARKS for c in decomposed[1:]):
            letters.append(ch)
    return letters


def test_vietnamese_letter_check_works():
    assert _vietnamese_letters("Đăng nhập") and _vietnamese_letters("thứ Hai")
    assert _vietnamese_letters("Ông") and _vietnamese_letters("Chủ trì")
    assert not _vietnamese_letters("HĐND Standing Committee, Đức Phổ – “Log in” · …")


def test_english_text_has_no_vietnamese_letters():
    """An English msgstr with Vietnamese letters is most likely a copy of the source."""
    suspicious = [f"{m.id!r} -> {s!r} ({''.join(_vietnamese_letters(s))})"
                  for m in _entries() for s in _msgstrs(m) if _vietnamese_letters(s)]
    assert not suspicious, ("English translations containing Vietnamese letters (translate them, or "
                            "add a proper name to KEEP_VIETNAMESE):\n  " + "\n  ".join(suspicious))


# The two tests below use the app fixtures of tests/conftest.py (the real app factory and
# config), so they check that the app actually serves the committed English catalogue.

def test_app_loads_the_english_catalogue(app):
    from flask_babel import gettext as _, lazy_gettext as _l, refresh

    from meetingday import filters

    # The fixture's app context is reused by these request contexts, and Flask-Babel caches
    # the chosen locale there: refresh() makes each one select its locale again.
    with app.test_request_context("/?lang=en"):
        refresh()
        assert _("Đăng nhập") == "Log in"
        assert str(_l("Thẻ đại biểu")) == "Delegate pass"
        assert filters.weekday(datetime(2024, 6, 17, 1, 0, tzinfo=timezone.utc)) == "Monday"
    with app.test_request_context("/"):  # Vietnamese, the default: the msgid itself
        refresh()
        assert _("Đăng nhập") == "Đăng nhập"
        assert filters.weekday(datetime(2024, 6, 17, 1, 0, tzinfo=timezone.utc)) == "thứ Hai"


def test_login_page_in_english(client):
    page = client.get("/login?lang=en")
    assert page.status_code == 200
    assert "Log in" in page.text and "Username" in page.text and "Password" in page.text
    assert "Đăng nhập" not in page.text


def test_a_scripts_request_is_answered_in_its_pages_language(client):
    """htmx and the door's and desk's scripts send X-Page-Lang: a page opened with ?lang=en (no
    cookie) gets its fragments in English; the page's language beats the cookie, ?lang= beats both."""
    assert "Log in" in client.get("/login", headers={"X-Page-Lang": "en"}).text
    client.set_cookie("lang", "en")
    english_cookie = client.get("/login", headers={"X-Page-Lang": "vi"}).text
    assert "Đăng nhập" in english_cookie and "Log in" not in english_cookie
    assert "Log in" in client.get("/login?lang=en", headers={"X-Page-Lang": "vi"}).text
    assert "Log in" in client.get("/login", headers={"X-Page-Lang": "fr"}).text  # not one of ours: the cookie's
    client.set_cookie("lang", "de")
    assert "Đăng nhập" in client.get("/login", headers={"X-Page-Lang": "xx"}).text  # none usable: Vietnamese
