"""The live agenda over HTTP and Socket.IO: the chair's buttons, stale refusals, the pushes that
reach the projector, the phones and the other staff screens, the display key and the JSON state."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from meetingday.extensions import db
from meetingday.models import Meeting, Role
from meetingday.services import agenda, display_key, flow, meetings
from meetingday.timeutil import epoch_ms, utcnow

from .conftest import connect, csrf_token, fresh, login, make_user, received

HX = {"HX-Request": "true"}


@pytest.fixture()
def chair(app, demo_meeting):
    make_user("chutri_http", Role.CHAIR)
    client = app.test_client()
    login(client, "chutri_http")
    return client


def post(client, meeting, action, **data):
    token = csrf_token(client, f"/meetings/{meeting.id}/chair")
    return client.post(f"/meetings/{meeting.id}/live/{action}", data=data, headers={**HX, "X-CSRFToken": token})


def version_on(page_html: str) -> int:
    return int(re.search(r'data-version="(\d+)"', page_html).group(1))


# --------------------------------------------------------------------------- the chair's screen

def test_chair_page_shows_the_programme_and_carries_the_version(app, chair, demo_meeting):
    page = chair.get(f"/meetings/{demo_meeting.id}/chair")
    assert page.status_code == 200
    html = page.text
    assert 'id="chair-controls"' in html and 'id="chair-programme"' in html and 'id="speaker-queue"' in html
    assert 'id="chair-attendance"' in html and "Có mặt" in html
    assert "Bắt đầu hội nghị" in html and version_on(html) == 1
    assert html.count('class="chair-item ') == 7
    assert "data-live-meeting" in html and "data-clock" in html


def test_chair_moves_the_meeting_and_gets_fresh_regions_back(app, chair, demo_meeting):
    response = post(chair, demo_meeting, "start", version=1)
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in response.text and 'id="chair-programme"' in response.text
    assert version_on(response.text) == 2
    assert 'aria-current="step"' in response.text  # the current item is marked
    assert "data-elapsed-from" in response.text and 'data-plan-seconds="300"' in response.text

    response = post(chair, demo_meeting, "next", version=2)
    assert response.status_code == 200 and version_on(response.text) == 3
    m = fresh(Meeting, demo_meeting.id)
    assert m.current_item.position == 2

    item = m.items[4]  # the programme's break
    response = post(chair, demo_meeting, f"jump/{item.id}", version=3)
    assert response.status_code == 200 and "data-countdown-to" in response.text
    assert "Tiếp tục họp" in response.text
    response = post(chair, demo_meeting, "resume", version=4)
    assert fresh(Meeting, demo_meeting.id).current_item.position == 6

    response = post(chair, demo_meeting, "break", version=5, minutes="10")
    assert response.status_code == 200 and fresh(Meeting, demo_meeting.id).break_ends_at is not None
    response = post(chair, demo_meeting, "resume", version=6)
    response = post(chair, demo_meeting, "previous", version=7)
    assert fresh(Meeting, demo_meeting.id).current_item.position == 5
    response = post(chair, demo_meeting, "end", version=8)
    assert response.status_code == 200 and "Hội nghị đã kết thúc" in response.text
    assert fresh(Meeting, demo_meeting.id).ended_at is not None


def test_a_stale_tap_is_refused_with_a_message_and_the_screen_reloads(app, chair, demo_meeting):
    assert post(chair, demo_meeting, "start", version=1).status_code == 200
    assert post(chair, demo_meeting, "next", version=2).status_code == 200
    # a second tablet still shows version 2
    response = post(chair, demo_meeting, "next", version=2)
    assert response.status_code == 409
    assert "Thiết bị khác vừa thay đổi chương trình" in response.text
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Trigger"] == "live-reload"
    assert fresh(Meeting, demo_meeting.id).current_item.position == 2  # advanced once


def test_bad_break_minutes_say_so_and_change_nothing(app, chair, demo_meeting):
    post(chair, demo_meeting, "start", version=1)
    response = post(chair, demo_meeting, "break", version=2, minutes="mười")
    assert response.status_code == 400 and "Thời gian giải lao phải từ 1 đến 180 phút." in response.text
    assert fresh(Meeting, demo_meeting.id).version == 2


def test_the_chair_can_call_a_break_of_any_length(app, chair, demo_meeting):
    post(chair, demo_meeting, "start", version=1)
    page = chair.get(f"/meetings/{demo_meeting.id}/chair").text
    assert 'class="chair-break-custom"' in page and 'name="minutes"' in page and 'max="180"' in page
    for bad in ("200", "0", ""):
        response = post(chair, demo_meeting, "break", version=2, minutes=bad)
        assert response.status_code == 400 and "Thời gian giải lao phải từ 1 đến 180 phút." in response.text
    response = post(chair, demo_meeting, "break", version=2, minutes="25")
    m = fresh(Meeting, demo_meeting.id)
    assert response.status_code == 200 and m.break_ends_at - m.break_started_at == timedelta(minutes=25)
    assert 'class="chair-break-custom"' not in response.text  # on a break: "resume" instead
    # The interrupted item's timer stands still at the break on the chair's screen.
    controls = chair.get(f"/meetings/{demo_meeting.id}/chair/controls").text
    assert f'data-elapsed-until="{epoch_ms(m.break_started_at)}"' in controls


def test_a_reopened_item_shows_the_time_held_everywhere(app, chair, demo_meeting):
    t0 = utcnow() - timedelta(minutes=90)
    mid, key = demo_meeting.id, demo_meeting.display_key
    token = demo_meeting.invitees[0].active_token.token
    flow.start_meeting(mid, 1, now=t0)
    flow.next_item(mid, 2, now=t0 + timedelta(minutes=5))    # item 2: 10 minutes
    flow.next_item(mid, 3, now=t0 + timedelta(minutes=15))
    flow.jump_to(mid, demo_meeting.items[1].id, 4, now=t0 + timedelta(minutes=80))  # back to it
    continues_from = f'data-elapsed-from="{epoch_ms(t0 + timedelta(minutes=70))}"'
    first_start = f'data-elapsed-from="{epoch_ms(t0 + timedelta(minutes=5))}"'
    screens = [chair.get(f"/meetings/{mid}/chair/controls").text,
               chair.get(f"/meetings/{mid}/chair/programme").text,
               app.test_client().get(f"/display/{key}?part=main", headers=HX).text,
               app.test_client().get(f"/d/{token}?part=programme", headers=HX).text]
    for html in screens:
        assert continues_from in html and first_start not in html
    flow.next_item(mid, 5, now=t0 + timedelta(minutes=85))   # forward again: 10 + 5 minutes
    programme = chair.get(f"/meetings/{mid}/chair/programme").text
    item2 = programme.split('class="chair-item ')[2]
    assert "(15 phút)" in item2
    assert fresh(Meeting, mid).items[1].held_seconds == 15 * 60


def test_a_refused_move_on_the_last_item_is_explained(app, chair, demo_meeting):
    post(chair, demo_meeting, "start", version=1)
    last = demo_meeting.items[-1]
    post(chair, demo_meeting, f"jump/{last.id}", version=2)
    response = post(chair, demo_meeting, "next", version=3)
    assert response.status_code == 409 and "mục cuối" in response.text


# --------------------------------------------------------------------------- live pushes

def test_next_reaches_the_projector_the_phone_and_another_staff_screen(app, chair, demo_meeting):
    key = demo_meeting.display_key
    token = demo_meeting.invitees[0].active_token.token
    projector = connect(app, {"meeting": demo_meeting.id, "key": key, "locale": "vi"})
    phone = connect(app, {"meeting": demo_meeting.id, "pass": token, "locale": "vi"})
    make_user("thuky_http", Role.SECRETARY)
    other = app.test_client()
    login(other, "thuky_http")
    staff = connect(app, {"meeting": demo_meeting.id, "locale": "vi"}, other)
    assert projector.is_connected() and phone.is_connected() and staff.is_connected()

    post(chair, demo_meeting, "start", version=1)
    for c in (projector, phone, staff):
        c.get_received()
    assert post(chair, demo_meeting, "next", version=2).status_code == 200

    second = demo_meeting.items[1].title
    public = received(projector).swaps
    assert set(public) == {"#display-main", "#pass-now", "#pass-closing", "#pass-programme", "#display-speaker",
                           "#pass-queue"}
    assert second in public["#display-main"] and "Mục 2/7" in public["#display-main"]
    assert second in public["#pass-now"] and "mục 2/7" in public["#pass-now"]
    assert "data-elapsed-from" in public["#display-main"]
    assert 'aria-current="step"' in public["#pass-programme"]
    assert received(phone).swaps == public
    # nothing personal or secret in what every phone receives
    for html in public.values():
        assert key not in html and token not in html
        assert not re.search(r"0\d{9}", html), "a phone number in a public region"
    staff_swaps = received(staff).swaps
    assert {"#chair-controls", "#chair-programme", "#display-main"} <= set(staff_swaps)
    assert version_on(staff_swaps["#chair-controls"]) == 3


def test_programme_and_meeting_edits_reach_every_screen(app, admin_client, chair, demo_meeting):
    key = demo_meeting.display_key
    projector = connect(app, {"meeting": demo_meeting.id, "key": key, "locale": "vi"})
    staff = connect(app, {"meeting": demo_meeting.id, "locale": "vi"}, chair)
    assert projector.is_connected() and staff.is_connected()

    meetings.update_meeting(fresh(Meeting, demo_meeting.id), {"title": "Hội nghị giao ban (đã đổi tên)"}, actor="test",
                            revision=0)
    assert "Hội nghị giao ban (đã đổi tên)" in received(projector).swaps["#display-main"]  # the welcome screen

    post(chair, demo_meeting, "start", version=1)
    projector.get_received(), staff.get_received()
    item = demo_meeting.items[0]
    token = csrf_token(admin_client, f"/meetings/{demo_meeting.id}/agenda/")
    response = admin_client.post(f"/meetings/{demo_meeting.id}/agenda/{item.id}", headers={**HX, "X-CSRFToken": token},
                                 data={"title": "Tuyên bố lý do (sửa)", "kind": item.kind.value,
                                       "planned_minutes": "8", "presenter": item.presenter,
                                       "seen": agenda.shown(item)})
    assert response.status_code == 200
    public = received(projector).swaps
    assert "Tuyên bố lý do (sửa)" in public["#display-main"] and 'data-plan-seconds="480"' in public["#display-main"]
    assert "Tuyên bố lý do (sửa)" in public["#pass-programme"]
    chair_swaps = received(staff).swaps
    assert "Tuyên bố lý do (sửa)" in chair_swaps["#chair-programme"]
    assert version_on(chair_swaps["#chair-controls"]) == 3  # the edit is a new version ...
    response = post(chair, demo_meeting, "next", version=2)  # ... so a tap based on the old one is refused
    assert response.status_code == 409 and fresh(Meeting, demo_meeting.id).current_item.position == 1


# --------------------------------------------------------------------------- the projector and its key

def test_projector_page_before_during_and_after(app, chair, demo_meeting):
    key = demo_meeting.display_key
    anonymous = app.test_client()
    page = anonymous.get(f"/display/{key}")
    assert page.status_code == 200
    assert "Chào mừng quý đại biểu" in page.text and f'data-live-key="{key}"' in page.text
    assert f"/meetings/{demo_meeting.id}/hall-code?key={key}" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    for inv in demo_meeting.invitees:  # no personal data on the projector
        if inv.phone:
            assert inv.phone not in page.text
        assert inv.active_token.token not in page.text

    post(chair, demo_meeting, "start", version=1)
    part = anonymous.get(f"/display/{key}?part=main", headers=HX)
    assert part.status_code == 200 and part.text.lstrip().startswith('<section id="display-main"')
    assert demo_meeting.items[0].title in part.text
    assert anonymous.get(f"/display/{key}?part=attendance").text.count("Có mặt") == 1

    post(chair, demo_meeting, "end", version=2)
    assert "Trân trọng cảm ơn" in anonymous.get(f"/display/{key}?part=main").text


def test_the_closing_conclusion_is_shown_once_published(app, chair, demo_meeting):
    from meetingday.models import Conclusion
    post(chair, demo_meeting, "start", version=1)
    post(chair, demo_meeting, "end", version=2)
    db.session.add(Conclusion(meeting_id=demo_meeting.id, item_id=None, text="Các xã, phường khẩn trương..."))
    db.session.commit()
    key = demo_meeting.display_key
    assert "Các xã, phường khẩn trương" not in app.test_client().get(f"/display/{key}?part=main").text
    m = fresh(Meeting, demo_meeting.id)
    m.closing_published_at = m.ended_at
    db.session.commit()
    html = app.test_client().get(f"/display/{key}?part=main").text
    assert "Kết luận Hội nghị" in html and "Các xã, phường khẩn trương" in html


def test_a_revoked_or_rotated_key_opens_nothing(app, demo_meeting):
    key = demo_meeting.display_key
    anonymous = app.test_client()
    projector = connect(app, {"meeting": demo_meeting.id, "key": key})
    assert anonymous.get(f"/display/{key}").status_code == 200

    display_key.revoke_display_key(demo_meeting, "test")
    assert anonymous.get(f"/display/{key}").status_code == 404
    assert anonymous.get(f"/display/{key}/state.json").status_code == 404
    stale = anonymous.get(f"/display/{key}?part=main", headers=HX)
    assert stale.status_code == 404 and stale.headers["HX-Refresh"] == "true"
    # the open projector was cut off, and cannot come back (tests/test_live.py says more)
    assert not projector.is_connected()
    assert not connect(app, {"meeting": demo_meeting.id, "key": key}).is_connected()

    new_key = display_key.rotate_display_key(fresh(Meeting, demo_meeting.id), "test")
    assert anonymous.get(f"/display/{new_key}").status_code == 200
    newer = display_key.rotate_display_key(fresh(Meeting, demo_meeting.id), "test")
    assert anonymous.get(f"/display/{new_key}").status_code == 404
    assert anonymous.get(f"/display/{newer}").status_code == 200


def test_admin_manages_the_key_on_the_meeting_overview(app, admin_client, demo_meeting):
    page = admin_client.get(f"/meetings/{demo_meeting.id}")
    assert 'id="display-key-admin"' in page.text and f"/display/{demo_meeting.display_key}" in page.text
    token = csrf_token(admin_client, f"/meetings/{demo_meeting.id}")
    old = demo_meeting.display_key
    response = admin_client.post(f"/meetings/{demo_meeting.id}/display-key/revoke", headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200 and "Tạo đường dẫn màn hình" in response.text
    assert fresh(Meeting, demo_meeting.id).display_key is None
    again = admin_client.post(f"/meetings/{demo_meeting.id}/display-key/revoke", headers={**HX, "X-CSRFToken": token})
    assert again.status_code == 409
    response = admin_client.post(f"/meetings/{demo_meeting.id}/display-key", headers={**HX, "X-CSRFToken": token})
    new = fresh(Meeting, demo_meeting.id).display_key
    assert response.status_code == 200 and new and new != old and f"/display/{new}" in response.text


def test_json_state_for_hall_equipment(app, chair, demo_meeting):
    key = demo_meeting.display_key
    post(chair, demo_meeting, "start", version=1)
    post(chair, demo_meeting, "next", version=2)
    response = app.test_client().get(f"/display/{key}/state.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["meeting"]["state"] == "in_session"
    item = demo_meeting.items[1]
    assert data["current_item"]["number"] == 2 and data["current_item"]["title"] == item.title
    assert data["current_item"]["presenter"] == item.presenter
    assert data["current_item"]["started_at"].endswith("Z") and data["current_item"]["planned_minutes"] == 10
    assert data["attendance"]["expected"] > 0 and data["attendance"]["present"] == 0
    assert data["current_speaker"] is None and data["break"] is None
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", data["server_time"])
    text = response.text
    assert key not in text and all(inv.active_token.token not in text for inv in demo_meeting.invitees)


# --------------------------------------------------------------------------- the phone

def test_pass_page_has_the_live_programme(app, chair, demo_meeting):
    token = demo_meeting.invitees[0].active_token.token
    phone = app.test_client()
    page = phone.get(f"/d/{token}")
    assert 'id="pass-programme"' in page.text and f'data-live-pass="{token}"' in page.text
    assert "Chưa bắt đầu" in page.text
    post(chair, demo_meeting, "start", version=1)
    part = phone.get(f"/d/{token}?part=programme", headers=HX)
    assert part.status_code == 200 and part.text.lstrip().startswith("{#") is False
    assert 'id="pass-programme"' in part.text and "Đang diễn ra" in part.text
    assert part.headers["Cache-Control"] == "private, no-store"
