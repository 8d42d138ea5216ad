"""The documents made from what happened: the record (services/record.py), the minutes and the
conclusion notice as .docx (read back with python-docx: every note, conclusion, task, kiến nghị,
attendance figure and signature; A4, NĐ30 margins, Times New Roman), their downloads (MIME,
file name, roles), and LibreOffice's view of them (converted to PDF: A4 pages holding the text).

The meeting in these tests really ran, through the services: the demo meeting, check-ins (one
dự thay, one walk-in guest, two late arrivals, one excused absence), the live agenda with times,
the speaker queue, the secretary's notes and conclusions, the closing tasks."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from meetingday.documents import dates, layout, minutes, notice
from meetingday.extensions import db
from meetingday.models import (
    Invitee,
    KienNghi,
    KienNghiStatus,
    Meeting,
    SpeakerKind,
)
from meetingday.services import (
    attendance,
    checkin,
    closing,
    demo,
    flow,
    kien_nghi,
    notes,
    record,
    speakers,
)
from meetingday.services import minutes as minutes_service

from .conftest import login, unavailable

T0 = datetime(2024, 6, 27, 0, 30)  # 7 giờ 30 phút in Đức Phổ


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _version(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id).version


def _person(meeting: Meeting, name: str) -> Invitee:
    return next(p for p in meeting.invitees if p.full_name == name)


# --------------------------------------------------------------------------- a meeting that ran

@dataclass
class Ran:
    meeting_id: int
    notes: dict[str, str]              # speaker name -> note
    silent: str                        # the speaker whose remark has no note
    conclusions: dict[int, str]        # item position -> conclusion
    intro: str
    tasks: list[tuple[str, str, date]]
    answer: str
    answered_by: str
    substitute: str
    seat: str
    walk_in: str
    excused: str
    late: list[str]

    @property
    def meeting(self) -> Meeting:
        db.session.expire_all()
        return db.session.get(Meeting, self.meeting_id)


def _speak(meeting_id: int, item_id: int, invitee: Invitee, start: float, end: float, *,
           kind=SpeakerKind.REMARK, kien_nghi_id=None, topic: str = "") -> int:
    request = speakers.add_speaker(meeting_id, item_id, invitee.id, kind=kind, kien_nghi_id=kien_nghi_id,
                                   topic=topic, actor="test", now=at(start - 0.5))
    speakers.give_floor(meeting_id, request.id, "", actor="test", now=at(start))
    speakers.end_speech(meeting_id, request.id, actor="test", now=at(end))
    return request.id


def run_meeting(meeting: Meeting) -> Ran:
    """The demo meeting held from 7:30 to 10:35 on 27/6/2024, through the services."""
    mid = meeting.id
    checkin.open_checkin(meeting, actor="test")
    seat = _person(meeting, "Phạm Văn Long")          # Chủ tịch HĐND phường Phổ Hòa: sends a deputy
    excused = _person(meeting, "Huỳnh Tấn Lực")       # Chủ tịch UBND thị xã: excused
    late = [_person(meeting, "Bùi Tấn Vũ"), _person(meeting, "Lê Minh Quân")]
    away = [_person(meeting, "Đặng Văn Toàn")]        # not here, no reason given
    skip = {seat.id, excused.id, *(p.id for p in late), *(p.id for p in away)}
    for person in list(meeting.invitees):
        if person.id not in skip:
            checkin.check_in_by_id(meeting, person.id, actor="test")
    checkin.register_substitute(meeting, seat.id, "Trương Văn Nam", "Phó Chủ tịch HĐND phường Phổ Hòa",
                                honorific="Ông", actor="test")
    checkin.register_walk_in(meeting, "Nguyễn Thị Hạnh", "Phóng viên Báo Quảng Ngãi", honorific="Bà",
                             actor="test")
    attendance.mark_absent(meeting, excused.id, "Đi công tác tỉnh", actor="test")

    items = {i.position: i for i in meeting.items}
    flow.start_meeting(mid, _version(mid), "test", now=at(0))
    for person in late:  # after the start: late
        checkin.check_in_by_id(db.session.get(Meeting, mid), person.id, actor="test")
    flow.next_item(mid, _version(mid), "test", now=at(6))       # 2: report
    flow.next_item(mid, _version(mid), "test", now=at(17))      # 3: report
    flow.next_item(mid, _version(mid), "test", now=at(50))      # 4: discussion
    discussion = items[4].id
    speakers.open_queue(mid, discussion, actor="test", now=at(50))
    m = db.session.get(Meeting, mid)
    khanh = db.session.scalar(db.select(KienNghi).join(KienNghi.organisation)
                              .where(KienNghi.meeting_id == mid, KienNghi.content.contains("Kinh phí")))
    speaker_a = _person(m, "Hồ Văn Mười")       # Chủ tịch HĐND xã Phổ Khánh, raises the kiến nghị
    speaker_b = _person(m, "Trần Văn Hiệp")     # Chủ tịch HĐND phường Nguyễn Nghiêm
    answerer = _person(m, "Đỗ Quốc Việt")       # Trưởng Ban Kinh tế - Xã hội
    substitute = next(p for p in m.invitees if p.full_name == "Trương Văn Nam")
    speaker_silent = _person(m, "Lê Tấn Hòa")   # Chủ tịch HĐND phường Phổ Ninh: no note taken
    first = _speak(mid, discussion, speaker_a, 52, 58, kien_nghi_id=khanh.id, topic="Kinh phí hoạt động")
    second = _speak(mid, discussion, speaker_b, 58.5, 64)
    answer = _speak(mid, discussion, answerer, 64.5, 70, kind=SpeakerKind.ANSWER, kien_nghi_id=khanh.id)
    by_sub = _speak(mid, discussion, substitute, 70.5, 75)
    silent = _speak(mid, discussion, speaker_silent, 75.5, 79)
    flow.next_item(mid, _version(mid), "test", now=at(110))     # 5: break
    flow.end_break(mid, _version(mid), "test", now=at(125))     # 6: remarks
    remarks_item = items[6].id
    speakers.open_queue(mid, remarks_item, actor="test", now=at(125))
    guest = _person(db.session.get(Meeting, mid), "Bùi Văn Khải")
    last = _speak(mid, remarks_item, guest, 127, 133)
    flow.next_item(mid, _version(mid), "test", now=at(160))     # 7: conclusion
    flow.end_meeting(mid, _version(mid), "test", now=at(185))   # 10 giờ 35 phút

    said = {
        speaker_a.full_name: "Kinh phí hoạt động của HĐND xã năm 2024 không đủ cho giám sát; đề nghị bổ sung.",
        speaker_b.full_name: "Phường đã tổ chức 2 cuộc giám sát chuyên đề.\nĐề nghị đôn đốc trả lời cử tri.",
        answerer.full_name: "Ban sẽ tham mưu Thường trực kiến nghị UBND thị xã bổ sung kinh phí trong quý III.",
        "Trương Văn Nam": "Phường Phổ Hòa thống nhất với báo cáo, xin bổ sung tập huấn kỹ năng.",
        guest.full_name: "MTTQ thị xã sẽ phối hợp giám sát việc trả lời kiến nghị cử tri.",
    }
    for request_id, name in ((first, speaker_a.full_name), (second, speaker_b.full_name),
                             (answer, answerer.full_name), (by_sub, "Trương Văn Nam"), (last, guest.full_name)):
        notes.save_remark_note(mid, request_id, said[name], 0, actor="test")
    assert silent
    conclusions = {
        3: "Thống nhất với báo cáo đánh giá 6 tháng đầu năm, bổ sung số liệu giám sát của các xã.",
        4: "Các xã, phường hoàn thiện báo cáo theo ý kiến góp ý.\nBan Kinh tế - Xã hội tổng hợp kiến nghị về kinh phí.",
    }
    for position, text in conclusions.items():
        notes.save_item_conclusion(mid, items[position].id, text, 0, actor="test")
    intro = ("Hội nghị thống nhất đánh giá kết quả hoạt động 6 tháng đầu năm 2024 của HĐND các cấp. "
             "Thường trực HĐND thị xã đề nghị các cơ quan, đơn vị thực hiện các nhiệm vụ sau:")
    notes.save_closing_intro(mid, intro, 0, actor="test")
    task_list = [
        ("UBND thị xã", "Xem xét bổ sung kinh phí hoạt động cho HĐND cấp xã", date(2024, 7, 31)),
        ("Ban Pháp chế HĐND thị xã", "Tổ chức tập huấn kỹ năng chất vấn cho đại biểu HĐND cấp xã",
         date(2024, 9, 15)),
        ("Thường trực HĐND các xã, phường", "Gửi báo cáo kết quả giám sát chuyên đề", date(2024, 12, 5)),
    ]
    for body, content, deadline in task_list:
        closing.add_task(mid, body, content, deadline, actor="test")

    # Kiến nghị: one answered at the meeting (in the Ban's remark), one to be answered in writing,
    # one withdrawn by its commune.
    answered_by = "Ban Kinh tế - Xã hội HĐND thị xã"
    reply = "Ban thống nhất kiến nghị; Thường trực HĐND thị xã sẽ đề nghị UBND thị xã bổ sung kinh phí."
    kien_nghi.answer(mid, khanh.id, reply, answered_by, speaker_request_id=answer, actor="test", now=at(70))
    for words, mark in (("tập huấn", kien_nghi.write_later), ("chồng chéo", kien_nghi.withdraw)):
        row = db.session.scalar(db.select(KienNghi).where(KienNghi.meeting_id == mid, KienNghi.content.contains(words)))
        mark(mid, row.id, actor="test", now=at(170))
    return Ran(mid, said, speaker_silent.full_name, conclusions, intro, task_list, reply, answered_by,
               "Trương Văn Nam", seat.full_name, "Nguyễn Thị Hạnh", excused.full_name,
               [p.full_name for p in late])


@pytest.fixture()
def ran(demo_meeting) -> Ran:
    return run_meeting(demo_meeting)


def text_of(doc) -> str:
    """Every paragraph of the body and of its tables, in order."""
    out = []
    for block in doc.element.body.iter():
        if block.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return "\n".join(out)


def docx_of(paper) -> Document:
    return Document(io.BytesIO(layout.docx_bytes(paper)))


def paragraphs_with(doc, needle: str):
    found = [p for p in doc.paragraphs if needle in p.text]
    for table in doc.tables:
        for cell in table._cells:
            found += [p for p in cell.paragraphs if needle in p.text]
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- the record

def _audit_rows() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["audit_log"]))


def test_record_gathers_what_happened_and_writes_nothing(ran):
    meeting = ran.meeting
    before = (meeting.desk_version, meeting.version, _audit_rows())
    rec = record.gather(meeting)
    for make in (minutes.paper, notice.paper):
        layout.docx_bytes(make(rec))
    assert not db.session.new and not db.session.dirty and not db.session.deleted
    meeting = ran.meeting
    assert (meeting.desk_version, meeting.version, _audit_rows()) == before

    assert rec.day == date(2024, 6, 27)
    assert (rec.chair.described, rec.secretary.described) == (
        "Ông Võ Thanh Bình, Chủ tịch HĐND thị xã", "Bà Lê Thị Mỹ Duyên, Chuyên viên Văn phòng HĐND và UBND thị xã")
    assert [i.number for i in rec.items] == [1, 2, 3, 4, 5, 6, 7]
    first, discussion = rec.items[0], rec.items[3]
    assert (first.started_at, first.ended_at, first.held_seconds, first.held_minutes) == (at(0), at(6), 360, 6)
    assert discussion.held_minutes == 60 and discussion.planned_minutes == 60
    assert [r.speaker.name for r in discussion.remarks] == [
        "Hồ Văn Mười", "Trần Văn Hiệp", "Đỗ Quốc Việt", "Trương Văn Nam", "Lê Tấn Hòa"]
    assert [r.note for r in discussion.remarks] == [
        ran.notes["Hồ Văn Mười"], ran.notes["Trần Văn Hiệp"], ran.notes["Đỗ Quốc Việt"],
        ran.notes["Trương Văn Nam"], ""]
    raised, _, answer = discussion.remarks[:3]
    assert answer.is_answer and not raised.is_answer
    assert raised.kien_nghi is answer.kien_nghi and answer.kien_nghi.unit == "HĐND xã Phổ Khánh"
    assert (answer.started_at, answer.seconds, answer.item_number) == (at(64.5), 330, 4)
    assert [r.speaker.name for r in rec.items[5].remarks] == ["Bùi Văn Khải"]
    assert {i.number: i.conclusion for i in rec.items if i.conclusion} == ran.conclusions
    assert rec.closing_intro == ran.intro
    assert [(t.number, t.body, t.content, t.deadline) for t in rec.tasks] == [
        (n, *task) for n, task in enumerate(ran.tasks, start=1)]
    kn = next(k for k in rec.kien_nghi if k.status == KienNghiStatus.ANSWERED)
    assert (kn.answer, kn.answered_by, kn.answered_in) == (ran.answer, ran.answered_by, answer)
    assert kn.assigned == "Ban Kinh tế - Xã hội HĐND thị xã" and kn.status_words == "Đã trả lời tại Hội nghị"
    assert [k.number for k in rec.kien_nghi] == list(range(1, 9))
    units = [k.unit for k in rec.kien_nghi]
    assert units.index("HĐND phường Phổ Thạnh") < units.index("HĐND xã Phổ An")  # phường, then xã
    a = rec.attendance
    assert (a.counts.present, a.counts.expected, a.counts.excused, a.absent, a.absent_unexcused, a.late) == (
        78, 80, 1, 2, 1, 2)
    assert [(s.person.name, s.seat.name) for s in a.substitutes] == [(ran.substitute, ran.seat)]
    assert [(x.person.name, x.reason) for x in a.excused] == [(ran.excused, "Đi công tác tỉnh")]
    assert [p.name for p in a.walk_ins] == [ran.walk_in]
    assert rec.task_bodies == [t[0] for t in ran.tasks]
    assert not rec.finalized


def test_a_meeting_under_way_is_a_draft_with_its_running_item(demo_meeting):
    mid = demo_meeting.id
    flow.start_meeting(mid, _version(mid), "test", now=at(0))
    flow.next_item(mid, _version(mid), "test", now=at(7))
    meeting = db.session.get(Meeting, mid)
    rec = record.gather(meeting, now=at(12))
    assert [i.state for i in rec.items[:3]] == ["held", "running", "not_started"]
    assert rec.items[1].held_seconds == 300
    text = flat(text_of(docx_of(minutes.paper(rec))))
    assert "Từ 7 giờ 37 phút, đang diễn ra (5 phút; dự kiến 10 phút)." in text
    assert "Chưa tiến hành (dự kiến 30 phút)." in text
    assert "Hội nghị chưa kết thúc; biên bản này là bản dự thảo." in text
    assert "có mặt 0/80" in text and "(Chưa ghi kết luận Hội nghị.)" in text


def test_a_meeting_not_started_says_so(demo_meeting):
    rec = record.gather(demo_meeting)
    assert rec.remarks == [] and rec.tasks == [] and all(i.state == "not_started" for i in rec.items)
    text = flat(text_of(docx_of(minutes.paper(rec))))
    assert "Hội nghị chưa bắt đầu (dự kiến lúc 7 giờ 30 phút, ngày 27/6/2024)." in text
    assert "Kinh phí hoạt động của HĐND xã năm 2024 được bố trí thấp" in text  # kiến nghị sent before
    assert text.count("Tình trạng: Chưa trả lời.") == 8


def test_people_are_named_with_their_unit_only_where_it_helps():
    ward = record.Person("Trương Văn Nam", "Ông", "Phó Chủ tịch", "Phường Phổ Hòa")
    assert ward.described == "Ông Trương Văn Nam, Phó Chủ tịch (Phường Phổ Hòa)"
    named = record.Person("Trần Văn Hiệp", "Ông", "Chủ tịch HĐND phường Nguyễn Nghiêm", "Phường Nguyễn Nghiêm")
    assert named.described == "Ông Trần Văn Hiệp, Chủ tịch HĐND phường Nguyễn Nghiêm"
    assert named.called == "Ông Trần Văn Hiệp" and record.Person("X").described == "X"


# --------------------------------------------------------------------------- the forms of NĐ30

def test_dates_times_and_numbers():
    assert dates.short_date(date(2024, 6, 27)) == "27/6/2024"
    assert dates.short_date(date(2024, 2, 5)) == "05/02/2024"
    assert dates.short_date(date(2024, 12, 15)) == "15/12/2024"
    assert dates.long_date(date(2024, 6, 5)) == "ngày 05 tháng 6 năm 2024"
    assert dates.long_date(date(2024, 1, 20)) == "ngày 20 tháng 01 năm 2024"
    assert dates.clock_words(datetime(2024, 6, 27, 0, 5)) == "7 giờ 05 phút"
    assert dates.clock_words(datetime(2024, 6, 27, 8, 30)) == "15 giờ 30 phút"
    assert layout.issuer_code("45/GM-HĐND") == "HĐND"
    assert layout.issuer_code("12/GM-TTHĐND") == "TTHĐND"
    assert layout.issuer_code("", "HĐND THỊ XÃ ĐỨC PHỔ") == "HĐND"
    assert layout.issuer_code("", "UBND THỊ XÃ") == ""
    assert layout.document_number("", "BB", "45/GM-HĐND") == "Số:        /BB-HĐND"
    assert layout.document_number("12", "BB", "45/GM-HĐND") == "Số: 12/BB-HĐND"
    assert layout.document_number("Số: 12/BB-HĐND", "BB", "45/GM-HĐND") == "Số: 12/BB-HĐND"
    assert layout.document_number("7/TB-TTHĐND", "TB", "45/GM-HĐND") == "Số: 7/TB-TTHĐND"
    assert layout.document_number("", "TB", "", "UBND") == "Số:        /TB"


# --------------------------------------------------------------------------- the minutes (.docx)

def test_the_minutes_hold_what_happened(ran):
    doc = docx_of(minutes.paper(record.gather(ran.meeting)))
    text = flat(text_of(doc))
    # Header, title.
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["HĐND THỊ XÃ ĐỨC PHỔ", "THƯỜNG TRỰC", "Số:        /BB-HĐND"]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đức Phổ, ngày 27 tháng 6 năm 2024"]
    assert not left.paragraphs[0].runs[0].bold and left.paragraphs[1].runs[0].bold
    assert all(r.bold for p in right.paragraphs[:2] for r in p.runs)
    assert right.paragraphs[-1].runs[0].italic
    for cell, rule_at in ((left, 2), (right, 2)):  # the rules under the unit and the tiêu ngữ
        assert cell.paragraphs[rule_at]._p.find(".//" + qn("w:pBdr") + "/" + qn("w:bottom")) is not None
    title = paragraphs_with(doc, "BIÊN BẢN")[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert title.runs[0].font.size == Pt(14)
    assert paragraphs_with(doc, "Hội nghị trực báo giữa năm 2024")[0].runs[0].bold
    # Time, place, chair, secretary, attendance.
    assert "1. Thời gian: Hội nghị bắt đầu lúc 7 giờ 30 phút, ngày 27/6/2024." in text
    assert "2. Địa điểm: Hội trường UBND thị xã Đức Phổ." in text
    assert "3. Chủ trì: Ông Võ Thanh Bình, Chủ tịch HĐND thị xã." in text
    assert "4. Thư ký: Bà Lê Thị Mỹ Duyên, Chuyên viên Văn phòng HĐND và UBND thị xã." in text
    assert ("Tổng số đại biểu, khách mời được mời: 80 người; có mặt 78/80; vắng 2 (có lý do: 1; "
            "không lý do: 1); đến muộn: 2.") in text
    # The leaders present by name; the xã and phường present; the figures per unit in the annex.
    assert "Số đại biểu có mặt của từng đơn vị tại Phụ lục kèm theo Biên bản này." in text
    assert ("Lãnh đạo thị xã dự Hội nghị: - Ông Lê Quang Thịnh, Bí thư Thị ủy; "
            "- Ông Phạm Minh Trí, Phó Bí thư Thường trực Thị ủy; - Ông Võ Thanh Bình, Chủ tịch HĐND thị xã;") in text
    assert "- Bà Phan Thị Mỹ Linh, Phó Chủ tịch UBND thị xã;" in text
    assert "Ông Huỳnh Tấn Lực, Chủ tịch UBND thị xã;" not in text  # excused: not among those present
    assert "Chuyên viên Văn phòng HĐND và UBND thị xã;" not in text
    assert "Các xã, phường: Thường trực, đại diện các Ban HĐND của 15/15 xã, phường dự Hội nghị." in text
    assert "Cấp thị xã: có mặt" not in text and "Phường Phổ Hòa 3/3" not in text
    annex = doc.tables[-1]
    cells = [[c.text for c in row.cells] for row in annex.rows]
    assert cells[0] == ["TT", "Đơn vị", "Được mời", "Có mặt", "Vắng có lý do", "Vắng không lý do"]
    assert ["I", "Cấp thị xã", "27", "25", "1", "1"] in cells and ["II", "Phường", "27", "27", "0", "0"] in cells
    assert ["2", "Phường Phổ Hòa", "3", "3", "0", "0"] in cells and cells[-1] == ["", "Tổng cộng", "80", "78", "1", "1"]
    assert annex.rows[0]._tr.find(".//" + qn("w:tblHeader")) is not None  # repeated on every page
    title = paragraphs_with(doc, "PHỤ LỤC")[0]
    assert title.paragraph_format.page_break_before and title.runs[0].bold
    assert "(Kèm theo Biên bản Hội nghị trực báo giữa năm 2024 ngày 27/6/2024)" in text
    assert "Có mặt gồm cả 1 người được cử dự thay. Ngoài ra có 1 khách dự không có trong danh sách mời." in text
    # "Ông"/"Bà" capitalised throughout.
    assert (f"- Ông {ran.substitute}, Phó Chủ tịch HĐND phường Phổ Hòa, dự thay Ông {ran.seat}, "
            "Chủ tịch HĐND phường Phổ Hòa.") in text
    assert not re.search(r"\b(ông|bà) [A-ZĐ]", text)
    assert f"- Ông {ran.excused}, Chủ tịch UBND thị xã (lý do: Đi công tác tỉnh)." in text
    assert f"Bà {ran.walk_in}, Phóng viên Báo Quảng Ngãi" in text
    # The programme as held, each remark with its note, in the order the floor was given.
    assert ("1. Tuyên bố lý do, giới thiệu đại biểu Thời gian: Từ 7 giờ 30 phút đến 7 giờ 36 phút "
            "(6 phút; dự kiến 5 phút). Thực hiện: Chánh Văn phòng HĐND và UBND thị xã.") in text
    assert "Từ 9 giờ 20 phút đến 9 giờ 35 phút (15 phút; dự kiến 15 phút)." in text  # the break
    assert "Ý kiến phát biểu (5 lượt):" in text and "Ý kiến phát biểu (1 lượt):" in text
    for note in ran.notes.values():
        for line in note.split("\n"):
            assert line in text
    held = text[text.index("II. NỘI DUNG HỘI NGHỊ"):]
    positions = [held.index(f"- Ông {name}") for name in (
        "Hồ Văn Mười", "Trần Văn Hiệp", "Đỗ Quốc Việt", "Trương Văn Nam", "Lê Tấn Hòa", "Bùi Văn Khải")]
    assert positions == sorted(positions)
    assert (f"- Ông {ran.silent}, Chủ tịch HĐND phường Phổ Ninh (8 giờ 45 phút): {minutes.NO_NOTE}") in text
    assert ("- Ông Đỗ Quốc Việt, Trưởng Ban Kinh tế - Xã hội HĐND thị xã (8 giờ 34 phút) trả lời kiến nghị "
            "số 8 của HĐND xã Phổ Khánh: " + ran.notes["Đỗ Quốc Việt"]) in text
    assert "(8 giờ 22 phút) nêu kiến nghị số 8 của HĐND xã Phổ Khánh, về “Kinh phí hoạt động”: " in text
    speaker = paragraphs_with(doc, "- Ông Hồ Văn Mười")[0]
    assert speaker.runs[1].text == "Ông Hồ Văn Mười" and speaker.runs[1].bold
    for conclusion in ran.conclusions.values():
        assert "Kết luận: " + conclusion.split("\n")[0] in text
        assert conclusion.split("\n")[-1] in text
    # Kiến nghị.
    assert "8. HĐND xã Phổ Khánh: Kinh phí hoạt động của HĐND xã năm 2024 được bố trí thấp" in text
    assert "Giao: Ban Kinh tế - Xã hội HĐND thị xã. Tình trạng: Đã trả lời tại Hội nghị." in text
    assert f"Trả lời ({ran.answered_by}): {ran.answer}" in text
    assert "Trả lời tại mục 4, lượt phát biểu của Ông Đỗ Quốc Việt lúc 8 giờ 34 phút." in text
    assert "Tình trạng: Sẽ trả lời bằng văn bản." in text
    assert "2. HĐND phường Phổ Quang: " in text and "Tình trạng: Địa phương đã rút kiến nghị." in text
    # Not answered by the end of the meeting: to be answered in writing.
    assert text.count("Tình trạng: Chuyển trả lời bằng văn bản.") == 5 and "Chưa trả lời" not in text
    # Kết luận Hội nghị, the end, the signatures.
    assert "IV. KẾT LUẬN HỘI NGHỊ " + ran.intro in text
    assert ("1. UBND thị xã: Xem xét bổ sung kinh phí hoạt động cho HĐND cấp xã"
            "; thời hạn hoàn thành trước ngày 31/7/2024.") in text
    assert "thời hạn hoàn thành trước ngày 15/9/2024." in text
    assert "thời hạn hoàn thành trước ngày 05/12/2024." in text
    for n, (body, content, _deadline) in enumerate(ran.tasks, start=1):
        assert f"{n}. {body}: {content.rstrip('.')}; thời hạn hoàn thành trước ngày" in text
    assert "Hội nghị kết thúc lúc 10 giờ 35 phút cùng ngày" in text
    sign = doc.tables[-2].rows[0].cells
    assert [[p.text for p in c.paragraphs if p.text] for c in sign] == [
        ["THƯ KÝ", "Lê Thị Mỹ Duyên"], ["CHỦ TRÌ", "Võ Thanh Bình"]]
    assert all(r.bold for c in sign for p in c.paragraphs for r in p.runs)
    name = [p for p in sign[1].paragraphs if p.text][-1]
    assert name.paragraph_format.space_before >= Mm(20)  # room to sign
    # The order of the parts.
    assert "Nơi nhận: - Thường trực HĐND thị xã; - Lưu: VT, hồ sơ hội nghị." in text  # under the signatures
    order = [text.index(s) for s in ("I. THỜI GIAN", "II. NỘI DUNG", "III. KIẾN NGHỊ", "IV. KẾT LUẬN",
                                     "Hội nghị kết thúc", "THƯ KÝ", "Nơi nhận:", "PHỤ LỤC")]
    assert order == sorted(order)


def test_page_size_margins_and_font(demo_meeting):
    data = layout.docx_bytes(minutes.paper(record.gather(demo_meeting)))
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    for got, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 20),
                    (section.bottom_margin, 20), (section.left_margin, 30), (section.right_margin, 15)):
        assert abs(got.mm - mm) < 0.05, (got.mm, mm)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.space_after == Pt(6) and normal.paragraph_format.line_spacing == 1.15
    # Every font setting of the styles, the text and the page headers names Times New Roman for all
    # four scripts, and no theme font is left to override it (the template's bullet definitions
    # keep their Symbol font; nothing here uses them).
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if re.fullmatch(r"word/(styles|document|header\d+)\.xml", n)]
        assert "word/stylesWithEffects.xml" not in package.namelist()
        parts = [package.read(n).decode() for n in names]
    assert len(parts) == 4
    fonts = [m for part in parts for m in re.findall(r"<w:rFonts [^>]*/>", part)]
    assert fonts and all("Theme" not in f for f in fonts), fonts
    for f in fonts:
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert f'w:{attr}="Times New Roman"' in f, f
    body = paragraphs_with(doc, "1. Thời gian:")[0]
    assert body.paragraph_format.first_line_indent is not None
    assert abs(body.paragraph_format.first_line_indent.mm - 10) < 0.1
    # No borders on the layout tables (the annex's table has its grid); page numbers from page 2 (a
    # PAGE field, first page apart).
    for table in doc.tables[:-1]:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None and {b.get(qn("w:val")) for b in borders} == {"nil"}
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    assert "PAGE" not in "".join(t.text for t in section.first_page_header._element.iter(qn("w:instrText")))


def test_draft_until_finalized_and_numbered_by_the_office(ran):
    def docx():
        return docx_of(minutes.paper(record.gather(ran.meeting)))

    draft = docx()
    assert "DỰ THẢO" in draft.sections[0].first_page_header.paragraphs[0].text
    assert "DỰ THẢO" in draft.sections[0].header.paragraphs[0].text
    assert "Biên bản chưa được chốt (bản dự thảo)." in text_of(draft)
    minutes_service.set_documents(ran.meeting_id, minutes_number="12", notice_number="13/TB-HĐND",
                                  notice_date=date(2024, 7, 2), revision=0, actor="test",
                                  notice_recipients="- Thường trực Thị ủy;\nUBND thị xã\n\nLưu: VT")
    minutes_service.finalize(ran.meeting_id, actor="test")
    final = docx()
    assert "DỰ THẢO" not in final.sections[0].first_page_header.paragraphs[0].text
    assert "DỰ THẢO" not in final.sections[0].header.paragraphs[0].text
    assert "DỰ THẢO" not in text_of(final) and "dự thảo" not in text_of(final)
    assert "Số: 12/BB-HĐND" in text_of(final)
    assert ("Hội nghị kết thúc lúc 10 giờ 35 phút cùng ngày. Biên bản đã được đọc lại cho Hội nghị nghe "
            "và nhất trí thông qua./.") in text_of(final)  # the end of the text
    note = docx_of(notice.paper(record.gather(ran.meeting)))
    assert "Số: 13/TB-HĐND" in text_of(note) and "Đức Phổ, ngày 02 tháng 7 năm 2024" in text_of(note)
    assert "DỰ THẢO" not in note.sections[0].first_page_header.paragraphs[0].text
    recipients = note.tables[-1].rows[0].cells[0]  # the nơi nhận as the secretary wrote them
    assert [p.text for p in recipients.paragraphs if p.text] == [
        "Nơi nhận:", "- Thường trực Thị ủy;", "- UBND thị xã;", "- Lưu: VT."]


# --------------------------------------------------------------------------- the notice (.docx)

def test_the_notice(ran):
    doc = docx_of(notice.paper(record.gather(ran.meeting)))
    text = flat(text_of(doc))
    left, right = doc.tables[0].rows[0].cells
    assert "Số:        /TB-HĐND" in left.text
    assert "Đức Phổ, ngày 27 tháng 6 năm 2024" in right.text  # no notice date: the meeting's
    assert paragraphs_with(doc, "THÔNG BÁO")[0].runs[0].bold
    subtitle = paragraphs_with(doc, "Kết luận của Thường trực HĐND thị xã tại Hội nghị trực báo giữa năm 2024")[0]
    assert subtitle.runs[0].bold and subtitle.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert ("Ngày 27/6/2024, tại Hội trường UBND thị xã Đức Phổ, Thường trực HĐND thị xã tổ chức Hội nghị trực "
            "báo giữa năm 2024. Đồng chí Võ Thanh Bình - Chủ tịch HĐND thị xã chủ trì Hội nghị. Tham dự Hội nghị "
            "có đại diện: Thị ủy Đức Phổ; Thường trực HĐND thị xã; UBND thị xã Đức Phổ;") in text
    assert ("Trung tâm Truyền thông - Văn hóa - Thể thao thị xã; Thường trực, đại diện các Ban HĐND 15 xã, "
            "phường. Sau khi nghe các báo cáo và ý kiến phát biểu của đại biểu, đồng chí Võ Thanh Bình - Chủ "
            "tịch HĐND thị xã kết luận như sau: " + ran.intro) in text
    assert "78/80" not in text
    for n, (body, content, deadline) in enumerate(ran.tasks, start=1):
        assert f"{n}. {body}: {content.rstrip('.')}; thời hạn hoàn thành trước ngày {dates.short_date(deadline)}." in text
    assert "Thường trực HĐND thị xã thông báo để các cơ quan, đơn vị biết, thực hiện./." in text
    for note in ran.notes.values():  # the remarks belong to the minutes, not the notice
        assert note.split("\n")[0] not in text
    recipients, signer = doc.tables[-1].rows[0].cells
    lines = [p for p in recipients.paragraphs if p.text]
    assert lines[0].text == "Nơi nhận:" and lines[0].runs[0].bold and lines[0].runs[0].italic
    assert lines[0].runs[0].font.size == Pt(12)
    assert [p.text for p in lines[1:]] == [
        "- Thường trực Thị ủy;", "- Thường trực HĐND thị xã;", "- UBND thị xã;", "- UBMTTQVN thị xã;",
        "- Các Ban của HĐND thị xã;", "- Tổ đại biểu HĐND thị xã;", "- TT HĐND các xã, phường;",
        "- Văn phòng HĐND và UBND thị xã;", "- Lưu: VT."]  # every body with a task is on it already
    assert all(r.font.size == Pt(11) for p in lines[1:] for r in p.runs)
    signed = [p for p in signer.paragraphs if p.text]
    assert [p.text for p in signed] == ["TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Công"]
    assert all(r.bold for p in signed for r in p.runs)


# --------------------------------------------------------------------------- downloads

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _client(app, username: str):
    client = app.test_client()
    login(client, username, demo.DEMO_PASSWORD)  # the demo's staff accounts
    return client


def test_downloads_for_the_secretary_the_chair_and_the_office_only(app, ran):
    for username in ("thuky", "chutri", "vanphong"):
        client = _client(app, username)
        for suffix, name, needle in (("minutes.docx", "bien-ban-hoi-nghi-2024-06-27.docx", "BIÊN BẢN"),
                                     ("notice.docx", "thong-bao-ket-luan-2024-06-27.docx", "THÔNG BÁO")):
            response = client.get(f"/meetings/{ran.meeting_id}/{suffix}")
            assert response.status_code == 200, username
            assert response.mimetype == MIME
            assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
            assert response.headers["Cache-Control"] == "no-store"
            assert needle in text_of(Document(io.BytesIO(response.data)))
        page = client.get(f"/meetings/{ran.meeting_id}/minutes/print")
        assert page.status_code == 200 and page.mimetype == "text/html"
        for note in ran.notes.values():
            assert note.split("\n")[0] in page.text
        assert 'id="draft-mark"' in page.text and 'id="print-button"' in page.text
    door = _client(app, "letan")
    anonymous = app.test_client()
    for suffix in ("minutes.docx", "notice.docx", "minutes/print"):
        path = f"/meetings/{ran.meeting_id}/{suffix}"
        assert door.get(path).status_code == 403
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert client.get(f"/meetings/999999/{suffix}").status_code == 404


def test_the_documents_stay_vietnamese_in_an_english_session(app, demo_meeting):
    client = _client(app, "thuky")
    doc = Document(io.BytesIO(client.get(f"/meetings/{demo_meeting.id}/minutes.docx?lang=en").data))
    text = text_of(doc)
    assert "THÀNH PHẦN" in text and "có mặt 0/80" in text and "SỐ ĐẠI BIỂU, KHÁCH MỜI CÓ MẶT THEO ĐƠN VỊ" in text
    page = client.get(f"/meetings/{demo_meeting.id}/minutes/print?lang=en").text
    assert '<html lang="en">' in page and 'lang="vi"' in page
    assert "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN" in page and ">Print</button>" in page


# --------------------------------------------------------------------------- LibreOffice

def _tools() -> str:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        unavailable("LibreOffice is not installed (Debian: libreoffice-writer-nogui); "
                    "the .docx files cannot be checked the way an office opens them")
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        unavailable("pdfinfo/pdftotext are not installed (Debian: poppler-utils)")
    return office


def _pdf_text(pdf: Path) -> tuple[str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return info, text


def test_libreoffice_opens_both_as_a4_with_the_text(ran, tmp_path):
    office = _tools()
    rec = record.gather(ran.meeting)
    files = []
    for paper in (minutes.paper(rec), notice.paper(rec)):
        path = tmp_path / paper.filename
        path.write_bytes(layout.docx_bytes(paper))
        files.append(path)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        done = subprocess.run(
            [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
            check=False, capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [tmp_path / (f.stem + ".pdf") for f in files]
    assert all(p.exists() for p in pdfs), (done.returncode, done.stdout, done.stderr)

    info, text = _pdf_text(pdfs[0])
    assert "(A4)" in info, info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    joined = flat(text)
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN",
                   "Đức Phổ, ngày 27 tháng 6 năm 2024", "có mặt 78/80", "THƯ KÝ", "CHỦ TRÌ", "Lê Thị Mỹ Duyên",
                   "Võ Thanh Bình", ran.answer, "Hội nghị kết thúc lúc 10 giờ 35 phút cùng ngày", "DỰ THẢO"):
        assert needle in joined, needle
    for note in ran.notes.values():
        assert flat(note.split("\n")[0]) in joined
    for _body, content, _deadline in ran.tasks:
        assert content in joined
    page_two = text.split("\f")[1]
    assert page_two.split()[0] == "2"  # the page number at the top of page 2
    assert text.split("\f")[0].split()[0] != "1"  # none on page 1

    info, text = _pdf_text(pdfs[1])
    assert "(A4)" in info and re.search(r"Pages:\s+1\b", info)
    joined = flat(text)
    for needle in ("THÔNG BÁO", "Kết luận của Thường trực HĐND thị xã", "Nơi nhận:", "- Lưu: VT.",
                   "TM. THƯỜNG TRỰC HĐND", "PHÓ CHỦ TỊCH", "Nguyễn Văn Công", "thông báo để các cơ quan, đơn vị biết"):
        assert needle in joined, needle


def test_the_default_recipients_add_a_body_with_a_task_once_and_not_one_already_named():
    from types import SimpleNamespace

    from meetingday.documents import notice
    record = SimpleNamespace(meeting=SimpleNamespace(notice_recipients="", locality="Đức Phổ"), task_bodies=[
        "Ban Kinh tế - Xã hội HĐND thị xã", "Thường trực HĐND các xã, phường", "Phòng Nội vụ thị xã",
        "phòng nội vụ thị xã", "UBND thị xã", "UBND thị xã Đức Phổ", "Ủy ban MTTQ Việt Nam thị xã Đức Phổ"])
    lines = notice.recipients(record)
    assert lines[-2:] == ["- Phòng Nội vụ thị xã;", "- Lưu: VT."]
    assert len(lines) == len(notice.DEFAULT_RECIPIENTS) + 2
