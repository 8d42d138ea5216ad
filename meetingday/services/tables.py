"""Spreadsheets in and out, shared by every import and export.

In: ``read_table`` gives a .xlsx or .csv file's rows; ``find_header`` finds the header row below
any title lines; ``Row``/``Preview`` hold the checked rows. A preview travels to the confirm step
signed with the secret key (``sign_preview``/``unsign_preview``), not stored, so any server
process can take the confirmation and nobody can alter the rows in between.
Out: ``neutral`` keeps text from being run as a formula by a spreadsheet.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import DomainError

HEADER_SEARCH_ROWS = 10  # title lines ("DANH SÁCH ĐẠI BIỂU ...") may stand above the header
PREVIEW_MAX_AGE = 12 * 3600  # a preview may be confirmed within half a day


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


def file_error(message) -> DomainError:
    return DomainError("import_file_invalid", message, status=422)


def read_table(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The file's rows as (row number, cells), for .xlsx or .csv (UTF-8, with or without BOM)."""
    name = (filename or "").lower()
    if not data:
        raise file_error(_l("Tệp trống."))
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise file_error(_l("Chỉ nhận tệp .xlsx hoặc .csv."))


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise file_error(_l("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")) from None
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
        raise file_error(_l("Tệp CSV cần được lưu bằng bảng mã UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [(n, [c.strip() for c in cells])
                for n, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    except csv.Error:
        raise file_error(_l("Không đọc được tệp CSV.")) from None


def find_header(filename: str, data: bytes, columns_of: Callable[[list[str]], dict | None], *,
                no_header, no_body) -> tuple[dict, list[tuple[int, list[str]]]]:
    """(columns, body rows) of a file whose header row stands in its first HEADER_SEARCH_ROWS
    non-empty rows. ``columns_of(cells)`` gives the header's columns, or None when ``cells`` is
    not the header. ``no_header`` and ``no_body`` are the messages when the file has no header
    or nothing below it; a body over IMPORT_MAX_ROWS is refused."""
    table = [(n, cells) for n, cells in read_table(filename, data) if any(cells)]
    if not table:
        raise file_error(_l("Tệp không có dữ liệu."))
    found = next(((k, columns) for k, (_n, cells) in enumerate(table[:HEADER_SEARCH_ROWS])
                  if (columns := columns_of(cells)) is not None), None)
    if found is None:
        raise file_error(no_header)
    header_index, columns = found
    body = table[header_index + 1:]
    if not body:
        raise file_error(no_body)
    limit = current_app.config["IMPORT_MAX_ROWS"]
    if len(body) > limit:
        raise file_error(_l("Tệp có quá nhiều dòng (tối đa %(n)s).", n=limit))
    return columns, body


def _serializer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=kind)


def sign_preview(kind: str, meeting_id: int, filename: str, rows: list[tuple[int, dict]]) -> str:
    """The rows of a preview, signed for the confirm step of the import ``kind`` of one meeting."""
    return _serializer(kind).dumps({"meeting": meeting_id, "filename": filename,
                                    "rows": [[number, values] for number, values in rows]})


def _tampered() -> DomainError:
    return DomainError("import_tampered", _l("Dữ liệu xem trước không hợp lệ. Vui lòng tải tệp lên lại."),
                       status=400)


def unsign_preview(kind: str, meeting_id: int, blob: str) -> tuple[str, list[tuple[int, dict]]]:
    """(filename, rows) of a preview signed by ``sign_preview`` for this import and meeting."""
    try:
        payload = _serializer(kind).loads(blob or "", max_age=PREVIEW_MAX_AGE)
    except SignatureExpired:
        raise DomainError("import_expired", _l("Bản xem trước đã quá hạn. Vui lòng tải tệp lên lại."),
                          status=400) from None
    except BadSignature:
        raise _tampered() from None
    if payload.get("meeting") != meeting_id:
        raise _tampered()
    return payload.get("filename", ""), [(n, v) for n, v in payload["rows"]]


def neutral(value):
    """Text a spreadsheet would run as a formula, made plain text; other values as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
