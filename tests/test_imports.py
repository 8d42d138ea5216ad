"""Importing invitees from .csv/.xlsx: parsing, per-row checks, the all-or-nothing rule,
the signed preview, and the upload → preview → confirm flow over HTTP."""
from __future__ import annotations

import csv
import html
import io
import itertools
import random
import re
import subprocess
import sys
import unicodedata
import zipfile

import openpyxl
import pytest
from itsdangerous import URLSafeTimedSerializer
from openpyxl.styles import Border, Side
from sqlalchemy import func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import AuditEntry, Invitee, InviteeCategory, Organisation, PassToken, Role
from meetingday.services import demo, imports, kien_nghi_import, meetings, tables

from .bigsheet import big_list, row_xml, xlsx
from .conftest import assert_unchanged, csrf_token, db_snapshot, fresh, login, make_user

VI_HEAD = ["Họ và tên", "Danh xưng", "Chức vụ", "Đơn vị", "Loại", "Điện thoại"]
EN_HEAD = ["Full name", "Honorific", "Position", "Unit", "Category", "Phone"]
PEOPLE = [
    ["Nguyễn Thị Hồng Nhung", "Bà", "Phó Chủ tịch HĐND xã", "Xã Phổ An", "Đại biểu", "0905 111 222"],
    ["Trương Quốc Việt", "Ông", "Hiệu trưởng", "Trường THCS Phổ Ninh", "Khách mời", "+84 914 222 333"],
    ["Đặng Thị Ánh Tuyết", "", "Chủ tịch UBND xã", "xa pho an", "", ""],
]
# What each of PEOPLE must become: honorific, position, organisation key (None: a new one), category, phone.
EXPECTED = {
    "Nguyễn Thị Hồng Nhung": ("Bà", "Phó Chủ tịch HĐND xã", "xa_pho_an", InviteeCategory.DELEGATE, "0905111222"),
    "Trương Quốc Việt": ("Ông", "Hiệu trưởng", None, InviteeCategory.GUEST, "0914222333"),  # +84 stored as 0…
    "Đặng Thị Ánh Tuyết": ("", "Chủ tịch UBND xã", "xa_pho_an", InviteeCategory.DELEGATE, None),
}
NEW_UNIT = "Trường THCS Phổ Ninh"
NEW_UNIT_WARNING = "Đơn vị mới “Trường THCS Phổ Ninh” sẽ được thêm."

EXCEL_BROKEN = "Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx."
NOT_UTF8 = "Tệp CSV cần được lưu bằng bảng mã UTF-8."
ONLY_XLSX_CSV = "Chỉ nhận tệp .xlsx hoặc .csv."
TAMPERED = "Dữ liệu xem trước không hợp lệ. Vui lòng tải tệp lên lại."


# --------------------------------------------------------------------------- building files

def csv_bytes(rows: list[list[str]], *, sep: str = ",", bom: bool = False, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Danh sách mời"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cp1258_bytes(text: str) -> bytes:
    """Vietnamese in Windows-1258: precomposed where the code page has it, else base + combining marks."""
    out = b""
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        for k in range(len(decomposed), 0, -1):
            try:
                out += unicodedata.normalize("NFC", decomposed[:k]).encode("cp1258") + \
                    decomposed[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:  # pragma: no cover - every Vietnamese letter has a Windows-1258 form
            raise AssertionError(f"cannot encode {ch!r}")
    return out


FORMATS = {
    "csv-utf8-bom-comma": lambda: ("danh-sach.csv", csv_bytes([VI_HEAD, *PEOPLE], bom=True)),
    "csv-utf8-comma": lambda: ("danh-sach.csv", csv_bytes([VI_HEAD, *PEOPLE])),
    "csv-utf8-bom-semicolon": lambda: ("danh-sach.csv", csv_bytes([VI_HEAD, *PEOPLE], sep=";", bom=True)),
    "csv-utf8-semicolon": lambda: ("danh-sach.csv", csv_bytes([VI_HEAD, *PEOPLE], sep=";")),
    "csv-english-comma": lambda: ("invitees.CSV", csv_bytes([EN_HEAD, *PEOPLE])),
    "csv-english-semicolon-bom": lambda: ("invitees.csv", csv_bytes([EN_HEAD, *PEOPLE], sep=";", bom=True)),
    "xlsx-vietnamese": lambda: ("danh-sach.xlsx", xlsx_bytes([VI_HEAD, *PEOPLE])),
    "xlsx-english": lambda: ("invitees.XLSX", xlsx_bytes([EN_HEAD, *PEOPLE])),
}

# One file with one problem per row: (row number in the file, cells, the error shown for that row).
ERROR_ROWS = [
    (2, ["Phan Văn Hùng", "Ông", "Cán bộ", "Xã Phổ An", "Đại biểu", "0905123456"], None),
    (3, ["", "Bà", "Cán bộ", "Xã Phổ An", "Đại biểu", ""], "Vui lòng nhập họ và tên."),
    (4, ["Lê Văn Tám", "Ông", "Cán bộ", "Xã Phổ An", "Đại biểu", "12345"], "Số điện thoại không hợp lệ."),
    (5, ["Hồ Thị Lan", "Bà", "Cán bộ", "Xã Phổ An", "VIP", ""],
     "Thành phần “VIP” không hợp lệ (Đại biểu hoặc Khách mời)."),
    (6, ["Mai Văn Sơn", "Cô", "Cán bộ", "Xã Phổ An", "Đại biểu", ""], "Danh xưng “Cô” không hợp lệ (Ông hoặc Bà)."),
    (7, ["phan van hung", "Ông", "Cán bộ", "Xã Phổ An", "Đại biểu", ""], "Trùng với dòng 2 trong tệp."),
    (8, ["Võ Thanh Bình", "Ông", "Chủ tịch HĐND thị xã", "Thường trực HĐND", "Đại biểu", ""],
     "Đã có trong danh sách mời."),  # a demo invitee, already on the list
    (9, ["Tô Thị Hạnh", "Bà", "Thư ký", "Phường Phổ Ninh", "Khách mời", ""], None),
]
VALID_ROWS = [n for n, _, e in ERROR_ROWS if e is None]
BAD_ROWS = [n for n, _, e in ERROR_ROWS if e is not None]


def error_file() -> bytes:
    return csv_bytes([VI_HEAD, *[cells for _, cells, _ in ERROR_ROWS]], bom=True)


# --------------------------------------------------------------------------- helpers

@pytest.fixture()
def office(app):
    """A secretariat (admin) account, signed in."""
    make_user("quantri", Role.ADMIN)
    client = app.test_client()  # each request in a context of its own, as in production
    assert login(client, "quantri").status_code == 302
    return client


@pytest.fixture()
def bare_meeting(app):
    """A meeting with no one invited yet: enough for files that are refused before any row is read
    (the full demo costs ~0.4 s a test)."""
    return meetings.create_meeting(demo.MEETING, actor="test")


def upload(client, meeting_id: int, filename: str, data: bytes):
    token = csrf_token(client, f"/meetings/{meeting_id}/import/")
    return client.post(f"/meetings/{meeting_id}/import/", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(data), filename)})


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1))


