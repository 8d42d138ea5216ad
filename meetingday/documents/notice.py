"""Thông báo kết luận: the conclusion notice, arranged from the record.

The NĐ30 header (Số: …/TB-…, dated the notice's date, else the meeting's), "THÔNG BÁO" and
"Kết luận của <host body> tại <meeting>", an opening paragraph of facts (when, where, who held
it and who chaired, how many attended), the closing conclusion's introduction and its numbered
tasks with deadlines, the closing line, then the nơi nhận and the signer's block.

Nơi nhận: the lines the secretary entered (one per line), or by default the plan's list
(``DEFAULT_RECIPIENTS``) with every body that has a task added; "Lưu: VT." always ends it.
"""
from __future__ import annotations

from ..services.record import Record
from ..text import fold
from .layout import Paper, SignBlock, italic, lines, para, short_date
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


def _covered(name: str) -> str:
    """A recipient as compared: folded, with the office's short "TT" written out."""
    folded = fold(name)
    return "thuong truc" + folded[2:] if folded.startswith("tt ") else folded


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
        names = list(DEFAULT_RECIPIENTS)
        known = {_covered(n) for n in names}
        for body in record.task_bodies:
            if _covered(body) not in known and not (_is_ban(body) and BANS in known):
                known.add(_covered(body))
                names.append(body)
    names = [n for n in names if not fold(n).startswith("luu")]
    return [f"- {n};" for n in names] + [f"- {ARCHIVE}"]


def day(record: Record):
    return record.meeting.notice_date or record.day


def filename(record: Record) -> str:
    return f"thong-bao-ket-luan-{record.day.isoformat()}.docx"


def _opening(record: Record) -> str:
    meeting = record.meeting
    held = short_date(record.day)
    text = f"Ngày {held}, tại {meeting.place}, {meeting.host_body} tổ chức {meeting.title}"
    if record.chair.name:
        text += f" do {record.chair.described_within} chủ trì"
    text += "."
    c = record.attendance.counts
    if record.started_at is not None and c.expected:
        text += f" Tham dự Hội nghị có {c.present}/{c.expected} đại biểu, khách mời được mời."
    return text


def paper(record: Record) -> Paper:
    meeting = record.meeting
    body = [para(_opening(record))]
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
