"""The published closing conclusion on the projector and the phones: it appears when the
secretary publishes it (during the last item or after the end), follows every edit while
published, and goes when it is taken back."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import current_app

from meetingday.errors import DomainError
from meetingday.extensions import db, socketio
from meetingday.models import Meeting
from meetingday.services import closing, flow, notes

from .speakerhall import commune_delegates, open_discussion

INTRO = "Hội nghị đánh giá cao sự chuẩn bị chu đáo của Thường trực HĐND các xã, phường."
TASK = "Hướng dẫn quy trình, biểu mẫu giám sát chuyên đề cho HĐND cấp xã"


def _swaps(sio_client, target: str) -> list[str]:
    return [s["html"] for msg in sio_client.get_received() if msg["name"] == "swap"
            for s in msg["args"][0]["swaps"] if s["target"] == target]


@pytest.fixture()
def screens(demo_meeting):
    """The meeting under way with a projector and one delegate's phone connected."""
    person = commune_delegates(demo_meeting, 1)[0]
    open_discussion(demo_meeting, [person], started=datetime(2024, 6, 27, 0, 30))
    demo_meeting = db.session.get(Meeting, demo_meeting.id)
    # The chair's closing conclusion is the programme's last item.
    flow.jump_to(demo_meeting.id, demo_meeting.items[-1].id, demo_meeting.version, "test")
    demo_meeting = db.session.get(Meeting, demo_meeting.id)
    demo_meeting.display_key = "k" * 32
    db.session.commit()
    app = current_app._get_current_object()
    projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": demo_meeting.display_key})
    phone = socketio.test_client(app, auth={"meeting": demo_meeting.id, "pass": person.active_token.token})
    assert projector.is_connected() and phone.is_connected()
    projector.get_received(), phone.get_received()
    return demo_meeting, projector, phone


def test_publishing_shows_the_conclusion_with_its_tasks_everywhere(screens):
    meeting, projector, phone = screens
    notes.save_closing_intro(meeting.id, INTRO, 0, actor="test")
    closing.add_task(meeting.id, "Ban Pháp chế HĐND thị xã", TASK, date(2024, 7, 31), actor="test")
    # Not published yet: nothing of it reaches a public screen.
    assert not any(INTRO in html for html in _swaps(projector, "#display-main") + _swaps(phone, "#pass-closing"))

    closing.publish(meeting.id, actor="test")
    for html in (_swaps(projector, "#display-main")[-1], _swaps(phone, "#pass-closing")[-1]):
        assert "Kết luận Hội nghị" in html and INTRO in html
        assert "Ban Pháp chế HĐND thị xã" in html and TASK in html and "31/07/2024" in html


def test_an_edit_while_published_is_pushed_and_taking_it_back_removes_it(screens):
    meeting, projector, phone = screens
    notes.save_closing_intro(meeting.id, INTRO, 0, actor="test")
    closing.publish(meeting.id, actor="test")
    projector.get_received(), phone.get_received()

    closing.add_task(meeting.id, "Văn phòng HĐND và UBND thị xã", "Tổng hợp kiến nghị sau hội nghị", None,
                     actor="test")
    assert "Tổng hợp kiến nghị sau hội nghị" in _swaps(projector, "#display-main")[-1]
    notes.save_closing_intro(meeting.id, INTRO + " Đề nghị các địa phương triển khai.", 1, actor="test")
    assert "Đề nghị các địa phương triển khai." in _swaps(phone, "#pass-closing")[-1]

    closing.unpublish(meeting.id, actor="test")
    for html in (_swaps(projector, "#display-main")[-1], _swaps(phone, "#pass-closing")[-1]):
        assert INTRO not in html and "Kết luận Hội nghị" not in html


def test_the_projector_page_and_the_phone_page_show_it_after_the_end(screens, client):
    meeting, _, _ = screens
    notes.save_closing_intro(meeting.id, INTRO, 0, actor="test")
    closing.publish(meeting.id, actor="test")
    flow.end_meeting(meeting.id, db.session.get(Meeting, meeting.id).version, "test")
    person = commune_delegates(meeting, 1)[0]
    for url in (f"/display/{meeting.display_key}", f"/d/{person.active_token.token}"):
        body = client.get(url).get_data(as_text=True)
        assert INTRO in body, url


def test_it_is_published_only_at_the_last_item_and_hidden_if_the_chair_goes_back(screens):
    meeting, projector, _ = screens
    notes.save_closing_intro(meeting.id, INTRO, 0, actor="test")
    flow.previous_item(meeting.id, db.session.get(Meeting, meeting.id).version, "test")
    with pytest.raises(DomainError) as refused:
        closing.publish(meeting.id, actor="test")
    assert refused.value.code == "closing_too_early"
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).closing_published_at is None

    flow.next_item(meeting.id, db.session.get(Meeting, meeting.id).version, "test")
    closing.publish(meeting.id, actor="test")
    assert INTRO in _swaps(projector, "#display-main")[-1]
    flow.previous_item(meeting.id, db.session.get(Meeting, meeting.id).version, "test")
    assert INTRO not in _swaps(projector, "#display-main")[-1]
