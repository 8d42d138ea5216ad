"""Importing invitees from .xlsx or .csv: parse, preview with per-row errors, then write.

Nothing is written from a file with errors unless the user chooses to import only the valid
rows. Files are read, and previews signed, by services/tables.py. The columns are declared once
(``COLUMNS``), for reading and for the template the import page offers (``template``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import InviteeCategory, Meeting, Organisation, User, max_length
from ..text import clean, fold
from . import invitees, minutes, organisations
from .import_template import Choices, template_xlsx
from .meetings import lock_meeting
from .tables import HEADER_SEARCH_ROWS, Column, Preview, Row, find_header, sign_preview, unsign_preview

# The columns read, each with the heading the template writes and the others accepted (compared
# without diacritics or case).
COLUMNS = (
    Column("full_name", "Họ và tên", ("ho ten", "name", "full name"), width=28),
    Column("honorific", "Danh xưng", ("ong/ba", "ong ba", "honorific", "salutation"), width=11),
    Column("position", "Chức vụ", ("position",), width=40),
    Column("organisation", "Đơn vị", ("co quan", "co quan, don vi", "co quan/don vi", "unit", "organisation",
                                      "organization"), width=28),
    Column("category", "Thành phần", ("loai", "category", "type"), width=14),
    Column("phone", "Điện thoại", ("so dien thoai", "sdt", "phone"), width=15, as_text=True),
)
HEADINGS = {c.field: c.accepted(fold) for c in COLUMNS}
CATEGORIES = {"Đại biểu": InviteeCategory.DELEGATE, "Khách mời": InviteeCategory.GUEST}  # as the template lists them
CATEGORY_WORDS = {fold(word): category for word, category in CATEGORIES.items()} | {
    "delegate": InviteeCategory.DELEGATE, "": InviteeCategory.DELEGATE,
    "khach": InviteeCategory.GUEST, "guest": InviteeCategory.GUEST,
}
# A list with the family name and the given name in two columns ("Họ" | "Tên").
FAMILY_NAME = ("ho", "ho dem", "ho va ten dem", "family name", "surname")
GIVEN_NAME = ("ten", "given name", "first name")
PREVIEW_KIND = "invitee-import"  # the salt its previews are signed with
MAX_UNIT_NAME = max_length(Organisation.short_name)  # a new unit is named by it
HONORIFICS = ("Ông", "Bà")  # as the template lists them
HONORIFIC_WORDS = {fold(h): h for h in HONORIFICS} | {"": "", "mr": "Ông", "mrs": "Bà", "ms": "Bà"}
TEMPLATE_NAME = "Mẫu danh sách mời.xlsx"
# The template's two examples, one of each kind, as a Văn phòng writes them.
EXAMPLES = (
    {"full_name": "Nguyễn Thị Thu Hương", "honorific": "Bà", "position": "Phó Chủ tịch HĐND xã Phổ An",
     "organisation": "Xã Phổ An", "category": "Đại biểu", "phone": "0905618274"},
    {"full_name": "Trần Quốc Bảo", "honorific": "Ông", "position": "Phó Chủ tịch UBND thị xã",
     "organisation": "UBND thị xã", "category": "Khách mời", "phone": ""},
)


def _columns(header: list[str]) -> dict[str, int | tuple[int, int]]:
    """Which column holds which field; full_name may be a (family, given) pair of columns."""
    wanted = {fold(h): i for i, h in enumerate(header) if h}

    def find(names):
        return next((wanted[n] for n in names if n in wanted), None)

    columns: dict = {f: i for f, names in HEADINGS.items() if (i := find(names)) is not None}
    family, given = find(FAMILY_NAME), find(GIVEN_NAME)
    if "full_name" not in columns and family is not None and given is not None:
        columns["full_name"] = (family, given)
    return columns


def _cell(cells: list[str], index: int | tuple[int, int]) -> str:
    if isinstance(index, tuple):
        return " ".join(_cell(cells, i) for i in index)
    return cells[index] if index < len(cells) else ""


def preview(meeting: Meeting, filename: str, data: bytes) -> Preview:
    """Parse and check every row; writes nothing."""
    columns, body = find_header(
        filename, data, lambda cells: c if "full_name" in (c := _columns(cells)) else None,
        no_header=_l("Không tìm thấy dòng tiêu đề có cột “Họ và tên” (hoặc hai cột “Họ” và “Tên”) "
                     "trong %(n)s dòng đầu của tệp.", n=HEADER_SEARCH_ROWS),
        no_body=_l("Tệp chỉ có dòng tiêu đề, không có ai để nhập."))
    known = Known.of(meeting)
    rows = [check_row(known, number, {f: clean(_cell(cells, columns[f])) if f in columns else ""
                                      for f in HEADINGS})
            for number, cells in body]
    return Preview(filename=filename, rows=rows)


@dataclass
class Known:
    """What a check needs, read once per file: units by every way of writing them, people
    already invited, and the rows seen so far in this file."""
    orgs: dict
    invited: set
    seen: dict = field(default_factory=dict)

    @classmethod
    def of(cls, meeting: Meeting) -> Known:
        orgs: dict = {}
        for org in organisations.all_organisations():
            for name in (org.key, fold(org.short_name), fold(org.name)):
                orgs.setdefault(name, org)
        return cls(orgs=orgs, invited={(fold(i.full_name), i.organisation_id) for i in meeting.invitees})

    def org(self, name: str):
        return self.orgs.get(fold(name)) if name else None


def check_row(known: Known, number: int, values: dict) -> Row:
    row = Row(number=number, values=values)
    category = CATEGORY_WORDS.get(fold(values["category"]))
    honorific = HONORIFIC_WORDS.get(fold(values["honorific"]))
    if category is None:
        row.errors.append(_l("Thành phần “%(v)s” không hợp lệ (Đại biểu hoặc Khách mời).", v=values["category"]))
    if honorific is None:
        row.errors.append(_l("Danh xưng “%(v)s” không hợp lệ (Ông hoặc Bà).", v=values["honorific"]))
    try:
        invitees.validate(values["full_name"], honorific or "", values["position"],
                          category or InviteeCategory.DELEGATE, values["phone"])
    except DomainError as e:
        row.errors.append(e.message)
    org = known.org(values["organisation"])
    if values["organisation"] and org is None:
        if len(values["organisation"]) > MAX_UNIT_NAME:
            row.errors.append(_l("Tên đơn vị quá dài (tối đa %(n)s ký tự).", n=MAX_UNIT_NAME))
        else:
            row.warnings.append(_l("Đơn vị mới “%(v)s” sẽ được thêm.", v=values["organisation"]))
    # The same person in the same unit, however the unit is spelled.
    key = (fold(values["full_name"]), org.id if org else "new:" + fold(values["organisation"]))
    if values["full_name"]:
        if key in known.seen:
            row.errors.append(_l("Trùng với dòng %(n)s trong tệp.", n=known.seen[key]))
        else:
            known.seen[key] = number
        if (fold(values["full_name"]), org.id if org else None) in known.invited:
            row.errors.append(_l("Đã có trong danh sách mời."))
    return row


def template() -> bytes:
    """The file to fill in: the columns ``preview`` reads, two examples, and drop-down lists (a
    unit not in the list is let stand: the import adds it)."""
    units = [o.short_name for o in organisations.all_organisations()]
    return template_xlsx("Danh sách mời", COLUMNS, EXAMPLES, {
        "honorific": Choices(HONORIFICS), "category": Choices(tuple(CATEGORIES)),
        "organisation": Choices(units, strict=False,
                                error="Đơn vị chưa có trong danh sách: đơn vị mới sẽ được thêm khi nhập."),
    })


def sign(meeting: Meeting, preview: Preview) -> str:
    return sign_preview(PREVIEW_KIND, meeting.id, preview.filename, [(r.number, r.values) for r in preview.rows])


def apply(meeting: Meeting, blob: str, *, only_valid: bool,
          actor: User | str | None = None) -> tuple[int, list[Row]]:
    """Write the previewed rows, checked again. Returns (added, skipped rows).

    Without only_valid, one bad row means nothing is written.
    """
    filename, signed_rows = unsign_preview(PREVIEW_KIND, meeting.id, blob)
    lock_meeting(meeting)
    minutes.refuse_if_final(meeting)
    known = Known.of(meeting)
    rows = [check_row(known, n, v) for n, v in signed_rows]
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
        org = known.org(v["organisation"])
        if v["organisation"] and org is None:
            org = organisations.add_organisation(v["organisation"], actor=actor, commit=False)
            known.orgs[fold(v["organisation"])] = org
        fields = invitees.validate(v["full_name"], HONORIFIC_WORDS[fold(v["honorific"])], v["position"],
                                   CATEGORY_WORDS[fold(v["category"])], v["phone"])
        invitees.create(meeting, fields, org)
        added += 1
    audit.record("invitee.import", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                 filename=filename, added=added, skipped=[r.number for r in bad])
    db.session.commit()
    return added, bad
