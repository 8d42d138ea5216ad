"""The layout of an administrative document after Nghị định 30/2020/NĐ-CP (Phụ lục I), and the
Word writer for it.

A document is first arranged as a ``Paper``: the header block (issuing body and unit, số/ký
hiệu, quốc hiệu and tiêu ngữ, place and date), the title, the body as paragraphs of runs, and the
footer (two signature blocks, or the nơi nhận and one signature block). ``docx_bytes`` writes it:

- A4, 210 × 297 mm; margins top 20, bottom 20, left 30, right 15 mm;
- Times New Roman for every script (ascii, hAnsi, eastAsia, cs, so Word and LibreOffice agree;
  LibreOffice without the font uses the metric-compatible Liberation Serif), body 14 pt,
  justified, first line indented 1 cm, line spacing 1.15, 6 pt after each paragraph;
- the header block as a borderless two-column table: quốc hiệu 13 pt bold upper case, tiêu ngữ
  13 pt bold with a rule as long as it, issuing body upper case and unit bold with a rule half its
  length, số/ký hiệu, and the place and date in italics;
- page numbers centred at the top from page 2; "DỰ THẢO" at the top right of every page of a
  draft;
- the footer in a borderless two-column table kept on one page (the nơi nhận beside the one
  signer, or under the two);
- a phụ lục (annex) after it, on a page of its own, with a table in a grid.

The Vietnamese date and time forms come from ``dates.py`` (``short_date``: 27/6/2024, 05/02/2024,
with the leading zero NĐ30 asks for a day below 10 and the months 1 and 2), which the invitation
page uses too without loading python-docx.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
PAGE_W, PAGE_H = 210, 297                    # mm
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
HEADER_LEFT_W = 64                           # the issuer's column; the quốc hiệu's takes the rest
FIRST_LINE_INDENT = 10                       # mm
CELL_PAD = 108 / 56.7                        # Word's default cell margin (108 twips), in mm
SIGN_SPACE = 24                              # mm left blank to sign in
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DRAFT = "DỰ THẢO"


# --------------------------------------------------------------------------- số / ký hiệu

def issuer_code(invitation_number: str, issuing_body: str = "") -> str:
    """The issuer's part of a ký hiệu, taken from the invitation's ('45/GM-HĐND' -> 'HĐND');
    'HĐND' for a council when the invitation has none; '' otherwise."""
    number = (invitation_number or "").strip()
    if "/" in number:
        kind = number.split("/", 1)[1]
        if "-" in kind:
            return kind.split("-", 1)[1].strip()
    return "HĐND" if "HĐND" in (issuing_body or "") else ""


def document_number(number: str, doc_type: str, invitation_number: str = "", issuing_body: str = "") -> str:
    """'Số: 12/BB-HĐND'. A number with its own ký hiệu ('12/BB-HĐND') stays as written; a bare
    number gets the ký hiệu; no number leaves room to write it in by hand."""
    number = (number or "").strip()
    if number.lower().startswith("số"):
        number = number[2:].lstrip(" :")
    code = issuer_code(invitation_number, issuing_body)
    symbol = f"{doc_type}-{code}" if code else doc_type
    if "/" in number:
        return f"Số: {number}"
    return f"Số: {number}/{symbol}" if number else f"Số:        /{symbol}"


# --------------------------------------------------------------------------- the arranged document

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    """A paragraph of the body. kind: "body" (justified, first line indented), "heading" (a
    section heading, bold; kept with what follows), "lead" (an item's title, kept with what
    follows), "end" (the closing sentence)."""
    runs: list[Run]
    kind: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def para(*parts, kind: str = "body") -> Para:
    """para("plain ", Run("bold", bold=True), ...): strings become plain runs."""
    return Para([p if isinstance(p, Run) else Run(str(p)) for p in parts if p != ""], kind)


def bold(text: str) -> Run:
    return Run(text, bold=True)


def italic(text: str) -> Run:
    return Run(text, italic=True)


def lines(text: str) -> list[str]:
    """The paragraphs of a typed text (blank lines dropped)."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


