"""Spreadsheets in and out, shared by every import and export.

In: ``read_table`` gives a .xlsx or .csv file's rows; ``find_header`` finds the header row below
any title lines; ``Row``/``Preview`` hold the checked rows. A preview travels to the confirm step
signed with the secret key (``sign_preview``/``unsign_preview``), not stored, so any server
process can take the confirmation and nobody can alter the rows in between.
Each import declares its columns as ``Column``s: the heading its template writes and the other
headings it accepts (services/import_template.py builds the template from the same declaration).
Out: ``neutral`` keeps text from being run as a formula by a spreadsheet.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import DomainError
from ..offload import off_the_hub

HEADER_SEARCH_ROWS = 10  # title lines ("DANH SÁCH ĐẠI BIỂU ...") may stand above the header
PREVIEW_MAX_AGE = 12 * 3600  # a preview may be confirmed within half a day
MAX_COLUMNS = 50  # columns read from a file; a value further right is refused
EXCEL_MAX_ROW = 1_048_576  # the last row a sheet can have
# What a .xlsx may hold before it is opened (see _check_package): a list of IMPORT_MAX_ROWS rows
# needs a small part of each.
UNPACKED_MAX = 64 * 1024 * 1024  # bytes, all parts unpacked
WHOLE_PARTS_MAX_TAGS = 250_000  # XML tags in the parts read whole (shared strings, styles...)
UNDIMENSIONED_SHEET_MAX = 4 * 1024 * 1024  # bytes of a sheet that does not declare its size
BLANK_ROWS_READ = 4  # blank rows read in all, per row of the cap, before a file counts as too long


@dataclass(frozen=True)
class Column:
    """A column an import reads: the field it fills, the heading its template writes (Vietnamese,
    also accepted), the other headings accepted (folded, as the import compares them), and how the
    template lays it out."""
    field: str
    heading: str
    aliases: tuple[str, ...] = ()
    width: int = 20        # characters, in the template
    as_text: bool = False  # the template keeps what is typed as text (a phone number's leading 0)

    def accepted(self, key: Callable[[str], str]) -> tuple[str, ...]:
        """Every heading that names this column, as ``key`` folds them, the template's first."""
        return (key(self.heading), *self.aliases)


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


def read_table(filename: str, data: bytes, max_rows: int) -> tuple[list[tuple[int, list[str]]], bool]:
    """The first ``max_rows`` non-empty rows of a .xlsx or .csv file (UTF-8, with or without
    BOM) as (row number, cells), and whether reading stopped at too many blank rows.

    Rows are streamed and reading stops at ``max_rows``, so a file far over the limit costs no
    more than one at it. Blank rows are skipped: a run of more than ``max_rows`` of them ends the
    table (borders or styles drawn far below a short list, a CSV ending in lines of commas; a
    sheet may jump from row 1 to row 1,048,576), and past BLANK_ROWS_READ × ``max_rows`` of them
    in all reading stops as too long. A value right of column MAX_COLUMNS is refused; the size a
    sheet declares (``<dimension>``) is not used.
    """
    name = (filename or "").lower()
    if not data:
        raise file_error(_l("Tệp trống."))
    if name.endswith(".xlsx"):
        source = _xlsx_rows(data)
    elif name.endswith(".csv"):
        source = _csv_rows(data)
    else:
        raise file_error(_l("Chỉ nhận tệp .xlsx hoặc .csv."))
    rows: list[tuple[int, list[str]]] = []
    blank_run = 0
    with closing(source):
        for number, cells in source:
            if len(cells) > MAX_COLUMNS and any(c not in (None, "") for c in cells[MAX_COLUMNS:]):
                raise file_error(_l("Tệp có quá nhiều cột (tối đa %(n)s).", n=MAX_COLUMNS))
            texts = ["" if c is None else str(c).strip() for c in cells[:MAX_COLUMNS]]
            if any(texts):
                rows.append((number, texts))
                blank_run = 0
                if len(rows) == max_rows:
                    return rows, False
                continue
            blank_run += 1
            if blank_run > max_rows:
                return rows, False
            if number - len(rows) > BLANK_ROWS_READ * max_rows:
                return rows, True
    return rows, False