def preview_rows(page: str) -> dict[int, dict]:
    """The preview table: {row number: {ok, cells, errors, warnings}}."""
    body = re.search(r'id="import-preview".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = {}
    for cls, tr in re.findall(r'<tr class="[^"]*\brow-(ok|error)\b[^"]*"[^>]*>(.*?)</tr>', body, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows[int(cells[0])] = {
            "ok": cls == "ok",
            "name": cells[1],
            "errors": [html.unescape(e).strip() for e in re.findall(r"<li[^>]*>(.*?)</li>", tr, re.S)],
            "warnings": [html.unescape(w).strip()
                         for w in re.findall(r'<div class="small muted"[^>]*>(.*?)</div>', tr, re.S)],
        }
    return rows


def confirm_buttons(page: str) -> list[tuple[str, str]]:
    """The confirm form's submit buttons: (only_valid value, label)."""
    return [(value, re.sub(r"\s+", " ", html.unescape(label)).strip()) for value, label in re.findall(
        r'<button[^>]*name="only_valid"[^>]*value="(\d)"[^>]*>(.*?)</button>', page, re.S)]


def shows_field_error(page: str, message: str) -> bool:
    return re.search(r'class="error"[^>]*>\s*' + re.escape(message) + r"\s*<", page) is not None


def assert_nothing_written(before: dict) -> None:
    assert_unchanged(before, what="the import wrote something")


def invitees_named(meeting_id: int, name: str) -> list[Invitee]:
    fresh()
    return list(db.session.scalars(select(Invitee).where(Invitee.meeting_id == meeting_id,
                                                         Invitee.full_name == name)))


def invitee_count(meeting_id: int) -> int:
    fresh()
    return db.session.scalar(select(func.count()).select_from(Invitee).where(Invitee.meeting_id == meeting_id))


def org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def import_audits(meeting_id: int) -> list[AuditEntry]:
    fresh()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "invitee.import",
                                                            AuditEntry.meeting_id == meeting_id)))


def assert_people_imported(meeting_id: int) -> None:
    """PEOPLE are on the list exactly as typed, linked to their units, each with a live pass."""
    new_unit = db.session.scalar(select(Organisation).where(Organisation.name == NEW_UNIT))
    assert new_unit is not None and new_unit.short_name == NEW_UNIT and new_unit.group.key == "other"
    for name, (honorific, position, org_key, category, phone) in EXPECTED.items():
        (inv,) = invitees_named(meeting_id, name)
        assert (inv.honorific, inv.position, inv.category, inv.phone) == (honorific, position, category, phone)
        assert inv.organisation_id == (org(org_key).id if org_key else new_unit.id)
        assert inv.walk_in is False and inv.substitute_for_id is None
        assert inv.active_token is not None and len(inv.active_token.token) == 32
    (nhung,) = invitees_named(meeting_id, "Nguyễn Thị Hồng Nhung")
    assert nhung.search_text == "nguyen thi hong nhung pho chu tich hdnd xa hdnd xa pho an xa pho an"


# --------------------------------------------------------------------------- formats

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_preview_reads_every_format(app, demo_meeting, fmt):
    filename, data = FORMATS[fmt]()
    before = db_snapshot()
    preview = imports.preview(demo_meeting, filename, data)
    assert [r.number for r in preview.rows] == [2, 3, 4]
    assert [r.values["full_name"] for r in preview.rows] == [p[0] for p in PEOPLE]
    assert [r.values for r in preview.rows][0] == {
        "full_name": "Nguyễn Thị Hồng Nhung", "honorific": "Bà", "position": "Phó Chủ tịch HĐND xã",
        "organisation": "Xã Phổ An", "category": "Đại biểu", "phone": "0905 111 222"}
    assert [r.errors for r in preview.rows] == [[], [], []]
    assert [[str(w) for w in r.warnings] for r in preview.rows] == [[], [NEW_UNIT_WARNING], []]
    assert_nothing_written(before)  # a preview writes nothing


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_import_writes_every_format(app, demo_meeting, fmt):
    filename, data = FORMATS[fmt]()
    count = invitee_count(demo_meeting.id)
    preview = imports.preview(demo_meeting, filename, data)
    added, skipped = imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False, actor="test")
    assert (added, skipped) == (3, [])
    assert invitee_count(demo_meeting.id) == count + 3
    assert_people_imported(demo_meeting.id)