@dataclass
class Header:
    issuing_body: str   # HĐND THỊ XÃ ĐỨC PHỔ (upper case, not bold)
    issuing_unit: str   # THƯỜNG TRỰC (upper case, bold)
    number: str         # Số: 12/BB-HĐND
    place_date: str     # Đức Phổ, ngày 27 tháng 6 năm 2024

    @property
    def unit_rule_mm(self) -> float:
        """The rule under the issuing unit: half the unit's line (NĐ30: 1/3 to 1/2)."""
        return round(min(max(text_width_mm(self.issuing_unit.upper(), HEADER_PT, bold=True) / 2, 12),
                         HEADER_LEFT_W - 2 * CELL_PAD), 1)

    @property
    def motto_rule_mm(self) -> float:
        """The rule under the tiêu ngữ: as long as it."""
        return round(text_width_mm(TIEU_NGU, HEADER_PT, bold=True), 1)


@dataclass
class SignBlock:
    titles: list[str]   # TM. THƯỜNG TRỰC HĐND / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH (bold upper case)
    name: str           # bold


@dataclass
class Row:
    """A row of an annex's table: its cells' texts; a total's row is bold."""
    cells: list[str]
    bold: bool = False


@dataclass
class Annex:
    """A phụ lục after the signatures, on a page of its own: its title lines (bold, centred),
    the line saying what it goes with (italic), a table with a grid, and notes under it."""
    title: list[str]
    attached_to: str
    columns: list[str]
    widths: list[float]       # mm, summing to the text's width at most
    rows: list[Row]
    notes: list[Para] = field(default_factory=list)


@dataclass
class Paper:
    kind: str                 # "minutes" | "notice"
    header: Header
    title: str                # BIÊN BẢN / THÔNG BÁO
    subtitle: list[str]       # trích yếu, bold centred
    paras: list[Para]
    right: SignBlock
    left: SignBlock | None = None        # the minutes: THƯ KÝ
    recipients: list[str] = field(default_factory=list)  # nơi nhận ("- …;" lines): beside the one
    # signer (the notice), or under the two (the minutes)
    annex: Annex | None = None
    draft: bool = False
    filename: str = "van-ban.docx"
    description: str = ""     # the file's title property

    @property
    def subtitle_rule_mm(self) -> float:
        longest = max((text_width_mm(s, BODY_PT, bold=True) for s in self.subtitle), default=0)
        return round(max(min(longest, TEXT_W) / 3, 25), 1)


# --------------------------------------------------------------------------- text widths

# Advance widths of Times New Roman (= Liberation Serif) in em, averaged per kind of letter;
# good enough to size the rules under a line of the header within NĐ30's range.
_WIDTHS = {"upper": (0.667, 0.705), "lower": (0.459, 0.489), "digit": (0.5, 0.5), "space": (0.25, 0.25),
           "other": (0.35, 0.38)}


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    em = 0.0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch not in "đĐ" else ("d" if ch == "đ" else "D")
        kind = ("space" if base.isspace() else "upper" if base.isupper() else "lower" if base.islower()
                else "digit" if base.isdigit() else "other")
        em += _WIDTHS[kind][1 if bold else 0]
    return em * size_pt * 25.4 / 72


# --------------------------------------------------------------------------- Word

