"""Big and hostile .xlsx files for the import tests and bench/import_stall.py, written as the
package's XML directly (a 300,000-row file in about a second; openpyxl would take far longer).

One header fits both imports: "STT | Họ và tên | Đơn vị | Nội dung" (the invitee import needs
"Họ và tên", the kiến nghị import "Đơn vị" and "Nội dung").
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

HEADER = ("STT", "Họ và tên", "Đơn vị", "Nội dung")
UNITS = ("Xã Phổ An", "Xã Phổ Khánh", "Phường Phổ Vinh", "Phường Nguyễn Nghiêm")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _col(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx(rows_xml, strings: list[str], *, dimension: str | None = None) -> bytes:
    """A package with one sheet whose <sheetData> is the chunks ``rows_xml``, and shared strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>"))
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in rows_xml:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def big_list(rows: int, names: int = 1000, *, dimension: bool = True) -> bytes:
    """The header and ``rows`` people (``names`` different names, repeated), each with a unit and
    a kiến nghị, all shared strings: 300,000 rows make about 2.3 MB. With ``dimension`` the sheet
    declares its size, as Excel and openpyxl write it."""
    strings = [*HEADER, *UNITS, "Đề nghị bổ sung kinh phí hoạt động cho HĐND cấp xã."]
    unit0, content = len(HEADER), len(strings) - 1
    first = len(strings)
    strings += [f"Nguyễn Văn {n}" for n in range(1, names + 1)]

    def chunks():
        yield '<row r="1">' + "".join(f'<c r="{_col(i)}1" t="s"><v>{i}</v></c>' for i in range(len(HEADER))) + "</row>"
        batch = []
        for n in range(1, rows + 1):
            r = n + 1
            batch.append(f'<row r="{r}"><c><v>{n}</v></c><c t="s"><v>{first + n % names}</v></c>'
                         f'<c t="s"><v>{unit0 + n % len(UNITS)}</v></c><c t="s"><v>{content}</v></c></row>')
            if len(batch) == 5000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    return xlsx(chunks(), strings, dimension=f"A1:D{rows + 1}" if dimension else None)


def row_xml(number: int, cells: dict[str, str]) -> str:
    """One row of inline strings: {"A": "text", ...}."""
    return (f'<row r="{number}">' + "".join(f'<c r="{col}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                                            for col, text in cells.items()) + "</row>")
