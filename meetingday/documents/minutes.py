"""Biên bản hội nghị: the minutes, arranged from the record of what happened.

Order: the NĐ30 header (Số: …/BB-…), "BIÊN BẢN" and the meeting's title; I. time, place, chair,
secretary and attendance (có mặt X/Y per group, late, absent with and without a reason, who
attended in whose place, guests not on the list); II. the programme as held, each item with its
actual times, the minutes held and planned, who presented it, the documents published under it,
the remarks in the order the floor
was given with the secretary's notes (answers to kiến nghị marked), and its conclusion; III. the
kiến nghị of the xã and phường, with the Ban, the status, the answer and where it was given;
IV. the closing conclusion and its tasks; the end of the meeting; THƯ KÝ and CHỦ TRÌ.
Nothing is invented: a missing note or time says so.
"""
from __future__ import annotations

from ..models import ItemKind, KienNghiStatus, SpeakerKind
from ..services.record import ItemEntry, KienNghiEntry, Person, Record, RemarkEntry
from .dates import clock_words, local_day, long_date, short_date
from .layout import Annex, Header, Paper, Para, Row, SignBlock, bold, document_number, italic, lines, para

NO_NOTE = "(không ghi nội dung)"
PRESENTS = {ItemKind.REPORT: "Trình bày", ItemKind.PROCEDURAL: "Thực hiện", ItemKind.CONCLUSION: "Trình bày",
            ItemKind.DISCUSSION: "Thực hiện", ItemKind.REMARKS: "Thực hiện"}


def header(record: Record, doc_type: str, number: str, day) -> Header:
    meeting = record.meeting
    return Header(
        issuing_body=meeting.issuing_body, issuing_unit=meeting.issuing_unit,
        number=document_number(number, doc_type, meeting.invitation_number, meeting.issuing_body),
        place_date=f"{meeting.locality}, {long_date(day)}" if meeting.locality else long_date(day).capitalize())


def when(dt, day) -> str:
    """'7 giờ 30 phút, ngày 27/6/2024'."""
    return f"{clock_words(dt)}, ngày {short_date(day)}"


def described(person: Person) -> str:
    return person.described or "(chưa ghi)"


# --------------------------------------------------------------------------- I. thành phần

def communes_present(record: Record) -> tuple[int, int]:
    """How many of the meeting's xã and phường had someone present, of how many invited."""
    local = [u for g in record.attendance.counts.groups for u in g.units
             if u.id in record.attendance.local_unit_ids]
    return sum(1 for u in local if u.present), len(local)


def _attendance(record: Record) -> list[Para]:
    """Who attended: the totals, the town's leaders present by name, the xã and phường present,
    who attended in whose place, the excused, the walk-ins; the figures per unit are in the
    annex (``annex``)."""
    a = record.attendance
    c = a.counts
    out = [para(bold("5. Thành phần tham dự: "),
                f"Tổng số đại biểu, khách mời được mời: {c.expected} người; có mặt {c.present}/{c.expected}; "
                f"vắng {a.absent} (có lý do: {c.excused}; không lý do: {a.absent_unexcused}); "
                f"đến muộn: {a.late}."
                + (f" Trong số có mặt, {c.substituted} người được cử dự thay." if c.substituted else "")
                + (" Số đại biểu có mặt của từng đơn vị tại Phụ lục kèm theo Biên bản này." if c.expected else ""))]
    if a.leaders:
        out.append(para(italic("Lãnh đạo thị xã dự Hội nghị:")))
        out.extend(para(f"- {p.described};") for p in a.leaders[:-1])
        out.append(para(f"- {a.leaders[-1].described}."))
    here, invited = communes_present(record)
    if invited:
        out.append(para(italic("Các xã, phường: "),
                        f"Thường trực, đại diện các Ban HĐND của {here}/{invited} xã, phường dự Hội nghị."))
    if a.substitutes:
        out.append(para(italic("Dự thay:")))
        for sub in a.substitutes:
            out.append(para(f"- {sub.person.described}, dự thay {sub.seat.described}."))
    if a.excused:
        out.append(para(italic("Vắng có lý do:")))
        for absence in a.excused:
            reason = f" (lý do: {absence.reason})" if absence.reason else ""
            out.append(para(f"- {absence.person.described}{reason}."))
    if a.walk_ins:
        names = "; ".join(p.described for p in a.walk_ins)
        out.append(para(f"Khách dự không có trong danh sách mời: {len(a.walk_ins)} người ({names})."))
    return out


def _section_one(record: Record) -> list[Para]:
    meeting = record.meeting
    if record.started_at is not None:
        start = para(bold("1. Thời gian: "), f"Hội nghị bắt đầu lúc {when(record.started_at, record.day)}.")
    else:
        start = para(bold("1. Thời gian: "),
                     f"Hội nghị chưa bắt đầu (dự kiến lúc {when(meeting.starts_at, record.day)}).")
    return [
        para("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", kind="heading"),
        start,
        para(bold("2. Địa điểm: "), f"{meeting.place}."),
        para(bold("3. Chủ trì: "), f"{described(record.chair)}."),
        para(bold("4. Thư ký: "), f"{described(record.secretary)}."),
        *_attendance(record),
    ]