def _set_fonts(rpr, size_pt: float | None = None) -> None:
    """Times New Roman for every script on an rPr element (no theme fonts left to override it)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def _styles(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_PT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")   # 6 pt
    spacing.set(qn("w:line"), "276")    # 1.15 lines
    spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    _set_fonts(normal.element.get_or_add_rPr(), BODY_PT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True

    for fonts in list(styles.iter(qn("w:rFonts"))):  # the template's other styles (headings, title...)
        _set_fonts(fonts.getparent())

    header = doc.styles["Header"]
    header.paragraph_format.tab_stops.clear_all()
    _set_fonts(header.element.get_or_add_rPr(), HEADER_PT)

    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "vi-VN")

    # The template's Word 2010 copy of its styles (theme fonts) goes, and its theme's fonts become
    # Times New Roman too, so nothing in the file names another font.
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
        elif rel.reltype.endswith("/theme") and hasattr(rel.target_part, "_blob"):
            rel.target_part._blob = re.sub(rb'<a:latin typeface="[^"]*"', f'<a:latin typeface="{FONT}"'.encode(),
                                           rel.target_part._blob)
    for rel_id, rel in list(doc.part.package.rels.items()):  # the template's blank-page thumbnail
        if rel.reltype.endswith("/thumbnail"):
            del doc.part.package.rels[rel_id]


def _page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.gutter = Mm(0)


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
    return run


def _compact(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0, before: float = 0, line: float = 1.0):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(0)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    return paragraph


def _rule(container, length_mm: float, box_mm: float, after: float = 2) -> None:
    """A centred horizontal rule of ``length_mm`` in a box ``box_mm`` wide: an empty paragraph,
    1 pt high, with a bottom border, its indents leaving the rule's length between them."""
    p = _compact(container.add_paragraph(), after=after)
    side = max(0.0, (box_mm - length_mm) / 2)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(4)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                              "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    ppr.append(mark)


def _borderless_table(doc, widths_mm: list[float]):
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    for column, w in zip(table.columns, widths_mm):
        column.width = Mm(w)
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    for cell, w in zip(row.cells, widths_mm):
        cell.width = Mm(w)
    return table


def _cell_lines(cell, first: bool = True):
    """The cell's first (empty) paragraph, then new ones."""
    if first:
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _header_block(doc, header: Header) -> None:
    right_w = TEXT_W - HEADER_LEFT_W
    table = _borderless_table(doc, [HEADER_LEFT_W, right_w])
    left, right = table.rows[0].cells
    p = _compact(_cell_lines(left))
    _run(p, header.issuing_body.upper(), size=HEADER_PT)
    p = _compact(_cell_lines(left, False))
    _run(p, header.issuing_unit.upper(), bold=True, size=HEADER_PT)
    _rule(left, header.unit_rule_mm, HEADER_LEFT_W - 2 * CELL_PAD, after=6)
    p = _compact(_cell_lines(left, False))
    _run(p, header.number, size=HEADER_PT)

    p = _compact(_cell_lines(right))
    _run(p, QUOC_HIEU, bold=True, size=HEADER_PT)
    p = _compact(_cell_lines(right, False))
    _run(p, TIEU_NGU, bold=True, size=HEADER_PT)
    _rule(right, header.motto_rule_mm, right_w - 2 * CELL_PAD, after=6)
    p = _compact(_cell_lines(right, False))
    _run(p, header.place_date, italic=True, size=BODY_PT)


def _title(doc, paper: Paper) -> None:
    p = _compact(doc.add_paragraph(), before=18, after=0)
    p.paragraph_format.keep_with_next = True
    _run(p, paper.title, bold=True, size=BODY_PT)
    for i, line in enumerate(paper.subtitle):
        p = _compact(doc.add_paragraph())
        p.paragraph_format.keep_with_next = True
        _run(p, line, bold=True, size=BODY_PT)
    _rule(doc, paper.subtitle_rule_mm, TEXT_W, after=12)


def _body(doc, paper: Paper) -> None:
    for item in paper.paras:
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.first_line_indent = Mm(FIRST_LINE_INDENT)
        if item.kind in ("heading", "lead", "end"):  # never alone at a page's foot; the
            fmt.keep_with_next = True                   # closing sentence stays with the signatures
        if item.kind == "heading":
            fmt.space_before = Pt(6)
        for run in item.runs:
            _run(p, run.text, bold=run.bold or item.kind == "heading", italic=run.italic)


def _sign_block(cell, block: SignBlock) -> None:
    first = True
    for title in block.titles:
        p = _compact(_cell_lines(cell, first))
        first = False
        _run(p, title.upper(), bold=True, size=BODY_PT)
    p = _compact(_cell_lines(cell, first), before=0)
    p.paragraph_format.space_before = Mm(SIGN_SPACE)
    _run(p, block.name, bold=True, size=BODY_PT)