def test_decomposed_unicode_is_stored_composed(app, demo_meeting):
    """Files from some editors carry decomposed letters (e + ̂ + ̃): stored as the usual NFC text."""
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    assert nfd != "Nguyễn Thị Hồng Nhung"
    data = csv_bytes([VI_HEAD, [nfd, "Bà", "", unicodedata.normalize("NFD", "Xã Phổ An"), "", ""]])
    preview = imports.preview(demo_meeting, "nfd.csv", data)
    assert preview.rows[0].ok and preview.rows[0].warnings == []
    imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False)
    (inv,) = invitees_named(demo_meeting.id, "Nguyễn Thị Hồng Nhung")
    assert inv.organisation_id == org("xa_pho_an").id


def test_units_match_known_organisations_however_typed(app, demo_meeting):
    units = ["Xã Phổ An", "xa pho an", "XÃ PHỔ AN", "HĐND xã Phổ An", "  Xã   Phổ An "]
    rows = [[f"Người thứ {i}", "", "", unit, "", ""] for i, unit in enumerate(units, start=1)]
    preview = imports.preview(demo_meeting, "units.csv", csv_bytes([VI_HEAD, *rows]))
    assert all(r.ok and not r.warnings for r in preview.rows)
    orgs_before = db.session.scalar(select(func.count()).select_from(Organisation))
    added, _ = imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False)
    assert added == 5
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == orgs_before
    xa_pho_an = org("xa_pho_an").id
    for i in range(1, 6):
        (inv,) = invitees_named(demo_meeting.id, f"Người thứ {i}")
        assert inv.organisation_id == xa_pho_an


def test_unknown_unit_is_created_once_with_a_warning(app, demo_meeting):
    rows = [["Lý Thị Mai", "Bà", "Giáo viên", NEW_UNIT, "", ""],
            ["Hà Văn Phúc", "Ông", "Giáo viên", "trường thcs phổ ninh", "", ""]]
    preview = imports.preview(demo_meeting, "new.csv", csv_bytes([VI_HEAD, *rows]))
    assert [r.ok for r in preview.rows] == [True, True]
    assert [str(w) for w in preview.rows[0].warnings] == [NEW_UNIT_WARNING]
    known = set(db.session.scalars(select(Organisation.id)))
    imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False)
    fresh()
    created = [o for o in db.session.scalars(select(Organisation)) if o.id not in known]
    assert [(o.name, o.short_name, o.group.key) for o in created] == [(NEW_UNIT, NEW_UNIT, "other")]
    (mai,) = invitees_named(demo_meeting.id, "Lý Thị Mai")
    (phuc,) = invitees_named(demo_meeting.id, "Hà Văn Phúc")
    assert mai.organisation_id == phuc.organisation_id == created[0].id
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "organisation.add",
                                    AuditEntry.entity_id == created[0].id)) == 1


def test_every_imported_invitee_has_its_own_live_pass(app, demo_meeting):
    filename, data = FORMATS["csv-utf8-bom-comma"]()
    preview = imports.preview(demo_meeting, filename, data)
    imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False)
    fresh()
    tokens = []
    for name in EXPECTED:
        (inv,) = invitees_named(demo_meeting.id, name)
        assert len(inv.tokens) == 1 and inv.tokens[0].revoked_at is None
        tokens.append(inv.active_token.token)
    all_tokens = list(db.session.scalars(select(PassToken.token)))
    assert len(set(all_tokens)) == len(all_tokens) and set(tokens) <= set(all_tokens)


# --------------------------------------------------------------------------- per-row errors

def test_preview_shows_each_error_on_its_row(app, demo_meeting):
    before = db_snapshot()
    preview = imports.preview(demo_meeting, "loi.csv", error_file())
    got = {r.number: [str(e) for e in r.errors] for r in preview.rows}
    assert got == {n: ([e] if e else []) for n, _, e in ERROR_ROWS}
    assert [r.number for r in preview.valid] == VALID_ROWS
    assert [r.number for r in preview.invalid] == BAD_ROWS
    assert_nothing_written(before)


def test_row_numbers_count_blank_lines_as_the_user_sees_them(app, demo_meeting):
    data = "Họ và tên,Điện thoại\r\n\r\nNguyễn Văn Một,\r\n,\r\nTrần Văn Hai,abc\r\n".encode()
    preview = imports.preview(demo_meeting, "trong.csv", data)
    assert [(r.number, [str(e) for e in r.errors]) for r in preview.rows] == [
        (3, []), (5, ["Số điện thoại không hợp lệ."])]


def test_file_with_errors_writes_nothing_in_all_mode(app, demo_meeting):
    preview = imports.preview(demo_meeting, "loi.csv", error_file())
    blob = imports.sign(demo_meeting, preview)
    before = db_snapshot()
    with pytest.raises(DomainError) as e:
        imports.apply(demo_meeting, blob, only_valid=False, actor="test")
    assert e.value.code == "import_has_errors" and e.value.status == 422
    assert str(e.value.message) == ("Tệp còn 6 dòng lỗi: chưa nhập ai. Hãy sửa tệp, "
                                    "hoặc chọn chỉ nhập các dòng hợp lệ.")
    db.session.rollback()
    assert_nothing_written(before)


