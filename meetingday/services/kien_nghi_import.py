"""Importing kiến nghị from .xlsx or .csv: parse, preview with per-row errors, then write.

Columns (the header row may stand below title lines; headings compared without diacritics,
case or punctuation): "Đơn vị" (the xã or phường: "Phổ Khánh", "xã Phổ Khánh" and "HĐND xã Phổ
Khánh" all find it), "Nội dung" (required), and optionally "Ban" or "Giao cho" (the body that
answers: "Ban Pháp chế", "Pháp chế"...). Files are read by the invitee import's reader
(services/tables.py). Unlike invitees, an unknown unit is an error: kiến nghị come from the
15 xã and phường already in the units list. The columns are declared once (``COLUMNS``), for
reading and for the template the import panel offers (``template``).

A unit importing by its submission link (services/unit_kien_nghi.py) has its commune fixed
(``commune``): the "Đơn vị" column may be left out or empty, and a row naming another commune is
an error. Its preview is signed for that unit alone.

The preview travels to the confirm step signed with the secret key (12 hours), so nothing is
stored in between; the rows are checked again when confirmed, under the desk's claim. A file with
errors writes nothing unless the user chooses to import only the valid rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..errors import DomainError, meeting_not_found
from ..extensions import db
from ..models import KienNghi, KienNghiStatus, Meeting, Organisation, User
from ..text import clean, fold
from . import kien_nghi
from .import_template import Choices, template_xlsx
from .tables import HEADER_SEARCH_ROWS, Column, Preview, Row, find_header, sign_preview, unsign_preview

# The columns read, each with the heading the template writes and the others accepted (compared
# by ``norm``).
COLUMNS = (
    Column("organisation", "Đơn vị", ("xa phuong", "phuong xa", "dia phuong", "don vi kien nghi", "unit", "commune"),
           width=24),
    Column("content", "Nội dung", ("noi dung kien nghi", "kien nghi", "content", "recommendation"), width=80),
    Column("assigned", "Ban", ("giao cho", "ban tra loi", "ban phu trach", "co quan tra loi", "don vi tra loi",
                               "assigned to", "committee"), width=26),
)
TEMPLATE_NAME = "Mẫu kiến nghị.xlsx"
# The template's two examples, as a xã or phường writes them.
EXAMPLES = (
    {"organisation": "Xã Phổ Khánh", "content": "Đề nghị bổ sung kinh phí hoạt động cho HĐND cấp xã.",
     "assigned": "Ban Kinh tế - Xã hội"},
    {"organisation": "Phường Phổ Vinh",
     "content": "Đề nghị hướng dẫn việc phân công lại tổ đại biểu sau khi sáp nhập tổ dân phố.",
     "assigned": "Ban Pháp chế"},
)
# Words that stand before a unit's own name: "HĐND xã Phổ Khánh", "Ban Pháp chế HĐND thị xã".
_BODY_PREFIX = re.compile(r"^(thuong truc hdnd|hdnd|ubnd|dang uy) ")
_PLACE_PREFIX = re.compile(r"^(xa|phuong) ")
_BAN_SUFFIX = re.compile(r" (hdnd thi xa|hdnd|thi xa)$")
_BAN_PREFIX = re.compile(r"^ban ")

Actor = User | str | None


def norm(text: str | None) -> str:
    """'Ban Kinh tế - Xã hội' -> 'ban kinh te xa hoi': folded, punctuation as spaces."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def same_text(text: str | None) -> str:
    """What two copies of one kiến nghị share: the words, in lower case (tones kept)."""
    return " ".join(clean(text).lower().split())


HEADINGS = {c.field: c.accepted(norm) for c in COLUMNS}


def _commune_names(org: Organisation) -> set[str]:
    names = set()
    for name in (org.name, org.short_name):
        n = norm(name)
        names.add(n)
        n = _BODY_PREFIX.sub("", n)
        names.add(n)
        names.add(_PLACE_PREFIX.sub("", n))
    return names - {""}


def _assignee_names(org: Organisation) -> set[str]:
    names = set()
    for name in (org.name, org.short_name):
        n = norm(name)
        names.add(n)
        n = _BAN_SUFFIX.sub("", n)
        names.add(n)
        names.add(_BAN_PREFIX.sub("", n))
    return names - {""}