def _recipients(container, lines: list[str], first: bool) -> None:
    """'Nơi nhận:' (bold italic 12 pt) and its lines (11 pt), left-aligned."""
    p = _compact(_cell_lines(container, first) if first else container.add_paragraph(),
                 align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(p, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in lines:
        p = _compact(container.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(p, line, size=11)


def _footer(doc, paper: Paper) -> None:
    spacer = _compact(doc.add_paragraph(), after=0)
    spacer.paragraph_format.keep_with_next = True
    if paper.left is not None:
        table = _borderless_table(doc, [TEXT_W / 2, TEXT_W / 2])
        left, right = table.rows[0].cells
        _sign_block(left, paper.left)
    else:
        table = _borderless_table(doc, [TEXT_W * 0.46, TEXT_W * 0.54])
        left, right = table.rows[0].cells
        _recipients(left, paper.recipients, first=True)
    _sign_block(right, paper.right)
    if paper.left is not None and paper.recipients:  # under the two signatures
        _compact(doc.add_paragraph(), after=0)
        _recipients(doc, paper.recipients, first=False)


def _grid(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(key), value)
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _annex(doc, annex: Annex) -> None:
    """The phụ lục on a new page: title, what it goes with, the table (its header row repeated
    on every page), the notes."""
    for n, line in enumerate(annex.title):
        p = _compact(doc.add_paragraph())
        p.paragraph_format.page_break_before = n == 0
        p.paragraph_format.keep_with_next = True
        _run(p, line, bold=True, size=BODY_PT)
    p = _compact(doc.add_paragraph(), after=12)
    p.paragraph_format.keep_with_next = True
    _run(p, annex.attached_to, italic=True, size=BODY_PT)
    table = doc.add_table(rows=1 + len(annex.rows), cols=len(annex.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid(table)
    for column, w in zip(table.columns, annex.widths):
        column.width = Mm(w)
    for r, (cells, is_bold, is_head) in enumerate(
            [(annex.columns, True, True), *((row.cells, row.bold, False) for row in annex.rows)]):
        row = table.rows[r]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if is_head:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width = Mm(annex.widths[c])
            align = WD_ALIGN_PARAGRAPH.LEFT if c == 1 and not is_head else WD_ALIGN_PARAGRAPH.CENTER
            p = _compact(cell.paragraphs[0], align=align, before=2, after=2)
            _run(p, text, bold=is_bold, size=HEADER_PT)
    for item in annex.notes:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        for run in item.runs:
            _run(p, run.text, bold=run.bold, italic=run.italic, size=HEADER_PT)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, the last shown value, end."""
    def char(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _draft_mark(paragraph) -> None:
    run = _run(paragraph, DRAFT, bold=True, size=HEADER_PT)
    rpr = run._r.get_or_add_rPr()
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
        border.set(qn(key), value)
    rpr.append(border)


def _page_headers(section, draft: bool) -> None:
    """Page numbers centred at the top from page 2; 'DỰ THẢO' at the top right of every page."""
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    _compact(first, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if draft:
        _draft_mark(first)
    other = section.header.paragraphs[0]
    _compact(other, align=WD_ALIGN_PARAGRAPH.LEFT)
    other.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W / 2), WD_TAB_ALIGNMENT.CENTER)
    other.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)
    other.add_run("\t")
    _field(other, "PAGE", "2")
    if draft:
        other.add_run("\t")
        _draft_mark(other)


def document(paper: Paper, *, author: str = "", now: datetime | None = None):
    """The python-docx Document of a Paper."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    _page_headers(section, paper.draft)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    _header_block(doc, paper.header)
    _title(doc, paper)
    _body(doc, paper)
    _footer(doc, paper)
    if paper.annex is not None:
        _annex(doc, paper.annex)
    props = doc.core_properties
    props.title = paper.description or paper.title
    props.subject = paper.title
    props.author = author
    props.last_modified_by = author
    props.comments = DRAFT if paper.draft else ""
    props.keywords = ""
    props.language = "vi-VN"
    props.revision = 1
    if now is not None:
        props.created = props.modified = now
    return doc


def docx_bytes(paper: Paper, *, author: str = "", now: datetime | None = None) -> bytes:
    buffer = io.BytesIO()
    document(paper, author=author, now=now).save(buffer)
    return buffer.getvalue()
