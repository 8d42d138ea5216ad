"""The .xlsx an import page offers to fill in, built from the import's own column declaration.

``template_xlsx`` writes the headings an import reads (``tables.Column``) after a "STT" column
(which no import reads), the examples below them, a bold and frozen header, each column's width,
and for a column with a set of values a drop-down list. The lists stand on a second sheet
("Danh mục"): a unit's name may hold a comma, and a list written into the rule itself is limited
to 255 characters. Imports read the first sheet only. The file is a document: Vietnamese whatever
the interface language.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import current_app

from .tables import Column

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_HEADING = "STT"
LISTS_SHEET = "Danh mục"


@dataclass(frozen=True)
class Choices:
    """The values a column takes. ``strict``: anything else is refused as it is typed; otherwise
    Excel warns and lets it stand (a new unit, which the import adds)."""
    values: Sequence[str]
    strict: bool = True
    error: str = "Hãy chọn một giá trị trong danh sách."  # what Excel says of another value


def template_xlsx(title: str, columns: Sequence[Column], examples: Sequence[Mapping[str, str]],
                  choices: Mapping[str, Choices]) -> bytes:
    """The workbook: sheet ``title`` with the headings of ``columns``, the ``examples`` (field ->
    text) numbered below them, and a drop-down on each column named in ``choices``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    sheet = wb.active
    sheet.title = title
    sheet.append([NUMBER_HEADING, *(c.heading for c in columns)])
    for n, example in enumerate(examples, start=1):
        sheet.append([n, *(example.get(c.field) or None for c in columns)])  # an empty cell, not ""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    last_row = current_app.config["IMPORT_MAX_ROWS"] + 1  # what one file may hold, below the header
    sheet.column_dimensions["A"].width = 6
    lists, listed = None, 0
    for index, column in enumerate(columns, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = Alignment(vertical="top", wrap_text=column.width >= 40)
            if column.as_text:
                cell.number_format = "@"
        if column.as_text:  # rows typed later keep their leading 0 too
            sheet.column_dimensions[letter].number_format = "@"
        chosen = choices.get(column.field)
        if chosen is None or not chosen.values:
            continue
        if lists is None:
            lists = wb.create_sheet(LISTS_SHEET)
        listed += 1
        at, list_letter = listed, get_column_letter(listed)
        lists.cell(1, at, column.heading).font = Font(bold=True)
        for row, value in enumerate(chosen.values, start=2):
            lists.cell(row, at, value)
        lists.column_dimensions[list_letter].width = column.width
        rule = DataValidation(
            type="list", allow_blank=True,
            formula1=f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(chosen.values) + 1}",
            showErrorMessage=True, errorStyle="stop" if chosen.strict else "warning",
            errorTitle=column.heading, error=chosen.error)
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