def _too_much() -> DomainError:
    return file_error(_l("Tệp Excel quá lớn khi giải nén hoặc có quá nhiều ô. Hãy lưu một tệp chỉ có danh sách "
                         "cần nhập."))


def _excel_broken() -> DomainError:
    return file_error(_l("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx."))


def _check_package(data: bytes) -> None:
    """Refuse a .xlsx that would cost far more to open than its size says, before openpyxl opens
    it: openpyxl reads every part but the sheets whole when it opens a workbook (the shared
    strings, styles...), and a sheet without ``<dimension>`` too, row by row, to find its size.
    So: at most UNPACKED_MAX bytes in all (the sizes the package declares, which zipfile holds
    each part to), at most WHOLE_PARTS_MAX_TAGS XML tags in the parts that are not sheets, and a
    sheet over UNDIMENSIONED_SHEET_MAX must declare its dimension. Sheets are then streamed."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _excel_broken() from None
    with package:
        parts = package.infolist()
        if sum(p.file_size for p in parts) > UNPACKED_MAX:
            raise _too_much()
        tags = 0
        for part in parts:
            try:
                if "worksheets/" in part.filename and not part.filename.endswith(".rels"):
                    if part.file_size > UNDIMENSIONED_SHEET_MAX and not _declares_dimension(package, part):
                        raise _too_much()
                elif part.filename.endswith((".xml", ".rels")):
                    tags += _count_tags(package, part, WHOLE_PARTS_MAX_TAGS - tags)
                    if tags > WHOLE_PARTS_MAX_TAGS:
                        raise _too_much()
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError):
                raise _excel_broken() from None


def _count_tags(package: zipfile.ZipFile, part: zipfile.ZipInfo, most: int) -> int:
    """XML tags ("<") in a part, counted until there are more than ``most``."""
    found = 0
    with package.open(part) as stream:
        while found <= most and (chunk := stream.read(1 << 20)):
            found += chunk.count(b"<")
    return found


_DIMENSION = re.compile(rb"<(?:\w+:)?(dimension|sheetData)\b")


def _declares_dimension(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Whether a sheet's ``<dimension>`` comes before its rows, in its first 64 KB."""
    with package.open(part) as stream:
        found = _DIMENSION.search(stream.read(1 << 16))
    return found is not None and found.group(1) == b"dimension"


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    _check_package(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _excel_broken() from None
    try:
        sheet = wb.worksheets[0]
        # max_col and max_row given: openpyxl would otherwise pad every row to the declared width
        # (up to 16,384 columns) and stop at the declared last row.
        yield from enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=EXCEL_MAX_ROW, values_only=True),
                             start=1)
    except (zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, EOFError, OSError):
        raise _excel_broken() from None  # a part broken further in than openpyxl reads when opening
    finally:
        wb.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(_l("Tệp CSV cần được lưu bằng bảng mã UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from enumerate(csv.reader(io.StringIO(text), dialect), start=1)
    except csv.Error:
        raise file_error(_l("Không đọc được tệp CSV.")) from None


def find_header(filename: str, data: bytes, columns_of: Callable[[list[str]], dict | None], *,
                no_header, no_body) -> tuple[dict, list[tuple[int, list[str]]]]:
    """(columns, body rows) of a file whose header row stands in its first HEADER_SEARCH_ROWS
    non-empty rows. ``columns_of(cells)`` gives the header's columns, or None when ``cells`` is
    not the header. ``no_header`` and ``no_body`` are the messages when the file has no header
    or nothing below it; a body over IMPORT_MAX_ROWS is refused, the file read no further than
    that (``read_table``, off the hub)."""
    limit = current_app.config["IMPORT_MAX_ROWS"]
    # The header stands in the first HEADER_SEARCH_ROWS rows: this many rows hold a body over the limit.
    table, more = off_the_hub(read_table, filename, data, HEADER_SEARCH_ROWS + limit + 1)
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
    if more or len(body) > limit:
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