def test_only_valid_writes_the_valid_rows_and_only_them(app, demo_meeting):
    preview = imports.preview(demo_meeting, "loi.csv", error_file())
    count = invitee_count(demo_meeting.id)
    added, skipped = imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=True, actor="test")
    assert added == 2 and [r.number for r in skipped] == BAD_ROWS
    assert invitee_count(demo_meeting.id) == count + 2
    (hung,) = invitees_named(demo_meeting.id, "Phan Văn Hùng")
    assert (hung.phone, hung.organisation_id) == ("0905123456", org("xa_pho_an").id)
    (hanh,) = invitees_named(demo_meeting.id, "Tô Thị Hạnh")
    assert (hanh.category, hanh.organisation_id) == (InviteeCategory.GUEST, org("phuong_pho_ninh").id)
    for name in ("Lê Văn Tám", "Hồ Thị Lan", "Mai Văn Sơn", "phan van hung"):
        assert invitees_named(demo_meeting.id, name) == []
    assert len(invitees_named(demo_meeting.id, "Võ Thanh Bình")) == 1
    (entry,) = import_audits(demo_meeting.id)
    assert entry.actor == "test" and entry.entity == "meeting" and entry.entity_id == demo_meeting.id
    assert entry.details == {"filename": "loi.csv", "added": 2, "skipped": BAD_ROWS}


def test_import_is_audited(app, demo_meeting):
    filename, data = FORMATS["xlsx-vietnamese"]()
    preview = imports.preview(demo_meeting, filename, data)
    imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False, actor="test")
    (entry,) = import_audits(demo_meeting.id)
    assert entry.details == {"filename": "danh-sach.xlsx", "added": 3, "skipped": []}


def test_confirming_twice_adds_nobody_the_second_time(app, demo_meeting):
    filename, data = FORMATS["csv-utf8-comma"]()
    blob = imports.sign(demo_meeting, imports.preview(demo_meeting, filename, data))
    assert imports.apply(demo_meeting, blob, only_valid=False)[0] == 3
    before = db_snapshot()
    with pytest.raises(DomainError) as e:
        imports.apply(demo_meeting, blob, only_valid=False)
    assert e.value.code == "import_has_errors"
    db.session.rollback()
    assert_nothing_written(before)
    added, skipped = imports.apply(demo_meeting, blob, only_valid=True)
    assert (added, [r.number for r in skipped]) == (0, [2, 3, 4])
    for name in EXPECTED:
        assert len(invitees_named(demo_meeting.id, name)) == 1


# --------------------------------------------------------------------------- the signed preview

def _tampered_blobs(meeting):
    preview = imports.preview(meeting, "a.csv", csv_bytes([VI_HEAD, *PEOPLE]))
    rows = preview.rows
    good = imports.sign(meeting, preview)
    payload, signature = good.rsplit(".", 1)
    forged_rows = [[r.number, {**r.values, "full_name": "Kẻ Giả Mạo"}] for r in rows]
    return {
        "changed-signature": payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        "changed-payload": payload[:-2] + ("xx" if payload[-2:] != "xx" else "yy") + "." + signature,
        "other-key": URLSafeTimedSerializer("not-the-secret", salt="invitee-import").dumps(
            {"meeting": meeting.id, "rows": forged_rows}),
        "other-meeting": tables._serializer(imports.PREVIEW_KIND).dumps(
            {"meeting": meeting.id + 1000, "rows": forged_rows}),
        "empty": "",
        "garbage": "khong-phai-du-lieu",
    }


@pytest.mark.parametrize("kind", ["changed-signature", "changed-payload", "other-key", "other-meeting",
                                  "empty", "garbage"])
def test_tampered_preview_is_refused(app, demo_meeting, kind):
    blob = _tampered_blobs(demo_meeting)[kind]
    before = db_snapshot()
    for only_valid in (False, True):
        with pytest.raises(DomainError) as e:
            imports.apply(demo_meeting, blob, only_valid=only_valid)
        assert e.value.code == "import_tampered" and e.value.status == 400
        assert str(e.value.message) == TAMPERED
    db.session.rollback()
    assert_nothing_written(before)


# --------------------------------------------------------------------------- broken files

BROKEN = {
    "corrupt-xlsx": ("danh-sach.xlsx", lambda: bytes(random.Random(7).randrange(256) for _ in range(4000)),
                     EXCEL_BROKEN),
    "zip-not-xlsx": ("danh-sach.xlsx", lambda: _zip_without_workbook(), EXCEL_BROKEN),
    "old-xls-renamed": ("danh-sach.xlsx", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, EXCEL_BROKEN),
    "csv-windows-1258": ("danh-sach.csv", lambda: cp1258_bytes("Họ và tên,Đơn vị\r\nNguyễn Văn Dũng,Xã Phổ An\r\n"),
                         NOT_UTF8),
    "csv-latin-1": ("danh-sach.csv", lambda: "Full name,Unit\r\nJosé Müller,Xã\r\n".encode("latin-1"), NOT_UTF8),
    "csv-utf-16": ("danh-sach.csv", lambda: csv_bytes([VI_HEAD, *PEOPLE], encoding="utf-16"), NOT_UTF8),
    "empty-csv": ("danh-sach.csv", lambda: b"", "Tệp trống."),
    "empty-xlsx": ("danh-sach.xlsx", lambda: b"", "Tệp trống."),
    "blank-lines-only": ("danh-sach.csv", lambda: b"\r\n   \r\n\r\n", "Tệp không có dữ liệu."),
    "empty-cells-only": ("danh-sach.csv", lambda: b",,,\r\n,,,\r\n", "Tệp không có dữ liệu."),
    "xlsx-no-rows": ("danh-sach.xlsx", lambda: xlsx_bytes([]), "Tệp không có dữ liệu."),
    "csv-header-only": ("danh-sach.csv", lambda: csv_bytes([VI_HEAD], bom=True),
                        "Tệp chỉ có dòng tiêu đề, không có ai để nhập."),
    "xlsx-header-only": ("danh-sach.xlsx", lambda: xlsx_bytes([VI_HEAD]),
                         "Tệp chỉ có dòng tiêu đề, không có ai để nhập."),
    "no-name-column": ("danh-sach.csv", lambda: csv_bytes([["STT", "Chức vụ", "Đơn vị"], ["1", "Cán bộ", "Xã Phổ An"]]),
                       "Không tìm thấy dòng tiêu đề có cột “Họ và tên” (hoặc hai cột “Họ” và “Tên”) trong 10 dòng đầu của tệp."),
    "txt": ("danh-sach.txt", lambda: "Họ và tên\nNguyễn Văn Dũng\n".encode(), ONLY_XLSX_CSV),
    "pdf": ("danh-sach.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", ONLY_XLSX_CSV),
}


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("ghi-chu.txt", "không phải bảng tính")
    return out.getvalue()