# --------------------------------------------------------------------------- II. nội dung

def _item_times(item: ItemEntry, record: Record) -> str:
    planned = f"dự kiến {item.planned_minutes} phút"
    if item.state == "not_started":
        return f"Chưa tiến hành ({planned})." if record.ended_at is None else f"Không tiến hành ({planned})."
    start = clock_words(item.started_at)
    if item.state == "running":
        return f"Từ {start}, đang diễn ra ({item.held_minutes} phút; {planned})."
    end = clock_words(item.ended_at)
    if local_day(item.ended_at) != local_day(item.started_at):
        end += f" ngày {short_date(local_day(item.ended_at))}"
    return f"Từ {start} đến {end} ({item.held_minutes} phút; {planned})."


def remark_heading(remark: RemarkEntry) -> str:
    """After the speaker's name: ', Trưởng Ban Kinh tế - Xã hội HĐND thị xã (8 giờ 34 phút) trả
    lời kiến nghị số 8 của HĐND xã Phổ Khánh'."""
    text = remark.speaker.described[len(remark.speaker.called):] + f" ({clock_words(remark.started_at)})"
    kn = remark.kien_nghi
    if remark.kind == SpeakerKind.ANSWER:
        text += (f" trả lời kiến nghị số {kn.number} của {kn.unit}" if kn is not None
                 else " trả lời kiến nghị")
    elif kn is not None:
        text += f" nêu kiến nghị số {kn.number} của {kn.unit}"
        if remark.topic:
            text += f", về “{remark.topic}”"
    elif remark.topic:
        text += f" phát biểu về “{remark.topic}”"
    return text


def _remark(remark: RemarkEntry) -> list[Para]:
    note = lines(remark.note)
    first = para("- ", bold(remark.speaker.called), remark_heading(remark), ": ",
                 note[0] if note else italic(NO_NOTE))
    return [first, *(para(line) for line in note[1:])]


def _item(item: ItemEntry, record: Record) -> list[Para]:
    out = [para(bold(f"{item.number}. {item.title}"), kind="lead")]
    presenter = f" {PRESENTS.get(item.kind, 'Thực hiện')}: {item.presenter}." if item.presenter else ""
    out.append(para(italic(f"Thời gian: {_item_times(item, record)}{presenter}")))
    if item.documents:
        out.append(para(italic("Tài liệu trình bày: "), "; ".join(d.rstrip(" .;") for d in item.documents) + "."))
    if item.remarks:
        out.append(para(italic(f"Ý kiến phát biểu ({len(item.remarks)} lượt):")))
        for remark in item.remarks:
            out.extend(_remark(remark))
    if item.conclusion:
        text = lines(item.conclusion)
        out.append(para(bold("Kết luận: "), text[0]))
        out.extend(para(line) for line in text[1:])
    return out


def _section_two(record: Record) -> list[Para]:
    out = [para("II. NỘI DUNG HỘI NGHỊ", kind="heading")]
    for item in record.items:
        out.extend(_item(item, record))
    return out


# --------------------------------------------------------------------------- III. kiến nghị

def answered_where(kn: KienNghiEntry) -> str:
    remark = kn.answered_in
    if remark is None:
        return ""
    return (f"Trả lời tại mục {remark.item_number}, lượt phát biểu của {remark.speaker.called} "
            f"lúc {clock_words(remark.started_at)}.")


# A kiến nghị still unanswered when the meeting ended goes on to be answered in writing.
AFTER_THE_END = "Chuyển trả lời bằng văn bản"


def status_words(kn: KienNghiEntry, record: Record) -> str:
    """The status the secretary chose; one left unanswered after the end: AFTER_THE_END."""
    if kn.status == KienNghiStatus.PENDING and record.ended_at is not None:
        return AFTER_THE_END
    return kn.status_words


def _kien_nghi(kn: KienNghiEntry, record: Record) -> list[Para]:
    content = lines(kn.content) or [""]
    out = [para(bold(f"{kn.number}. {kn.unit}: "), content[0]), *(para(line) for line in content[1:])]
    facts = []
    if kn.assigned:
        facts.append(f"Giao: {kn.assigned}.")
    facts.append(f"Tình trạng: {status_words(kn, record)}.")
    out.append(para(italic(" ".join(facts))))
    if kn.answer:
        answer = lines(kn.answer)
        by = f" ({kn.answered_by})" if kn.answered_by else ""
        out.append(para(bold(f"Trả lời{by}: "), answer[0]))
        out.extend(para(line) for line in answer[1:])
    elif kn.answered_by:
        out.append(para(bold("Người trả lời: "), f"{kn.answered_by}."))
    where = answered_where(kn)
    if where:
        out.append(para(italic(where)))
    return out


