"""Importing invitees from .xlsx or .csv: parse, preview with per-row errors, then write.

Nothing is written from a file with errors unless the user chooses to import only the valid
rows. The preview travels to the confirm step signed (not stored), so any server process can
take the confirmation and nobody can alter the rows in between.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import InviteeCategory, Meeting, User
from ..text import clean, fold
from . import invitees, organisations

# Accepted column headings (compared without diacritics or case) -> field.
HEADINGS = {
    "full_name": ("ho va ten", "ho ten", "ten", "name", "full name"),
    "honorific": ("danh xung", "ong/ba", "ong ba", "honorific", "title"),
    "position": ("chuc vu", "position"),
    "organisation": ("don vi", "co quan", "co quan, don vi", "co quan/don vi", "unit", "organisation",
                     "organization"),
    "category": ("loai", "thanh phan", "category", "type"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "phone"),
}
CATEGORY_WORDS = {
    "dai bieu": InviteeCategory.DELEGATE, "delegate": InviteeCategory.DELEGATE, "": InviteeCategory.DELEGATE,
    "khach moi": InviteeCategory.GUEST, "khach": InviteeCategory.GUEST, "guest": InviteeCategory.GUEST,
}
HONORIFIC_WORDS = {"ong": "Ông", "ba": "Bà", "": "", "mr": "Ông", "mrs": "Bà", "ms": "Bà"}


@dataclass
class Row:
    number: int                 # the row number in the file, as the user sees it
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    filename: str
    rows: list[Row]

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]


def _file_error(message) -> DomainError:
    return DomainError("import_file_invalid", message, status=422)


def read_table(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The file's rows as (row number, cells), for .xlsx or .csv (UTF-8, with or without BOM)."""
    name = (filename or "").lower()
    if not data:
        raise _file_error(_l("Tệp trống."))
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise _file_error(_l("Chỉ nhận tệp .xlsx hoặc .csv."))


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _file_error(_l("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")) from None
    try:
        sheet = wb.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, ["" if c is None else str(c).strip() for c in cells]))
        return rows
    finally:
        wb.close()


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_l("Tệp CSV phải được lưu với mã UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [(n, [c.strip() for c in cells])
                for n, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    except csv.Error:
        raise _file_error(_l("Không đọc được tệp CSV.")) from None


def _columns(header: list[str]) -> dict[str, int]:
    wanted = {fold(h): i for i, h in enumerate(header) if h}
    columns = {}
    for fieldname, names in HEADINGS.items():
        for n in names:
            if n in wanted:
                columns[fieldname] = wanted[n]
                break
    return columns


def preview(meeting: Meeting, filename: str, data: bytes) -> Preview:
    """Parse and check every row; writes nothing."""
    table = [(n, cells) for n, cells in read_table(filename, data) if any(cells)]
    if not table:
        raise _file_error(_l("Tệp không có dữ liệu."))
    header_number, header = table[0]
    columns = _columns(header)
    if "full_name" not in columns:
        raise _file_error(_l("Không tìm thấy cột “Họ và tên” ở dòng tiêu đề (dòng %(n)s).", n=header_number))
    body = table[1:]
    if not body:
        raise _file_error(_l("Tệp chỉ có dòng tiêu đề, không có ai để nhập."))
    if len(body) > current_app.config["IMPORT_MAX_ROWS"]:
        raise _file_error(_l("Tệp có quá nhiều dòng (tối đa %(n)s).", n=current_app.config["IMPORT_MAX_ROWS"]))

    rows, seen = [], {}
    for number, cells in body:
        values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
        values = {f: clean(values.get(f, "")) for f in HEADINGS}
        rows.append(check_row(meeting, number, values, seen))
    return Preview(filename=filename, rows=rows)


def check_row(meeting: Meeting, number: int, values: dict, seen: dict) -> Row:
    row = Row(number=number, values=values)
    category = CATEGORY_WORDS.get(fold(values["category"]))
    honorific = HONORIFIC_WORDS.get(fold(values["honorific"]))
    if category is None:
        row.errors.append(_l("Loại “%(v)s” không hợp lệ (Đại biểu hoặc Khách mời).", v=values["category"]))
    if honorific is None:
        row.errors.append(_l("Danh xưng “%(v)s” không hợp lệ (Ông hoặc Bà).", v=values["honorific"]))
    try:
        invitees.validate(values["full_name"], honorific or "", values["position"],
                          category or InviteeCategory.DELEGATE, values["phone"])
    except DomainError as e:
        row.errors.append(e.message)
    org = organisations.find_by_name(values["organisation"]) if values["organisation"] else None
    if values["organisation"] and org is None:
        row.warnings.append(_l("Đơn vị mới “%(v)s” sẽ được thêm.", v=values["organisation"]))
    key = (fold(values["full_name"]), fold(values["organisation"]))
    if values["full_name"]:
        if key in seen:
            row.errors.append(_l("Trùng với dòng %(n)s trong tệp.", n=seen[key]))
        else:
            seen[key] = number
        if invitees.find_duplicate(meeting, values["full_name"], org):
            row.errors.append(_l("Đã có trong danh sách mời."))
    return row


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invitee-import")


def sign(meeting: Meeting, rows: list[Row]) -> str:
    return _serializer().dumps({"meeting": meeting.id, "rows": [[r.number, r.values] for r in rows]})


def unsign(meeting: Meeting, blob: str) -> list[tuple[int, dict]]:
    try:
        payload = _serializer().loads(blob or "")
    except BadSignature:
        raise DomainError("import_tampered", _l("Dữ liệu xem trước không hợp lệ. Vui lòng tải tệp lên lại."),
                          status=400) from None
    if payload.get("meeting") != meeting.id:
        raise DomainError("import_tampered", _l("Dữ liệu xem trước không hợp lệ. Vui lòng tải tệp lên lại."),
                          status=400)
    return [(n, v) for n, v in payload["rows"]]


def apply(meeting: Meeting, blob: str, *, only_valid: bool, filename: str = "",
          actor: User | str | None = None) -> tuple[int, list[Row]]:
    """Write the previewed rows, checked again. Returns (added, skipped rows).

    Without only_valid, one bad row means nothing is written.
    """
    seen: dict = {}
    rows = [check_row(meeting, n, v, seen) for n, v in unsign(meeting, blob)]
    bad = [r for r in rows if not r.ok]
    if bad and not only_valid:
        raise DomainError("import_has_errors",
                          _l("Tệp còn %(n)s dòng lỗi: chưa nhập ai. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
                             n=len(bad)), status=422)
    added = 0
    for row in rows:
        if not row.ok:
            continue
        v = row.values
        org = None
        if v["organisation"]:
            org = organisations.find_by_name(v["organisation"]) or organisations.add_organisation(
                v["organisation"], actor=actor, commit=False)
        fields = invitees.validate(v["full_name"], HONORIFIC_WORDS[fold(v["honorific"])], v["position"],
                                   CATEGORY_WORDS[fold(v["category"])], v["phone"])
        invitees.create(meeting, fields, org)
        added += 1
    audit.record("invitee.import", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                 filename=filename, added=added, skipped=[r.number for r in bad])
    db.session.commit()
    return added, bad