def test_windows_1258_sample_is_really_not_utf8():
    data = BROKEN["csv-windows-1258"][1]()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert unicodedata.normalize("NFC", data.decode("cp1258")).startswith("Họ và tên,Đơn vị")


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_gives_a_clear_message(app, bare_meeting, case):
    filename, make, message = BROKEN[case]
    before = db_snapshot()
    with pytest.raises(DomainError) as e:
        imports.preview(bare_meeting, filename, make())
    assert e.value.code == "import_file_invalid" and e.value.status == 422
    assert str(e.value.message) == message
    assert_nothing_written(before)


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_upload_shows_the_message(app, office, bare_meeting, case):
    filename, make, message = BROKEN[case]
    before = db_snapshot()
    response = upload(office, bare_meeting.id, filename, make())
    assert response.status_code == 422
    assert shows_field_error(response.text, message), response.text
    assert 'id="import-preview"' not in response.text
    assert_nothing_written(before)


def test_too_many_rows_is_refused(app, demo_meeting, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    with pytest.raises(DomainError) as e:
        imports.preview(demo_meeting, "a.csv", csv_bytes([VI_HEAD, *PEOPLE]))
    assert e.value.code == "import_file_invalid"
    assert str(e.value.message) == "Tệp có quá nhiều dòng (tối đa 2)."


# --------------------------------------------------------------------------- big and hostile files

TOO_MUCH = "Tệp Excel quá lớn khi giải nén hoặc có quá nhiều ô. Hãy lưu một tệp chỉ có danh sách cần nhập."
HEAD_CELLS = {"A": "Họ và tên", "B": "Đơn vị", "C": "Nội dung"}
PERSON_CELLS = {"A": "Nguyễn Văn Dũng", "B": "Xã Phổ An", "C": "Đề nghị bổ sung kinh phí."}


@pytest.fixture(scope="session")
def sheet_300k() -> bytes:
    return big_list(300_000)


def rows_pulled(monkeypatch) -> list[int]:
    """Counts the rows openpyxl hands out of a read-only sheet: [count]."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    pulled, iter_rows = [0], ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in iter_rows(self, *args, **kwargs):
            pulled[0] += 1
            yield row
    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    return pulled


@pytest.mark.parametrize("preview", [imports.preview, kien_nghi_import.preview], ids=["invitees", "kien-nghi"])
def test_a_300000_row_sheet_is_refused_reading_no_further_than_the_cap(app, bare_meeting, sheet_300k,
                                                                         monkeypatch, preview):
    pulled = rows_pulled(monkeypatch)
    before = db_snapshot()
    with pytest.raises(DomainError) as e:
        preview(bare_meeting, "danh-sach.xlsx", sheet_300k)
    assert str(e.value.message) == "Tệp có quá nhiều dòng (tối đa 2000)."
    # the header, the rows it may stand below, the cap and one more: enough to refuse
    assert pulled[0] == tables.HEADER_SEARCH_ROWS + app.config["IMPORT_MAX_ROWS"] + 1
    assert_nothing_written(before)


def _unpacked_bomb() -> bytes:
    """A shared string of 70 MB of spaces: about 70 kB packed."""
    return xlsx([row_xml(1, HEAD_CELLS), row_xml(2, PERSON_CELLS)], ["x" + " " * (70 * 1024 * 1024)])


HOSTILE = {
    "unpacks-to-70-MB": (_unpacked_bomb, TOO_MUCH),
    "300000-shared-strings": (lambda: big_list(10, names=300_000), TOO_MUCH),
    "big-sheet-without-dimension": (lambda: big_list(60_000, dimension=False), TOO_MUCH),
    "value-in-column-51": (lambda: xlsx([row_xml(1, HEAD_CELLS), row_xml(2, {**PERSON_CELLS, "AY": "x"})], []),
                           "Tệp có quá nhiều cột (tối đa 50)."),
    "a-row-every-1000-rows": (lambda: xlsx([row_xml(1, HEAD_CELLS), *(row_xml(n, PERSON_CELLS)
                                                                      for n in range(1000, 1_048_577, 1000))], []),
                              "Tệp có quá nhiều dòng (tối đa 2000)."),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_file_costlier_than_its_size_is_refused(app, bare_meeting, case):
    make, message = HOSTILE[case]
    before = db_snapshot()
    with pytest.raises(DomainError) as e:
        imports.preview(bare_meeting, "danh-sach.xlsx", make())
    assert e.value.code == "import_file_invalid" and e.value.status == 422
    assert str(e.value.message) == message
    assert_nothing_written(before)


def bordered_list() -> bytes:
    """Three people, and cell borders drawn down to row 3000 (the sheet holds every row)."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in [VI_HEAD, *PEOPLE]:
        sheet.append(row)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=1, max_row=3000, max_col=len(VI_HEAD)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("filename, make", [
    ("danh-sach.xlsx", bordered_list),
    ("danh-sach.csv", lambda: csv_bytes([VI_HEAD, *PEOPLE]) + b",,,,,\r\n" * 3000),
], ids=["xlsx-borders-to-row-3000", "csv-3000-lines-of-commas"])
def test_a_long_run_of_blank_rows_ends_the_list(app, bare_meeting, monkeypatch, filename, make):
    pulled = rows_pulled(monkeypatch)
    preview = imports.preview(bare_meeting, filename, make())
    assert [(r.number, r.values["full_name"]) for r in preview.rows] == [(n + 2, p[0]) for n, p in enumerate(PEOPLE)]
    if filename.endswith(".xlsx"):  # read no further than the run that ends it
        assert pulled[0] == 1 + len(PEOPLE) + tables.HEADER_SEARCH_ROWS + app.config["IMPORT_MAX_ROWS"] + 2


def test_the_size_a_sheet_declares_is_not_used(app, bare_meeting, monkeypatch):
    """A sheet declaring every column and row Excel has is read as the rows it holds."""
    pulled = rows_pulled(monkeypatch)
    data = xlsx([row_xml(1, HEAD_CELLS), row_xml(2, PERSON_CELLS)], [], dimension="A1:XFD1048576")
    preview = imports.preview(bare_meeting, "danh-sach.xlsx", data)
    assert [(r.number, r.values["full_name"], r.values["organisation"]) for r in preview.rows] == [
        (2, "Nguyễn Văn Dũng", "Xã Phổ An")]
    assert pulled[0] == 2


OFF_THE_HUB = """
from gevent import monkey
monkey.patch_all()
import threading
from meetingday.offload import off_the_hub
from meetingday.services import passes
assert off_the_hub(threading.get_native_id) != threading.get_native_id()
drawn = []
passes.draw_qr = lambda link: drawn.append(threading.get_native_id()) or link
assert passes.invitation_qr_codes(["a", "b"]) == ["a", "b"] and threading.get_native_id() not in drawn
print("pool thread")
"""


def test_parsing_and_drawing_invitations_run_in_a_pool_thread_under_gevent():
    """Under gevent (`meetingday serve`) reading a spreadsheet and drawing the invitations' QR
    codes leave the hub's thread; here (threading) they run in place."""
    import threading

    from meetingday import offload
    assert offload.off_the_hub(threading.get_native_id) == threading.get_native_id()
    ran = subprocess.run([sys.executable, "-c", OFF_THE_HUB], capture_output=True, text=True, timeout=120)
    assert ran.stdout.strip() == "pool thread", ran.stderr[-2000:]


def test_upload_without_a_file(app, office, demo_meeting):
    token = csrf_token(office, f"/meetings/{demo_meeting.id}/import/")
    response = office.post(f"/meetings/{demo_meeting.id}/import/", data={"csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert shows_field_error(response.text, "Vui lòng chọn tệp.")


def test_upload_over_5_mb_is_refused(app, office, demo_meeting):
    before = db_snapshot()
    response = upload(office, demo_meeting.id, "lon.csv", b"Ho va ten\r\n" + b"A" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert "Tệp quá lớn (tối đa 5 MB)." in response.text
    assert_nothing_written(before)


def test_the_size_refused_is_the_one_configured(app, office, demo_meeting, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 512 * 1024)
    response = upload(office, demo_meeting.id, "lon.csv", b"Ho va ten\r\n" + b"A" * (600 * 1024))
    assert response.status_code == 413 and "Tệp quá lớn (tối đa 0,5 MB)." in response.text
    office.set_cookie("lang", "en")
    response = upload(office, demo_meeting.id, "lon.csv", b"Ho va ten\r\n" + b"A" * (600 * 1024))
    assert response.status_code == 413 and "The file is too large (0.5 MB at most)." in response.text


# --------------------------------------------------------------------------- over HTTP

def test_upload_page(app, office, demo_meeting):
    response = office.get(f"/meetings/{demo_meeting.id}/import/")
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text and 'accept=".xlsx,.csv"' in response.text
    assert 'id="import-preview"' not in response.text


def test_http_upload_preview_confirm(app, office, demo_meeting):
    meeting_id = demo_meeting.id
    count = invitee_count(meeting_id)
    filename, data = FORMATS["csv-utf8-bom-comma"]()
    before = db_snapshot()

    page = upload(office, meeting_id, filename, data)

    assert page.status_code == 200
    assert "Xem trước: danh-sach.csv" in page.text
    assert "3 dòng hợp lệ, 0 dòng lỗi." in page.text
    rows = preview_rows(page.text)
    assert sorted(rows) == [2, 3, 4]
    assert [rows[n]["name"] for n in (2, 3, 4)] == ["Bà Nguyễn Thị Hồng Nhung", "Ông Trương Quốc Việt",
                                                    "Đặng Thị Ánh Tuyết"]
    assert all(r["ok"] and r["errors"] == [] for r in rows.values())
    assert rows[3]["warnings"] == [NEW_UNIT_WARNING]
    assert confirm_buttons(page.text) == [("0", "Nhập 3 người")]
    assert_nothing_written(before)  # the preview is carried in the page, not stored

    response = office.post(f"/meetings/{meeting_id}/import/confirm", data={
        "csrf_token": csrf_token(office, f"/meetings/{meeting_id}/import/"), "rows": hidden(page.text, "rows"),
        "only_valid": "0"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting_id}/invitees/")
    listing = office.get(response.headers["Location"])
    assert "Đã nhập 3 người." in listing.text
    assert all(name in listing.text for name in EXPECTED)
    assert invitee_count(meeting_id) == count + 3
    assert_people_imported(meeting_id)
    (entry,) = import_audits(meeting_id)
    assert entry.actor == "user:quantri" and entry.user.username == "quantri"
    assert entry.details == {"filename": "danh-sach.csv", "added": 3, "skipped": []}
    (nhung,) = invitees_named(meeting_id, "Nguyễn Thị Hồng Nhung")
    assert office.get(f"/d/{nhung.active_token.token}").status_code == 200  # the new pass opens


def test_http_xlsx_upload_and_confirm(app, office, demo_meeting):
    filename, data = FORMATS["xlsx-english"]()
    page = upload(office, demo_meeting.id, filename, data)
    assert page.status_code == 200 and sorted(preview_rows(page.text)) == [2, 3, 4]
    response = office.post(f"/meetings/{demo_meeting.id}/import/confirm", data={
        "csrf_token": csrf_token(office, "/"), "rows": hidden(page.text, "rows"),
        "only_valid": "0"})
    assert response.status_code == 302
    assert_people_imported(demo_meeting.id)


def test_http_errors_preview_then_only_valid(app, office, demo_meeting):
    meeting_id = demo_meeting.id
    count = invitee_count(meeting_id)
    before = db_snapshot()

    page = upload(office, meeting_id, "loi.csv", error_file())

    assert page.status_code == 200
    assert "2 dòng hợp lệ, 6 dòng lỗi." in page.text
    rows = preview_rows(page.text)
    assert {n: r["errors"] for n, r in rows.items()} == {n: ([e] if e else []) for n, _, e in ERROR_ROWS}
    assert [n for n, r in rows.items() if r["ok"]] == VALID_ROWS
    assert "Tệp có dòng lỗi nên chưa nhập ai." in page.text
    assert confirm_buttons(page.text) == [("1", "Chỉ nhập 2 dòng hợp lệ")]
    assert_nothing_written(before)

    form = {"csrf_token": csrf_token(office, "/"), "rows": hidden(page.text, "rows")}
    # "Import all" is not offered for a file with errors; forcing it writes nothing either.
    forced = office.post(f"/meetings/{meeting_id}/import/confirm", data={**form, "only_valid": "0"})
    assert forced.status_code == 422
    assert "Tệp còn 6 dòng lỗi: chưa nhập ai." in forced.text
    assert_nothing_written(before)

    response = office.post(f"/meetings/{meeting_id}/import/confirm", data={**form, "only_valid": "1"})
    assert response.status_code == 302
    assert "Đã nhập 2 người; bỏ qua 6 dòng lỗi." in office.get(response.headers["Location"]).text
    assert invitee_count(meeting_id) == count + 2
    assert len(invitees_named(meeting_id, "Phan Văn Hùng")) == 1
    assert len(invitees_named(meeting_id, "Tô Thị Hạnh")) == 1
    assert invitees_named(meeting_id, "Lê Văn Tám") == []
    (entry,) = import_audits(meeting_id)
    assert entry.details["skipped"] == BAD_ROWS


def test_http_tampered_confirm_is_refused(app, office, demo_meeting):
    page = upload(office, demo_meeting.id, *FORMATS["csv-utf8-comma"]())
    blob = hidden(page.text, "rows")
    payload, signature = blob.rsplit(".", 1)
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature
    before = db_snapshot()
    response = office.post(f"/meetings/{demo_meeting.id}/import/confirm", data={
        "csrf_token": csrf_token(office, "/"), "rows": forged, "filename": "danh-sach.csv", "only_valid": "1"})
    assert response.status_code == 400
    assert TAMPERED in response.text
    assert_nothing_written(before)


def test_http_preview_of_one_meeting_cannot_be_confirmed_on_another(app, office, demo_meeting):
    other = meetings.create_meeting({**demo.MEETING, "title": "Hội nghị khác"}, actor="test")
    page = upload(office, demo_meeting.id, *FORMATS["csv-utf8-comma"]())
    before = db_snapshot()
    response = office.post(f"/meetings/{other.id}/import/confirm", data={
        "csrf_token": csrf_token(office, "/"), "rows": hidden(page.text, "rows"),
        "filename": "danh-sach.csv", "only_valid": "0"})
    assert response.status_code == 400 and TAMPERED in response.text
    assert_nothing_written(before)


def test_http_confirm_needs_csrf_token(app, office, demo_meeting):
    page = upload(office, demo_meeting.id, *FORMATS["csv-utf8-comma"]())
    before = db_snapshot()
    response = office.post(f"/meetings/{demo_meeting.id}/import/confirm", data={
        "rows": hidden(page.text, "rows"), "filename": "danh-sach.csv", "only_valid": "0"})
    assert response.status_code == 400
    assert "thiếu mã bảo mật" in response.text
    assert_nothing_written(before)


# --------------------------------------------------------------------------- bugs found and fixed

def test_same_person_with_two_spellings_of_one_unit_is_a_duplicate(app, demo_meeting):
    rows = [["Nguyễn Văn Dư", "", "", "Xã Phổ An", "", ""], ["Nguyễn Văn Dư", "", "", "HĐND xã Phổ An", "", ""]]
    preview = imports.preview(demo_meeting, "dup.csv", csv_bytes([VI_HEAD, *rows]))
    assert [str(e) for e in preview.rows[1].errors] == ["Trùng với dòng 2 trong tệp."]


@pytest.mark.both_databases
def test_control_characters_never_reach_the_database(app, demo_meeting):
    preview = imports.preview(demo_meeting, "nul.csv", b"Ho va ten\r\nNguyen\x00Van\x07A\r\n")
    try:
        imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=True)
    except DomainError:
        return  # refused cleanly: fine
    fresh()
    names = list(db.session.scalars(select(Invitee.full_name).where(Invitee.full_name.like("Nguyen%"))))
    assert names and all(ch.isprintable() for n in names for ch in n)


def test_overlong_unit_is_flagged_in_the_preview(app, demo_meeting):
    unit = "Trung tâm " + "Phát triển quỹ đất và cụm công nghiệp " * 4
    assert 120 < len(unit) <= 200
    preview = imports.preview(demo_meeting, "dai.csv", csv_bytes([["Họ và tên", "Đơn vị"], ["Lê Văn Dài", unit]]))
    assert not preview.rows[0].ok


def test_separate_family_and_given_name_columns_are_not_cut_to_the_given_name(app, demo_meeting):
    data = csv_bytes([["STT", "Họ", "Tên", "Đơn vị"], ["1", "Nguyễn Văn", "An", "Xã Phổ An"]])
    try:
        preview = imports.preview(demo_meeting, "ho-ten.csv", data)
    except DomainError:
        return  # refusing the layout is acceptable
    assert preview.rows[0].values["full_name"] == "Nguyễn Văn An"


def test_title_lines_above_the_header_are_skipped(app, demo_meeting):
    data = csv_bytes([["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ", "", ""], ["", "", ""],
                      ["Họ và tên", "Chức vụ", "Điện thoại"], ["Đặng Văn Mười", "Đại biểu", "905111222"]])
    preview = imports.preview(demo_meeting, "tieu-de.csv", data)
    assert [r.number for r in preview.rows] == [4]
    assert preview.rows[0].ok and preview.rows[0].values["full_name"] == "Đặng Văn Mười"
    imports.apply(demo_meeting, imports.sign(demo_meeting, preview), only_valid=False)
    # a number that a spreadsheet stored without its leading zero gets it back
    assert [p.phone for p in invitees_named(demo_meeting.id, "Đặng Văn Mười")] == ["0905111222"]


def test_an_expired_preview_is_refused(app, demo_meeting, monkeypatch):
    preview = imports.preview(demo_meeting, "a.csv", csv_bytes([VI_HEAD, *PEOPLE]))
    blob = imports.sign(demo_meeting, preview)
    monkeypatch.setattr(tables, "PREVIEW_MAX_AGE", -1)
    with pytest.raises(DomainError) as e:
        imports.apply(demo_meeting, blob, only_valid=True)
    assert e.value.code == "import_expired"


# --------------------------------------------------------------------------- the template file

def test_the_template_is_offered_and_reads_back_through_the_import(app, office, demo_meeting):
    """The page links the template; the file is the importer's own columns: uploaded as it comes,
    its two examples are read field by field, with no error and no warning (a heading the
    importer no longer knows leaves that field empty)."""
    page = office.get(f"/meetings/{demo_meeting.id}/import/").text
    link = f"/meetings/{demo_meeting.id}/import/mau-danh-sach-moi.xlsx"
    assert f'href="{link}" download>Tải tệp mẫu (.xlsx)</a>' in page
    response = office.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ("attachment; filename=\"Mau danh sach moi.xlsx\"; "
            "filename*=UTF-8''M%E1%BA%ABu%20danh%20s%C3%A1ch%20m%E1%BB%9Di.xlsx") == response.headers[
        "Content-Disposition"]

    result = imports.preview(demo_meeting, "Mẫu danh sách mời.xlsx", response.data)
    assert [r.number for r in result.rows] == [2, 3]
    assert [(r.errors, r.warnings) for r in result.rows] == [([], []), ([], [])]
    assert [r.values for r in result.rows] == list(imports.EXAMPLES)
    assert {r.values["category"] for r in result.rows} == {"Đại biểu", "Khách mời"}  # one of each

    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["STT", "Họ và tên", "Danh xưng", "Chức vụ", "Đơn vị", "Thành phần",
                                           "Điện thoại"]
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 40 and sheet["G2"].number_format == "@"


def test_the_templates_lists_hold_what_the_import_accepts(app, demo_meeting):
    """Each drop-down offers values the import reads as they are: Ông/Bà, Đại biểu/Khách mời, and
    every unit in the list (another unit is let stand with a warning: the import adds it)."""
    book = openpyxl.load_workbook(io.BytesIO(imports.template()))
    sheet, lists = book.worksheets
    offered = {}
    for rule in sheet.data_validations.dataValidation:
        heading = sheet[f"{str(rule.sqref)[0]}1"].value
        column, last = re.fullmatch(r"'Danh mục'!\$([A-Z])\$2:\$\1\$(\d+)", rule.formula1).groups()
        offered[heading] = ([c.value for c in lists[column][1:int(last)]], rule.errorStyle)
        assert str(rule.sqref).endswith(":" + str(rule.sqref)[0] + "2001")  # IMPORT_MAX_ROWS rows
    units = [o.short_name for o in db.session.scalars(select(Organisation))]
    assert offered.keys() == {"Danh xưng", "Đơn vị", "Thành phần"}
    assert offered["Danh xưng"] == (["Ông", "Bà"], "stop")
    assert offered["Thành phần"] == (["Đại biểu", "Khách mời"], "stop")
    assert sorted(offered["Đơn vị"][0]) == sorted(units) and offered["Đơn vị"][1] == "warning"
    known = imports.Known.of(demo_meeting)
    for n, (honorific, category, unit) in enumerate(zip(itertools.cycle(offered["Danh xưng"][0]),
                                                        itertools.cycle(offered["Thành phần"][0]), offered["Đơn vị"][0])):
        row = imports.check_row(known, n, {"full_name": f"Người Thứ {n}", "honorific": honorific, "position": "",
                                           "organisation": unit, "category": category, "phone": ""})
        assert (row.errors, row.warnings) == ([], []), unit
