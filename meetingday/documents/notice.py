"""Thông báo kết luận: the conclusion notice, arranged from the record.

The NĐ30 header (Số: …/TB-…, dated the notice's date, else the meeting's), "THÔNG BÁO" and
"Kết luận của <host body> tại <meeting>", an opening paragraph of facts (when, where, who held
it, "đồng chí … - Chủ tịch HĐND thị xã chủ trì", the bodies present), "… kết luận như sau:",
the closing conclusion's introduction and its numbered tasks with deadlines, the closing line,
then the nơi nhận and the signer's block.

Nơi nhận: the lines the secretary entered (one per line), or by default the plan's list
(``DEFAULT_RECIPIENTS``) with every body that has a task and is not on it (under another
spelling, with or without the locality) added; "Lưu: VT." always ends it.
"""
from __future__ import annotations

from ..models import OrgKind
from ..services.record import Person, Record
from ..text import fold
from .dates import short_date
from .layout import Paper, SignBlock, italic, lines, para
from .minutes import header, tasks

# The nơi nhận of the plan of the mid-year briefing (Kế hoạch tổ chức Hội nghị trực báo), the
# list the office sends a notice of this meeting to when no other is entered.
DEFAULT_RECIPIENTS = [
    "Thường trực Thị ủy",
    "Thường trực HĐND thị xã",
    "UBND thị xã",
    "UBMTTQVN thị xã",
    "Các Ban của HĐND thị xã",
    "Tổ đại biểu HĐND thị xã",
    "TT HĐND các xã, phường",
    "Văn phòng HĐND và UBND thị xã",
]
ARCHIVE = "Lưu: VT."


BANS = "cac ban cua hdnd thi xa"


def _covered(name: str, locality: str = "") -> str:
    """A recipient as compared: folded, with the office's short "TT" written out and the
    locality left off and the long names shortened ("Ủy ban nhân dân thị xã Đức Phổ" is "UBND
    thị xã")."""
    folded = fold(name)
    place = fold(locality)
    if place and folded.endswith(" " + place):
        folded = folded[: -len(place) - 1]
    for long, short in SHORT_FORMS:
        folded = folded.replace(long, short)
    return "thuong truc" + folded[2:] if folded.startswith("tt ") else folded


# The bodies' names written out and as the office shortens them (folded).
SHORT_FORMS = [("uy ban mttq viet nam", "ubmttqvn"), ("uy ban mat tran to quoc viet nam", "ubmttqvn"),
               ("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd")]


def _is_ban(name: str) -> bool:
    """A Ban of the town council (covered by "Các Ban của HĐND thị xã")."""
    folded = fold(name)
    return folded.startswith("ban ") and folded.endswith("hdnd thi xa")


def _bare(line: str) -> str:
    """A recipient as typed, without its list mark and end punctuation."""
    return line.strip().lstrip("-–•+* ").rstrip(" ;.,").strip()


def recipients(record: Record) -> list[str]:
    """The nơi nhận lines: '- Thường trực Thị ủy;' … '- Lưu: VT.'."""
    entered = [_bare(line) for line in lines(record.meeting.notice_recipients)]
    names = [n for n in entered if n]
    if not names:
        place = record.meeting.locality
        names = list(DEFAULT_RECIPIENTS)
        known = {_covered(n, place) for n in names}
        for body in record.task_bodies:
            if _covered(body, place) not in known and not (_is_ban(body) and BANS in known):
                known.add(_covered(body, place))
                names.append(body)
    names = [n for n in names if not fold(n).startswith("luu")]
    return [f"- {n};" for n in names] + [f"- {ARCHIVE}"]


def day(record: Record):
    return record.meeting.notice_date or record.day


def filename(record: Record) -> str:
    return f"thong-bao-ket-luan-{record.day.isoformat()}.docx"


def comrade(person: Person) -> str:
    """'đồng chí Võ Thanh Bình - Chủ tịch HĐND thị xã', as a notice names the chair."""
    return " - ".join(filter(None, [f"đồng chí {person.name}", person.position]))


def bodies_present(record: Record) -> str:
    """Who attended, as bodies: the town's bodies with someone present, then the xã and phường
    ('Thường trực, đại diện các Ban HĐND 15 xã, phường')."""
    a = record.attendance
    town = [b.name for b in a.bodies if b.kind == OrgKind.TOWN]
    local = sum(1 for b in a.bodies if b.kind in (OrgKind.WARD, OrgKind.COMMUNE))
    if local:
        town.append(f"Thường trực, đại diện các Ban HĐND {local:02d} xã, phường")
    return "; ".join(town)


def _opening(record: Record) -> list[str]:
    meeting = record.meeting
    held = short_date(record.day)
    text = f"Ngày {held}, tại {meeting.place}, {meeting.host_body} tổ chức {meeting.title}."
    if record.chair.name:
        text += f" {comrade(record.chair)[0].upper()}{comrade(record.chair)[1:]} chủ trì Hội nghị."
    if record.started_at is not None and record.attendance.bodies:
        text += f" Tham dự Hội nghị có đại diện: {bodies_present(record)}."
    who = comrade(record.chair) if record.chair.name else meeting.host_body
    return [text, f"Sau khi nghe các báo cáo và ý kiến phát biểu của đại biểu, {who} kết luận như sau:"]


def paper(record: Record) -> Paper:
    meeting = record.meeting
    body = [para(line) for line in _opening(record)]
    intro = [para(line) for line in lines(record.closing_intro)]
    if not intro and not record.tasks:
        body.append(para(italic("(Chưa ghi kết luận Hội nghị.)")))
    body += intro + tasks(record)
    body.append(para(f"{meeting.host_body} thông báo để các cơ quan, đơn vị biết, thực hiện./.", kind="end"))
    return Paper(
        kind="notice",
        header=header(record, "TB", meeting.notice_number, day(record)),
        title="THÔNG BÁO",
        subtitle=[f"Kết luận của {meeting.host_body} tại {meeting.title}"],
        paras=body,
        right=SignBlock(lines(meeting.signer_title), meeting.signer_name),
        recipients=recipients(record),
        draft=not record.finalized,
        filename=filename(record),
        description=f"Thông báo kết luận {meeting.title}",
    )