def _section_three(record: Record) -> list[Para]:
    out = [para("III. KIẾN NGHỊ CỦA CÁC XÃ, PHƯỜNG", kind="heading")]
    if not record.kien_nghi:
        out.append(para("Không có kiến nghị."))
    for kn in record.kien_nghi:
        out.extend(_kien_nghi(kn, record))
    return out


# --------------------------------------------------------------------------- IV. kết luận

def task_text(task) -> str:
    content = " ".join(lines(task.content)).rstrip(" .;")
    deadline = f"; thời hạn hoàn thành trước ngày {short_date(task.deadline)}" if task.deadline else ""
    return f"{task.number}. {task.body}: {content}{deadline}."


def tasks(record: Record) -> list[Para]:
    return [para(task_text(t)) for t in record.tasks]


def _section_four(record: Record) -> list[Para]:
    out = [para("IV. KẾT LUẬN HỘI NGHỊ", kind="heading")]
    intro = [para(line) for line in lines(record.closing_intro)]
    if not intro and not record.tasks:
        out.append(para(italic("(Chưa ghi kết luận Hội nghị.)")))
    return out + intro + tasks(record)


def _ending(record: Record) -> list[Para]:
    if record.ended_at is None:
        return [para(italic("Hội nghị chưa kết thúc; biên bản này là bản dự thảo."), kind="end")]
    end_day = local_day(record.ended_at)
    same = "cùng ngày" if end_day == record.day else f"ngày {short_date(end_day)}"
    text = f"Hội nghị kết thúc lúc {clock_words(record.ended_at)} {same}."
    if not record.finalized:
        return [para(text + " Biên bản chưa được chốt (bản dự thảo).", kind="end")]
    # NĐ 30/2020, mẫu biên bản: the last sentence ends the text with "./.".
    return [para(f"{text} {READ_AND_APPROVED}./.", kind="end")]


READ_AND_APPROVED = "Biên bản đã được đọc lại cho Hội nghị nghe và nhất trí thông qua"


# --------------------------------------------------------------------------- the paper

def filename(record: Record) -> str:
    return f"bien-ban-hoi-nghi-{record.day.isoformat()}.docx"


def recipients(record: Record) -> list[str]:
    """The minutes' nơi nhận: the host body, and the archive with the meeting's file."""
    host = record.meeting.host_body
    return ([f"- {host};"] if host else []) + ["- Lưu: VT, hồ sơ hội nghị."]


# --------------------------------------------------------------------------- the annex

ANNEX_COLUMNS = ["TT", "Đơn vị", "Được mời", "Có mặt", "Vắng có lý do", "Vắng không lý do"]
ANNEX_WIDTHS = [12, 59, 20, 20, 27, 27]  # mm: the text's 165


def _figures(tally) -> list[str]:
    absent = tally.expected - tally.present
    return [str(tally.expected), str(tally.present), str(tally.excused), str(absent - tally.excused)]


def annex(record: Record) -> Annex | None:
    """Phụ lục: the figures per group and unit (the same as the door's and the projector's)."""
    c = record.attendance.counts
    if not c.expected:
        return None
    rows = []
    for g, group in enumerate(c.groups, start=1):
        rows.append(Row([ROMAN[g - 1] if g <= len(ROMAN) else str(g), group.name, *_figures(group)], bold=True))
        rows.extend(Row([str(n), unit.short_name, *_figures(unit)]) for n, unit in enumerate(group.units, start=1))
    rows.append(Row(["", "Tổng cộng", *_figures(c)], bold=True))
    notes = []
    if c.substituted:
        notes.append(para(italic(f"Có mặt gồm cả {c.substituted} người được cử dự thay.")))
    if c.walk_ins:
        notes.append(para(italic(f"Ngoài ra có {c.walk_ins} khách dự không có trong danh sách mời.")))
    return Annex(
        title=["PHỤ LỤC", "SỐ ĐẠI BIỂU, KHÁCH MỜI CÓ MẶT THEO ĐƠN VỊ"],
        attached_to=f"(Kèm theo Biên bản {record.meeting.title} ngày {short_date(record.day)})",
        columns=ANNEX_COLUMNS, widths=ANNEX_WIDTHS, rows=rows, notes=notes)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def paper(record: Record) -> Paper:
    meeting = record.meeting
    return Paper(
        kind="minutes",
        header=header(record, "BB", meeting.minutes_number, record.day),
        title="BIÊN BẢN",
        subtitle=[meeting.title],
        paras=[*_section_one(record), *_section_two(record), *_section_three(record),
               *_section_four(record), *_ending(record)],
        left=SignBlock(["THƯ KÝ"], record.secretary.name),
        right=SignBlock(["CHỦ TRÌ"], record.chair.name),
        recipients=recipients(record),
        annex=annex(record),
        draft=not record.finalized,
        filename=filename(record),
        description=f"Biên bản {meeting.title}",
    )