def _index(orgs: list[Organisation], names) -> dict[str, list[Organisation]]:
    index: dict[str, list[Organisation]] = {}
    for org in orgs:
        for name in names(org):
            found = index.setdefault(name, [])
            if org not in found:
                found.append(org)
    return index


@dataclass
class Known:
    """What a check needs, read once per file: the units by every way of writing them, and the
    kiến nghị already there and seen so far in the file (commune, ``same_text`` of the content)."""
    communes: dict
    assignees: dict
    existing: set
    seen: dict = field(default_factory=dict)
    fixed: Organisation | None = None  # a unit's import: every row is this commune's

    @classmethod
    def of(cls, meeting: Meeting, fixed: Organisation | None = None) -> Known:
        existing = {(kn.organisation_id, same_text(kn.content)) for kn in kien_nghi.listing(meeting)}
        return cls(communes=_index(kien_nghi.communes(), _commune_names),
                   assignees=_index(kien_nghi.assignees(), _assignee_names), existing=existing, fixed=fixed)

    @staticmethod
    def _one(index: dict, text: str) -> tuple[Organisation | None, bool]:
        """The unit a name means: (unit, ambiguous)."""
        found = index.get(norm(text), [])
        return (found[0], False) if len(found) == 1 else (None, len(found) > 1)

    def commune(self, text: str):
        return self._one(self.communes, text)

    def assignee(self, text: str):
        return self._one(self.assignees, text)


def _columns(header: list[str]) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for i, heading in enumerate(header):
        wanted.setdefault(norm(heading), i)
    return {f: next(wanted[n] for n in names if n in wanted)
            for f, names in HEADINGS.items() if any(n in wanted for n in names)}


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def check_row(known: Known, number: int, values: dict) -> Row:
    row = Row(number=number, values=dict(values))
    commune = None
    if known.fixed is not None:
        commune = known.fixed
        named, _ambiguous = known.commune(values["organisation"]) if values["organisation"] else (commune, False)
        if named is None or named.id != commune.id:
            row.errors.append(_l("Dòng này ghi đơn vị “%(v)s”; qua đường dẫn của %(unit)s chỉ nhập được kiến nghị "
                                 "của %(unit)s.", v=values["organisation"], unit=commune.short_name))
    elif not values["organisation"]:
        row.errors.append(_l("Thiếu đơn vị (xã, phường)."))
    else:
        commune, ambiguous = known.commune(values["organisation"])
        if ambiguous:
            row.errors.append(_l("“%(v)s” trùng tên nhiều đơn vị; hãy ghi rõ xã hay phường.", v=values["organisation"]))
        elif commune is None:
            row.errors.append(_l("Không có xã, phường “%(v)s” trong danh mục đơn vị.", v=values["organisation"]))
    try:
        content = kien_nghi.check_content(values["content"])
    except DomainError as e:
        row.errors.append(e.message)
        content = ""
    row.values["content"] = content or values["content"]
    if values["assigned"]:
        assignee, ambiguous = known.assignee(values["assigned"])
        if ambiguous:
            row.errors.append(_l("“%(v)s” trùng tên nhiều cơ quan; hãy ghi tên đầy đủ của Ban.", v=values["assigned"]))
        elif assignee is None:
            row.errors.append(_l("Không có Ban hoặc cơ quan cấp thị xã “%(v)s” trong danh mục đơn vị.",
                                 v=values["assigned"]))
        else:
            row.values["assigned_name"] = assignee.short_name
    if commune is not None:
        row.values["organisation_name"] = commune.short_name
    if commune is not None and content:
        key = (commune.id, same_text(content))
        if key in known.existing:
            row.errors.append(_l("Kiến nghị này đã có trong danh sách."))
        elif key in known.seen:
            row.errors.append(_l("Trùng với dòng %(n)s trong tệp.", n=known.seen[key]))
        else:
            known.seen[key] = number
    return row


