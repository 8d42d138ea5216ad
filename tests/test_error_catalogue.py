"""docs/errors.md is generated from the source (meetingday/error_catalogue.py) and kept current.

When a DomainError is added, removed or reworded, the first test fails until the catalogue is
regenerated (the command is in its message). The others check that the scan follows the forms
the package writes errors in.
"""
from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

from meetingday import error_catalogue
from meetingday.error_catalogue import Entry

ERRORS_MD = Path(__file__).resolve().parent.parent / "docs" / "errors.md"


def test_docs_errors_md_is_current():
    expected = error_catalogue.render(error_catalogue.scan())
    saved = ERRORS_MD.read_text(encoding="utf-8") if ERRORS_MD.exists() else ""
    if saved != expected:
        diff = "\n".join(list(difflib.unified_diff(saved.splitlines(), expected.splitlines(), "docs/errors.md",
                                                   "the source", lineterm=""))[:40])
        raise AssertionError(f"docs/errors.md is out of date; regenerate it with\n\n"
                             f"    {error_catalogue.REGENERATE}\n\n{diff}")


def test_every_error_of_the_package_has_its_code_and_status():
    entries = error_catalogue.scan()
    unfollowed = [f"{e.module}: {e.source or e.code}" for e in entries if e.code is None or e.status is None]
    assert not unfollowed, ("error_catalogue cannot tell the code or status of these; write them as literals, "
                            "or as parameters of a function whose calls pass literals:\n" + "\n".join(unfollowed))
    codes = {e.code for e in entries}
    # Codes written in several ways: plain, through text.reason's f-string, through a helper's parameter.
    assert {"item_not_found", "undo_reason_required", "reopen_reason_too_long", "item_changed"} <= codes


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "pkg"


def test_scan_follows_helpers_assignments_and_imports(tmp_path):
    # a.find_header passes its caller's message on to a.changed: two levels of helpers.
    package = _package(tmp_path, {
        "__init__.py": "",
        "text.py": """
            def reason(text, code, missing_message):
                if not text:
                    raise DomainError(f"{code}_required", missing_message, field="reason")
                raise DomainError(f"{code}_too_long", _l("Quá dài."))
            """,
        "services/__init__.py": "",
        "services/a.py": """
            from ..text import reason as text_reason

            def undo(why):
                text_reason(why, "undo_reason", _l("Nhập lý do."))

            def changed(message, status=409):
                return DomainError("changed", message, status=status)

            def edit():
                raise changed(_l("Đã sửa."))

            def find_header(data, *, no_header):
                if not data:
                    raise changed(no_header)

            def either(flag):
                message = _l("Một.") if flag else _l("Hai.")
                raise DomainError("either", message, 404)

            def add(title):
                def apply():
                    raise DomainError("duplicate", _l("Đã có “%(title)s”.", title=title), status=409)
                return apply

            def anything(code):
                raise DomainError(code, _l("Lỗi."))
            """,
        "services/b.py": """
            from . import a
            from .. import errors

            def remove():
                raise a.changed(_l("Đã xóa."), 410)

            def plain():
                raise errors.DomainError(code="plain", message=_l("Trơn."))

            a.add("Mục 1")
            a.find_header(b"", no_header=_l("Không có dòng tiêu đề."))
            """,
    })
    found = {(e.code, e.status, e.message, e.module, e.via) for e in error_catalogue.scan(package)}
    assert found == {
        ("undo_reason_required", 400, "Nhập lý do.", "services/a.py", "text.reason"),
        ("undo_reason_too_long", 400, "Quá dài.", "services/a.py", "text.reason"),
        ("changed", 409, "Đã sửa.", "services/a.py", "changed"),
        ("changed", 410, "Đã xóa.", "services/b.py", "a.changed"),
        ("changed", 409, "Không có dòng tiêu đề.", "services/b.py", "a.find_header"),
        ("either", 404, "Một.", "services/a.py", ""),
        ("either", 404, "Hai.", "services/a.py", ""),
        ("duplicate", 409, "Đã có “%(title)s”.", "services/a.py", ""),
        (None, 400, "Lỗi.", "services/a.py", ""),
        ("plain", 400, "Trơn.", "services/b.py", ""),
    }


def test_render_lists_each_code_once_per_message_and_says_what_it_cannot_follow():
    text = error_catalogue.render([
        Entry("item_not_found", 404, "Không tìm thấy mục này.", "services/agenda.py"),
        Entry("item_not_found", 404, "Không tìm thấy mục này.", "services/flow.py"),
        Entry("reason_required", 400, "Nhập lý do | vắng.", "services/attendance.py", "text.reason"),
        Entry(None, 400, None, "services/x.py", "", "DomainError(code, message)"),
    ])
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| code")]
    assert rows == [
        "| `item_not_found` | 404 | Không tìm thấy mục này. | `services/agenda.py`, `services/flow.py` |",
        "| `reason_required` | 400 | Nhập lý do \\| vắng. | `services/attendance.py` (through `text.reason`) |",
        "| built at run time: `DomainError(code, message)` | 400 | (set at run time) | `services/x.py` |",
    ]
    assert error_catalogue.REGENERATE in text