def preview(meeting: Meeting, filename: str, data: bytes, *, commune: Organisation | None = None) -> Preview:
    """Parse and check every row (for a unit's import, with its `commune` fixed); writes nothing."""
    needed = {"content"} if commune is not None else {"organisation", "content"}
    columns, body = find_header(
        filename, data, lambda cells: c if needed <= (c := _columns(cells)).keys() else None,
        no_header=_l("Không tìm thấy dòng tiêu đề có hai cột “Đơn vị” và “Nội dung” trong %(n)s dòng "
                     "đầu của tệp.", n=HEADER_SEARCH_ROWS),
        no_body=_l("Tệp chỉ có dòng tiêu đề, không có kiến nghị nào để nhập."))
    known = Known.of(meeting, commune)
    rows = [check_row(known, number, {
        "organisation": clean(_cell(cells, columns.get("organisation"))),
        "content": _cell(cells, columns.get("content")),
        "assigned": clean(_cell(cells, columns.get("assigned"))),
    }) for number, cells in body]
    return Preview(filename=filename, rows=rows)


PREVIEW_KIND = "kien-nghi-import"  # the salt its previews are signed with


def _kind(unit_id: int | None) -> str:
    """A unit's previews are signed for that unit alone."""
    return PREVIEW_KIND if unit_id is None else f"{PREVIEW_KIND}-unit-{unit_id}"


def sign(meeting: Meeting, result: Preview, *, unit_id: int | None = None) -> str:
    raw = [(r.number, {k: r.values.get(k, "") for k in ("organisation", "content", "assigned")}) for r in result.rows]
    return sign_preview(_kind(unit_id), meeting.id, result.filename, raw)


def apply(meeting_id, blob: str, *, only_valid: bool, actor: Actor = None, commune: Organisation | None = None,
          unit_id: int | None = None, sent=None) -> tuple[int, list[Row]]:
    """Write the previewed rows, checked again. Returns (added, skipped rows). Without
    ``only_valid``, one bad row means nothing is written. A unit's import passes its `commune`,
    `unit_id` and `sent` (as kien_nghi.add takes it)."""
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise meeting_not_found() from None
    filename, signed_rows = unsign_preview(_kind(unit_id), meeting_id, blob)

    def write(meeting: Meeting):
        fields = sent(meeting) if sent else {}
        known = Known.of(meeting, commune)
        rows = [check_row(known, n, v) for n, v in signed_rows]
        bad = [r for r in rows if not r.ok]
        if bad and not only_valid:
            raise DomainError("import_has_errors",
                              _l("Tệp còn %(n)s dòng lỗi: chưa nhập kiến nghị nào. Hãy sửa tệp, hoặc chọn chỉ nhập "
                                 "các dòng hợp lệ.", n=len(bad)), status=422)
        good = [r for r in rows if r.ok]
        if not good:
            raise DomainError("import_empty", _l("Không có dòng hợp lệ nào để nhập."), status=422)
        touched = set()
        for row in good:
            org = known.fixed or known.commune(row.values["organisation"])[0]
            assignee = known.assignee(row.values["assigned"])[0] if row.values["assigned"] else None
            db.session.add(KienNghi(meeting_id=meeting.id, organisation_id=org.id, content=row.values["content"],
                                    assigned_org_id=assignee.id if assignee else None,
                                    status=KienNghiStatus.PENDING, answer="", answered_by="", **fields))
            touched.add(org.id)
        return kien_nghi.Outcome((len(good), bad), None, {"filename": filename, "added": len(good),
                                                           "skipped": [r.number for r in bad],
                                                           **{k: v for k, v in fields.items() if k != "unit_id"}},
                                 phones=touched)
    return kien_nghi.change(meeting_id, "import", actor, write)


def template(commune: Organisation | None = None) -> bytes:
    """The file to fill in: the columns ``preview`` reads, two examples, and drop-down lists of the
    xã and phường and of the bodies that answer; for a unit's import, its own `commune` only."""
    examples = EXAMPLES if commune is None else tuple({**e, "organisation": commune.short_name} for e in EXAMPLES)
    return template_xlsx("Kiến nghị", COLUMNS, examples, {
        "organisation": Choices([o.short_name for o in ([commune] if commune else kien_nghi.communes())]),
        "assigned": Choices([o.short_name for o in kien_nghi.assignees()]),
    })
