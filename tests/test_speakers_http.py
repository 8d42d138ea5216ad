"""The speaker queue over HTTP and Socket.IO: the delegate's phone (ask, place, withdraw), the
chair's and secretary's buttons with their roles, stale and doubled taps, time limits, the people
search, the pushes to the projector, the phones and the staff screens, and the English phone."""
from __future__ import annotations

import re
import unicodedata

import pytest
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import (
    AgendaItem,
    Invitee,
    Meeting,
    Role,
    SpeakerKind,
    SpeakerRequest,
)
from meetingday.services import checkin, flow, speaker_queue, speakers

from .conftest import connect, csrf_token, fresh, login, make_user, page_csrf, received
from .speakerhall import commune_delegates, open_discussion

HX = {"HX-Request": "true"}
PUBLIC = ("#display-speaker", "#pass-now", "#pass-queue")
LIMIT_MESSAGE = "Thời gian phát biểu phải từ 1 đến 60 phút."
FORBIDDEN = "Tài khoản này không có quyền thực hiện việc này."
STALE = "Danh sách phát biểu vừa thay đổi trên thiết bị khác"
PHONE_NUMBER = re.compile(r"(?<!\d)0\d{9}(?!\d)")


# --------------------------------------------------------------------------- helpers

def ascii_fold(text: str) -> str:
    """What a hurried secretary types: no diacritics, lower case."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def requests_of(item_id: int, invitee_id: int | None = None) -> list[SpeakerRequest]:
    db.session.expire_all()
    stmt = select(SpeakerRequest).where(SpeakerRequest.item_id == item_id)
    if invitee_id is not None:
        stmt = stmt.where(SpeakerRequest.invitee_id == invitee_id)
    return list(db.session.scalars(stmt.order_by(SpeakerRequest.id)))


def line(item_id: int) -> list[int]:
    db.session.expire_all()
    return [r.id for r in speaker_queue.waiting(db.session.get(AgendaItem, item_id))]


class Phone:
    """A delegate's phone: the pass link, its cookies and the CSRF token of the pass page."""

    def __init__(self, app, invitee: Invitee):
        self.invitee_id, self.name = invitee.id, invitee.full_name
        self.honorific = invitee.honorific or "Ông/Bà"  # how the pass addresses its holder
        self.token = invitee.active_token.token
        self.http = app.test_client()
        page = self.http.get(f"/d/{self.token}")
        assert page.status_code == 200
        self.csrf = page_csrf(page.text)

    def part(self, name: str):
        return self.http.get(f"/d/{self.token}?part={name}", headers=HX)

    def item_on_form(self) -> str:
        """The item id the "ask to speak" form names, as the phone shows it."""
        html = self.part("speak").text
        return re.search(r'<input type="hidden" name="item" value="(\d+)">', html).group(1)

    def ask(self, item=None, csrf: bool = True, **data):
        item = self.item_on_form() if item is None else item
        headers = {**HX, "X-CSRFToken": self.csrf} if csrf else HX
        return self.http.post(f"/d/{self.token}/speak", data={"item": item, **data}, headers=headers)

    def withdraw(self, request_id: int):
        return self.http.post(f"/d/{self.token}/speak/{request_id}/withdraw",
                              headers={**HX, "X-CSRFToken": self.csrf})

    def socket(self, app, locale: str = "vi"):
        return connect(app, {"meeting": fresh(Invitee, self.invitee_id).meeting_id, "pass": self.token,
                             "locale": locale})


class Staff:
    """A signed-in staff member's tablet."""

    def __init__(self, app, username: str, role: Role, meeting_id: int, csrf_page: str):
        make_user(username, role)
        self.http = app.test_client()
        login(self.http, username)
        self.meeting_id = meeting_id
        self.csrf = csrf_token(self.http, csrf_page.format(id=meeting_id))

    def post(self, path: str, **data):
        return self.http.post(f"/meetings/{self.meeting_id}/speakers{path}", data=data,
                              headers={**HX, "X-CSRFToken": self.csrf})

    def get(self, path: str, **params):
        return self.http.get(f"/meetings/{self.meeting_id}/speakers{path}", query_string=params, headers=HX)

    def seen(self) -> dict:
        """What the chair's list shows now: who speaks ("" for nobody) and the line, in order."""
        html = self.get("/queue").text
        return {"current": re.search(r'<input type="hidden" name="current" value="(\d*)">', html).group(1),
                "line": re.findall(r'<input type="hidden" name="line" value="(\d+)">', html)}


@pytest.fixture()
def hall(app, demo_meeting):
    """The demo meeting under way at its discussion item, the queue open, six delegates of six
    different communes/wards checked in and a seventh absent."""
    m = demo_meeting
    chosen = commune_delegates(m, 7)
    discussion = open_discussion(m, chosen[:6])
    return {"meeting_id": m.id, "item_id": discussion.id, "key": fresh(Meeting, m.id).display_key,
            "present": [fresh(Invitee, p.id) for p in chosen[:6]], "absent": fresh(Invitee, chosen[6].id)}


@pytest.fixture()
def chair(app, hall):
    return Staff(app, "chutri_sq", Role.CHAIR, hall["meeting_id"], "/meetings/{id}/speakers")


@pytest.fixture()
def secretary(app, hall):
    return Staff(app, "thuky_sq", Role.SECRETARY, hall["meeting_id"], "/meetings/{id}/speakers")


@pytest.fixture()
def door(app, hall):
    return Staff(app, "letan_sq", Role.DOOR, hall["meeting_id"], "/meetings/{id}/attendance")


def staff_ask(hall, n: int) -> int:
    """Someone present asks through the service (the set-up of a test, not what it checks)."""
    return speakers.ask(hall["meeting_id"], hall["item_id"], hall["present"][n].id).id


def assert_public(html: str, hall) -> None:
    """Nothing secret or personal in a region every projector and phone receives."""
    meeting = fresh(Meeting, hall["meeting_id"])
    assert meeting.display_key not in html
    for person in meeting.invitees:
        token = person.active_token
        if token is not None:
            assert token.token not in html, f"the pass token of {person.full_name} in a public region"
        if person.phone:
            assert person.phone not in html, f"the phone number of {person.full_name} in a public region"
    assert not PHONE_NUMBER.search(html), "a phone number in a public region"
    assert "/d/" not in html


# --------------------------------------------------------------------------- the phone

def test_the_pass_addresses_its_holder_by_their_honorific(app, hall, chair):
    """Officials are addressed as Ông or Bà (Ông/Bà when the list names neither), never "Bạn";
    the chair's buttons say what they do."""
    fresh()
    for person, honorific in zip(hall["present"][:3], ("Bà", "Ông", "")):
        db.session.get(Invitee, person.id).honorific = honorific
    db.session.commit()
    ba, ong, either = (Phone(app, fresh(Invitee, p.id)) for p in hall["present"][:3])
    for phone in (ba, ong, either):
        assert phone.ask().status_code == 200
    mine = {phone: phone.part("speak").text for phone in (ba, ong, either)}
    assert "Bà sắp đến lượt phát biểu" in mine[ba]
    assert "Bà đứng thứ 1 trong danh sách phát biểu. Xin chuẩn bị." in mine[ba]
    assert "Ông đứng thứ 2 trong danh sách phát biểu" in mine[ong] and "Còn 1 người phát biểu trước." in mine[ong]
    assert "Ông/Bà đứng thứ 3 trong danh sách phát biểu" in mine[either]
    line = chair.get("/queue").text
    assert ">Mời phát biểu</button>" in line and ">Rút khỏi danh sách</button>" in line
    assert ">Mời</button>" not in line and ">Rút</button>" not in line

    first = requests_of(hall["item_id"], ba.invitee_id)[0].id
    assert chair.post(f"/{first}/floor", current="").status_code == 200
    assert ong.withdraw(requests_of(hall["item_id"], ong.invitee_id)[0].id).status_code == 200
    mine = {phone: phone.part("speak").text for phone in (ba, ong, either)}
    assert "Mời Bà phát biểu" in mine[ba] and "Đang phát biểu" in mine[ba]
    assert "Đã rút đăng ký lúc" in mine[ong]
    assert "Ông/Bà sắp đến lượt phát biểu" in mine[either]
    for phone in (ba, ong, either):
        page = phone.http.get(f"/d/{phone.token}").text
        assert not re.search(r"\b[Bb]ạn\b", page), "a pass says Bạn"


def test_phone_shows_the_ask_form_when_open_and_checked_in(app, hall):
    phone = Phone(app, hall["present"][0])
    part = phone.part("speak")
    assert part.status_code == 200
    assert part.headers["Cache-Control"] == "private, no-store"
    html = part.text
    assert 'id="pass-speak"' in html and "is-can_ask" in html
    assert "Đăng ký phát biểu" in html and 'class="btn btn-primary ps-ask"' in html
    assert f'hx-post="/d/{phone.token}/speak"' in html
    assert phone.item_on_form() == str(hall["item_id"])
    # The whole pass page carries the same part, and the CSRF token the phone posts with.
    page = phone.http.get(f"/d/{phone.token}").text
    assert 'id="pass-speak"' in page and 'name="item"' in page and 'id="pass-queue"' in page


def test_phone_asks_and_sees_its_place(app, hall):
    first, second = Phone(app, hall["present"][0]), Phone(app, hall["present"][1])
    response = first.ask(topic="  Kinh phí   sửa đường ")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Cache-Control"] == "private, no-store"
    [request] = requests_of(hall["item_id"], first.invitee_id)
    assert request.waiting and request.topic == "Kinh phí sửa đường" and request.kind == SpeakerKind.REMARK
    html = response.text
    assert f"{first.honorific} sắp đến lượt phát biểu" in html
    assert f"{first.honorific} đứng thứ 1 trong danh sách phát biểu. Xin chuẩn bị." in html
    assert f'data-my-request="{request.id}"' in html and "Nội dung phát biểu: Kinh phí sửa đường" in html
    assert f'hx-post="/d/{first.token}/speak/{request.id}/withdraw"' in html and "Rút đăng ký" in html
    assert 'class="btn btn-primary ps-ask"' not in html  # no second form while waiting

    response = second.ask()
    assert response.status_code == 200
    assert f"{second.honorific} đứng thứ 2 trong danh sách phát biểu" in response.text
    assert "Còn 1 người phát biểu trước." in response.text and "sắp đến lượt" not in response.text
    # Reloaded later, the place is the same.
    assert f"{second.honorific} đứng thứ 2 trong danh sách phát biểu" in second.part("speak").text
    assert line(hall["item_id"]) == [request.id, requests_of(hall["item_id"], second.invitee_id)[0].id]
    # The phones' shared list shows both, in order.
    queue = first.part("queue").text
    assert queue.index(first.name) < queue.index(second.name)


def test_asking_twice_is_refused_and_nothing_doubles(app, hall):
    phone = Phone(app, hall["present"][0])
    item = phone.item_on_form()
    assert phone.ask(item).status_code == 200
    again = phone.ask(item)  # a second tap on a form the phone still showed
    assert again.status_code == 409
    assert f"{phone.name} đã có tên trong danh sách phát biểu." in again.text
    assert again.headers["HX-Retarget"] == "#flash"
    assert len(requests_of(hall["item_id"], phone.invitee_id)) == 1


def test_not_checked_in_phone_is_told_to_check_in_first(app, hall):
    phone = Phone(app, hall["absent"])
    html = phone.part("speak").text
    assert "is-absent" in html
    assert "Xin điểm danh tại hội trường trước khi đăng ký phát biểu." in html
    assert 'name="item"' not in html
    response = phone.ask(str(hall["item_id"]))  # an old form, or a forged post
    assert response.status_code == 409
    assert "Chỉ đại biểu đã điểm danh mới đăng ký phát biểu được." in response.text
    assert requests_of(hall["item_id"], phone.invitee_id) == []


def test_a_closed_queue_refuses_asks(app, hall):
    phone = Phone(app, hall["present"][0])
    item = phone.item_on_form()
    speakers.close_queue(hall["meeting_id"], hall["item_id"], actor="test")
    html = phone.part("speak").text
    assert "is-closed" in html and "Danh sách phát biểu của mục này đã đóng." in html
    response = phone.ask(item)
    assert response.status_code == 409
    assert "Danh sách phát biểu của mục này đã đóng." in response.text
    assert requests_of(hall["item_id"]) == []


def test_phone_withdraws_its_own_request_only(app, hall):
    mine, other = Phone(app, hall["present"][0]), Phone(app, hall["present"][1])
    assert mine.ask().status_code == 200 and other.ask().status_code == 200
    my_id = requests_of(hall["item_id"], mine.invitee_id)[0].id
    other_id = requests_of(hall["item_id"], other.invitee_id)[0].id

    response = mine.withdraw(other_id)  # someone else's request
    assert response.status_code == 404
    assert "Không tìm thấy lượt đăng ký phát biểu này." in response.text
    assert fresh(SpeakerRequest, other_id).waiting

    response = mine.withdraw(my_id)
    assert response.status_code == 200
    assert fresh(SpeakerRequest, my_id).withdrawn_at is not None
    assert 'class="btn btn-primary ps-ask"' in response.text  # may ask again
    assert line(hall["item_id"]) == [other_id]
    assert f"{other.honorific} sắp đến lượt phát biểu" in other.part("speak").text  # moved up

    again = mine.withdraw(my_id)  # a doubled tap
    assert again.status_code == 409 and "Lượt đăng ký này đã được rút." in again.text


def test_phone_posts_need_the_csrf_token(app, hall):
    phone = Phone(app, hall["present"][0])
    response = phone.ask(csrf=False)
    assert response.status_code == 400
    assert "thiếu mã bảo mật" in response.text
    assert requests_of(hall["item_id"]) == []
    request_id = staff_ask(hall, 0)
    response = phone.http.post(f"/d/{phone.token}/speak/{request_id}/withdraw", headers=HX)
    assert response.status_code == 400
    assert fresh(SpeakerRequest, request_id).waiting


def test_an_unknown_pass_opens_nothing(app, hall):
    response = app.test_client().get("/d/khong-co-the-nay?part=speak")
    assert response.status_code == 404
    assert 'id="pass-speak"' not in response.text


# --------------------------------------------------------------------------- the chair

def test_chair_gives_the_floor_and_gets_the_queue_back(app, hall, chair):
    a, b = staff_ask(hall, 0), staff_ask(hall, 1)
    seen = chair.seen()
    assert seen == {"current": "", "line": [str(a), str(b)]}
    response = chair.post(f"/{a}/floor", current=seen["current"])
    assert response.status_code == 200, response.text[:300]
    html = response.text
    assert re.search(r'<section id="speaker-queue"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'<section id="speaker-fairness"[^>]*hx-swap-oob="true"', html)
    assert f'class="sq-current" data-request="{a}"' in html and hall["present"][0].full_name in html
    assert f'<input type="hidden" name="current" value="{a}">' in html
    assert fresh(SpeakerRequest, a).started_at is not None and line(hall["item_id"]) == [b]

    # The same tap again (a double tap, or a second tablet): refused, the screen reloads.
    again = chair.post(f"/{a}/floor", current=seen["current"])
    assert again.status_code == 409
    assert "Đại biểu này đang phát biểu." in again.text
    assert again.headers["HX-Trigger"] == "live-reload" and again.headers["HX-Retarget"] == "#flash"

    # The next one from a screen that still shows nobody speaking: stale.
    stale = chair.post(f"/{b}/floor", current="")
    assert stale.status_code == 409 and STALE in stale.text
    assert stale.headers["HX-Trigger"] == "live-reload"
    assert fresh(SpeakerRequest, b).waiting and fresh(SpeakerRequest, a).ended_at is None

    # From the fresh screen: the first ends, the second speaks.
    response = chair.post(f"/{b}/floor", current=chair.seen()["current"])
    assert response.status_code == 200
    assert fresh(SpeakerRequest, a).ended_at is not None and fresh(SpeakerRequest, b).speaking
    assert "Đã phát biểu ở mục này (1)" in response.text


def test_chair_pauses_resumes_and_ends(app, hall, chair):
    a = staff_ask(hall, 0)
    assert chair.post(f"/{a}/floor", current="").status_code == 200
    response = chair.post(f"/{a}/pause")
    assert response.status_code == 200 and "tạm dừng" in response.text
    assert fresh(SpeakerRequest, a).paused_at is not None
    again = chair.post(f"/{a}/pause")
    assert again.status_code == 409 and "Phần phát biểu này đang tạm dừng." in again.text
    assert chair.post(f"/{a}/resume").status_code == 200
    assert fresh(SpeakerRequest, a).paused_at is None
    response = chair.post(f"/{a}/end")
    assert response.status_code == 200 and "Chưa có ai đăng ký phát biểu." in response.text
    assert fresh(SpeakerRequest, a).ended_at is not None
    again = chair.post(f"/{a}/end")
    assert again.status_code == 409 and "Đại biểu này đã phát biểu xong." in again.text
    assert again.headers["HX-Trigger"] == "live-reload"


def test_chair_moves_a_speaker_up_and_down(app, hall, chair):
    a, b, c = staff_ask(hall, 0), staff_ask(hall, 1), staff_ask(hall, 2)
    seen = chair.seen()["line"]
    assert seen == [str(a), str(b), str(c)]
    response = chair.post(f"/{c}/move", offset="-1", line=seen)
    assert response.status_code == 200
    assert line(hall["item_id"]) == [a, c, b]
    assert re.findall(r'<input type="hidden" name="line" value="(\d+)">', response.text) == [str(a), str(c), str(b)]
    # The same tap sent twice changes nothing more.
    assert chair.post(f"/{c}/move", offset="-1", line=seen).status_code == 200
    assert line(hall["item_id"]) == [a, c, b]

    seen_now = chair.seen()["line"]
    assert chair.post(f"/{a}/move", offset="1", line=seen_now).status_code == 200
    assert line(hall["item_id"]) == [c, a, b]
    # The last one cannot go further down.
    assert chair.post(f"/{b}/move", offset="1", line=chair.seen()["line"]).status_code == 200
    assert line(hall["item_id"]) == [c, a, b]

    # A screen that missed those changes asks for an order nobody saw: refused.
    stale = chair.post(f"/{b}/move", offset="-1", line=seen)
    assert stale.status_code == 409 and STALE in stale.text
    assert stale.headers["HX-Trigger"] == "live-reload"
    assert line(hall["item_id"]) == [c, a, b]


def test_chair_reorders_the_line(app, hall, chair):
    a, b, c = staff_ask(hall, 0), staff_ask(hall, 1), staff_ask(hall, 2)
    seen = chair.seen()["line"]
    response = chair.post(f"/items/{hall['item_id']}/reorder", order=[str(b), str(c), str(a)], line=seen)
    assert response.status_code == 200 and line(hall["item_id"]) == [b, c, a]
    # An order missing someone who is waiting is refused.
    response = chair.post(f"/items/{hall['item_id']}/reorder", order=[str(a), str(b)], line=[str(b), str(c), str(a)])
    assert response.status_code == 409 and line(hall["item_id"]) == [b, c, a]


@pytest.mark.parametrize("minutes", ["0", "61", "mười", ""])
def test_bad_minutes_are_refused(app, hall, chair, minutes):
    a = staff_ask(hall, 0)
    item_before = fresh(AgendaItem, hall["item_id"]).speaker_limit_seconds
    response = chair.post(f"/items/{hall['item_id']}/limit", minutes=minutes)
    assert response.status_code == 400 and LIMIT_MESSAGE in response.text
    assert fresh(AgendaItem, hall["item_id"]).speaker_limit_seconds == item_before
    response = chair.post(f"/{a}/limit", minutes=minutes)
    assert response.status_code == 400 and LIMIT_MESSAGE in response.text
    assert fresh(SpeakerRequest, a).time_limit_seconds == item_before


def test_chair_sets_the_item_and_speaker_limits(app, hall, chair):
    a, b = staff_ask(hall, 0), staff_ask(hall, 1)
    default = fresh(AgendaItem, hall["item_id"]).speaker_limit_seconds // 60
    listed = chair.get("/queue").text
    assert f'hx-vals=\'{{"seen_minutes": {default}}}\'' in listed  # each dropdown names what it shows
    response = chair.post(f"/{b}/limit", minutes="7", seen_minutes=str(default))
    assert response.status_code == 200 and fresh(SpeakerRequest, b).time_limit_seconds == 7 * 60
    # Another screen, still showing the old limit, picks 8 minutes: refused, its queue reloads.
    response = chair.post(f"/{b}/limit", minutes="8", seen_minutes=str(default))
    assert response.status_code == 409 and response.headers["HX-Trigger"] == "live-reload"
    assert fresh(SpeakerRequest, b).time_limit_seconds == 7 * 60
    assert chair.post(f"/{b}/limit", minutes="7", seen_minutes=str(default)).status_code == 200  # the same choice
    response = chair.post(f"/items/{hall['item_id']}/limit", minutes="3", seen_minutes="9")  # behind too
    assert response.status_code == 409
    assert fresh(AgendaItem, hall["item_id"]).speaker_limit_seconds == default * 60
    response = chair.post(f"/items/{hall['item_id']}/limit", minutes="3", seen_minutes=str(default))
    assert response.status_code == 200
    assert fresh(AgendaItem, hall["item_id"]).speaker_limit_seconds == 3 * 60
    assert '<option value="3" selected>3 phút</option>' in response.text
    # Those on the old default follow the item; a limit set for one speaker stays.
    assert fresh(SpeakerRequest, a).time_limit_seconds == 3 * 60
    assert fresh(SpeakerRequest, b).time_limit_seconds == 7 * 60
    # A delegate asking now gets the new default.
    c = staff_ask(hall, 2)
    assert fresh(SpeakerRequest, c).time_limit_seconds == 3 * 60


# --------------------------------------------------------------------------- the secretary and the door

def test_secretary_adds_an_answer_to_the_front(app, hall, secretary):
    a = staff_ask(hall, 0)
    ban = hall["present"][3]
    response = secretary.post("/add", queue_item=str(hall["item_id"]), invitee_id=str(ban.id), kind="answer", front="1", topic="Trả lời về kinh phí")
    assert response.status_code == 200, response.text[:300]
    [added] = requests_of(hall["item_id"], ban.id)
    assert line(hall["item_id"]) == [added.id, a]
    assert added.kind == SpeakerKind.ANSWER and added.source.value == "staff" and added.topic == "Trả lời về kinh phí"
    assert re.search(r'<section id="speaker-queue"[^>]*hx-swap-oob="true"', response.text)
    assert "Trả lời kiến nghị" in response.text and "thư ký thêm" in response.text
    # Added twice: refused with the name.
    again = secretary.post("/add", queue_item=str(hall["item_id"]), invitee_id=str(ban.id), kind="remark")
    assert again.status_code == 409 and f"{ban.full_name} đã có tên trong danh sách phát biểu." in again.text
    # Someone not checked in cannot be added either.
    absent = secretary.post("/add", queue_item=str(hall["item_id"]), invitee_id=str(hall["absent"].id))
    assert absent.status_code == 409 and "Chỉ đại biểu đã điểm danh mới đăng ký phát biểu được." in absent.text
    assert len(requests_of(hall["item_id"])) == 2


def test_after_the_end_the_list_says_so_and_offers_nothing(app, hall, chair):
    flow.end_meeting(hall["meeting_id"], fresh(Meeting, hall["meeting_id"]).version, "test")
    html = chair.get("/queue").text
    assert re.search(r'<section id="speaker-queue"[^>]*class="sq is-ended"', html)
    assert "Hội nghị đã kết thúc lúc" in html and "Mục đang diễn ra" not in html
    assert "Mở đăng ký trước" not in html and "sq-next" not in html


def test_before_the_start_the_list_offers_to_open_ahead(app, demo_meeting):
    html = Staff(app, "chutri_truoc", Role.CHAIR, demo_meeting.id, "/meetings/{id}/speakers").get("/queue").text
    assert "Hội nghị chưa bắt đầu" in html and "Mục đang diễn ra" not in html
    assert "Mở đăng ký trước" in html


def test_secretary_may_not_chair(app, hall, secretary):
    a, b = staff_ask(hall, 0), staff_ask(hall, 1)
    speakers.give_floor(hall["meeting_id"], a, "", actor="test")
    seen = [str(b)]
    item = hall["item_id"]
    refused = [secretary.post(f"/{b}/floor", current=str(a)), secretary.post(f"/{a}/pause"),
               secretary.post(f"/{a}/end"), secretary.post(f"/{b}/move", offset="-1", line=seen),
               secretary.post(f"/items/{item}/reorder", order=seen, line=seen),
               secretary.post(f"/items/{item}/limit", minutes="3"), secretary.post(f"/{b}/limit", minutes="3"),
               secretary.post(f"/items/{item}/close")]
    for response in refused:
        assert response.status_code == 403 and FORBIDDEN in response.text
    assert fresh(SpeakerRequest, a).speaking and fresh(SpeakerRequest, a).paused_at is None
    assert fresh(SpeakerRequest, b).waiting and fresh(SpeakerRequest, b).time_limit_seconds == 300
    assert speaker_queue.is_open(fresh(AgendaItem, item))
    # The list itself is the secretary's: the page, the chair-only buttons hidden, withdraw allowed.
    page = secretary.http.get(f"/meetings/{hall['meeting_id']}/speakers")
    assert page.status_code == 200 and "no-chair" in page.text
    assert secretary.post(f"/{b}/withdraw").status_code == 200
    assert fresh(SpeakerRequest, b).withdrawn_at is not None


def test_door_may_not_touch_the_queue(app, hall, door):
    a = staff_ask(hall, 0)
    item = hall["item_id"]
    present = hall["present"][1]
    for path in ("", "/queue", "/fairness", "/people"):
        response = door.get(path)
        assert response.status_code == 403, path
    for path, data in (("/add", {"invitee_id": str(present.id)}), (f"/{a}/floor", {"current": ""}),
                       (f"/{a}/withdraw", {}), (f"/{a}/move", {"offset": "1", "line": [str(a)]}),
                       (f"/items/{item}/reorder", {"order": [str(a)], "line": [str(a)]}),
                       (f"/items/{item}/limit", {"minutes": "3"}), (f"/{a}/limit", {"minutes": "3"}),
                       (f"/items/{item}/close", {}), (f"/{a}/pause", {}), (f"/{a}/end", {})):
        response = door.post(path, **data)
        assert response.status_code == 403 and FORBIDDEN in response.text, path
    assert [r.id for r in requests_of(item)] == [a] and fresh(SpeakerRequest, a).waiting


def test_people_search_lists_only_those_present(app, hall, secretary):
    present, absent = hall["present"], hall["absent"]
    everyone = secretary.get("/people", q="").text
    assert everyone.count('name="invitee_id"') == len(present)
    for person in present:
        assert person.full_name in everyone
    assert absent.full_name not in everyone

    # Typed without diacritics, the present delegate is found.
    html = secretary.get("/people", q=ascii_fold(present[0].full_name)).text
    assert present[0].full_name in html and f'value="{present[0].id}"' in html
    # The absent one is not offered, until checked in.
    query = ascii_fold(absent.full_name)
    html = secretary.get("/people", q=query).text
    assert f'value="{absent.id}"' not in html and "Không có ai có mặt khớp với" in html
    checkin.check_in_by_id(fresh(Meeting, hall["meeting_id"]), absent.id, actor="test")
    assert f'value="{absent.id}"' in secretary.get("/people", q=query).text
    # A check-in undone takes the person off again.
    checkin.undo_check_in(fresh(Meeting, hall["meeting_id"]), present[0].id, "Nhầm người", actor="test")
    assert f'value="{present[0].id}"' not in secretary.get("/people", q=ascii_fold(present[0].full_name)).text


# --------------------------------------------------------------------------- live updates

@pytest.fixture()
def screens(app, hall, chair):
    """The projector, a staff tablet and two phones (one in line later, one never), connected."""
    projector = connect(app, {"meeting": hall["meeting_id"], "key": hall["key"], "locale": "vi"})
    staff = connect(app, {"meeting": hall["meeting_id"], "locale": "vi"}, chair.http)
    phones = [Phone(app, hall["present"][n]) for n in range(3)]
    sockets = [p.socket(app) for p in phones]
    clients = [projector, staff, *sockets]
    assert all(c.is_connected() for c in clients)
    for c in clients:
        c.get_received()
    yield {"projector": projector, "staff": staff, "phones": phones, "sockets": sockets}
    for c in clients:
        c.disconnect()


def test_a_phones_ask_reaches_the_projector_the_phones_and_the_staff(app, hall, screens):
    phone = screens["phones"][0]
    assert phone.ask().status_code == 200
    public, _ = received(screens["projector"])
    assert set(PUBLIC) <= set(public) and "#speaker-queue" not in public
    assert phone.name in public["#display-speaker"] and phone.name in public["#pass-queue"]
    assert "Mời đại biểu đăng ký phát biểu" in public["#display-speaker"]
    assert "Đã đăng ký: 1" in public["#display-speaker"]
    for html in public.values():
        assert_public(html, hall)
    # Every phone gets the same public regions; none gets the staff list.
    other, _ = received(screens["sockets"][2])
    assert {t: other[t] for t in PUBLIC} == {t: public[t] for t in PUBLIC} and "#speaker-queue" not in other
    staff, _ = received(screens["staff"])
    assert phone.name in staff["#speaker-queue"] and "đăng ký qua điện thoại" in staff["#speaker-queue"]
    assert 'id="speaker-fairness"' in staff["#speaker-fairness"]


def test_a_phone_is_told_when_its_place_changes(app, hall, chair, screens):
    first, second, _ = screens["phones"]
    s_first, s_second, s_bystander = screens["sockets"]
    assert first.ask().status_code == 200
    _, refreshes = received(s_first)
    assert ["#pass-speak"] in refreshes  # its own part, after its own ask
    assert second.ask().status_code == 200
    _, refreshes = received(s_second)
    assert ["#pass-speak"] in refreshes
    assert f"{second.honorific} đứng thứ 2" in second.part("speak").text
    for c in screens["sockets"]:
        c.get_received()

    a = requests_of(hall["item_id"], first.invitee_id)[0].id
    assert chair.post(f"/{a}/floor", current="").status_code == 200
    # The one who moved up and the one now speaking are told to reload their part...
    for sock in (s_second, s_first):
        swaps, refreshes = received(sock)
        assert refreshes == [["#pass-speak"]]
        assert set(PUBLIC) <= set(swaps)
    # ...and a phone with no place in the line is not.
    swaps, refreshes = received(s_bystander)
    assert refreshes == [] and set(PUBLIC) <= set(swaps)
    assert f"{second.honorific} sắp đến lượt phát biểu" in second.part("speak").text
    speaking = first.part("speak").text
    assert "is-speaking" in speaking and "Thời gian còn lại" in speaking and "data-countdown-to" in speaking


def test_floor_and_withdraw_reach_the_projector(app, hall, chair, screens):
    first, second, _ = screens["phones"]
    assert first.ask().status_code == 200 and second.ask().status_code == 200
    a = requests_of(hall["item_id"], first.invitee_id)[0].id
    b = requests_of(hall["item_id"], second.invitee_id)[0].id
    screens["projector"].get_received()

    assert chair.post(f"/{a}/floor", current="").status_code == 200
    public, _ = received(screens["projector"])
    speaker = public["#display-speaker"]
    now_part = speaker.split('class="ds-next"')[0]
    assert "Đang phát biểu" in now_part and first.name in now_part
    assert re.search(r'data-countdown-to="\d+"', now_part)
    assert second.name in speaker.split('class="ds-next"')[1]  # next in line
    assert f'data-request="{a}"' in public["#pass-now"] and "data-countdown-to" in public["#pass-now"]
    for html in public.values():
        assert_public(html, hall)

    assert second.withdraw(b).status_code == 200
    public, _ = received(screens["projector"])
    assert second.name not in public["#display-speaker"] and second.name not in public["#pass-queue"]
    assert first.name in public["#pass-now"]  # still speaking
    assert first.name in public["#display-speaker"]  # still speaking
    staff, _ = received(screens["staff"])
    assert second.name not in staff["#speaker-queue"].split("sq-done")[0]


def test_opening_or_closing_the_queue_tells_every_phone(app, hall, chair, screens):
    response = chair.post(f"/items/{hall['item_id']}/close")
    assert response.status_code == 200 and "Mở lại đăng ký" in response.text
    for sock in screens["sockets"]:
        _, refreshes = received(sock)
        assert ["#pass-speak"] in refreshes
    assert "is-closed" in screens["phones"][2].part("speak").text
    assert chair.post(f"/items/{hall['item_id']}/open").status_code == 200
    for sock in screens["sockets"]:
        _, refreshes = received(sock)
        assert ["#pass-speak"] in refreshes
    assert "is-can_ask" in screens["phones"][2].part("speak").text


def test_the_projector_part_over_http(app, hall):
    staff_ask(hall, 0)
    response = app.test_client().get(f"/display/{hall['key']}?part=speaker", headers=HX)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'id="display-speaker"' in response.text and hall["present"][0].full_name in response.text
    assert_public(response.text, hall)


# --------------------------------------------------------------------------- English

def test_the_phone_in_english(app, hall, chair):
    phone = Phone(app, hall["present"][0])
    phone.http.get("/lang/en")
    html = phone.part("speak").text
    assert "Ask to speak" in html and "Đăng ký phát biểu" not in html
    response = phone.ask()
    assert response.status_code == 200 and "Your turn to speak is next" in response.text
    assert "You are number 1 in the speaker list. Please get ready." in response.text
    again = phone.ask(str(hall["item_id"]))
    assert again.status_code == 409 and f"{phone.name} is already on the speakers' list." in again.text
    second = Phone(app, hall["present"][1])
    second.http.get("/lang/en")
    assert "You are number 2" in second.ask().text
    absent = Phone(app, hall["absent"])
    absent.http.get("/lang/en")
    assert "Please check in at the hall before asking to speak." in absent.part("speak").text
    # The live regions are pushed in each screen's language.
    en = connect(app, {"meeting": hall["meeting_id"], "pass": phone.token, "locale": "en"})
    vi = connect(app, {"meeting": hall["meeting_id"], "pass": second.token, "locale": "vi"})
    en.get_received(), vi.get_received()
    a = requests_of(hall["item_id"], phone.invitee_id)[0].id
    assert chair.post(f"/{a}/floor", current="").status_code == 200
    en_swaps, _ = received(en)
    vi_swaps, _ = received(vi)
    assert "Speaking" in en_swaps["#display-speaker"] and "Đang phát biểu" not in en_swaps["#display-speaker"]
    assert "Đang phát biểu" in vi_swaps["#display-speaker"]
    en.disconnect(), vi.disconnect()


def test_a_check_in_at_the_door_lets_the_phone_ask_at_once(app, hall):
    """The phone of someone not yet here says "check in first"; the door checks them in and the
    phone is told to reload its part, which now offers to ask."""
    phone = Phone(app, hall["absent"])
    sock = phone.socket(app)
    sock.get_received()
    assert "is-absent" in phone.part("speak").text
    checkin.check_in_by_id(fresh(Meeting, hall["meeting_id"]), phone.invitee_id, actor="test")
    _, refreshes = received(sock)
    assert any("#pass-speak" in targets for targets in refreshes)
    assert "is-can_ask" in phone.part("speak").text
    sock.disconnect()


def test_an_add_from_a_screen_that_showed_another_list_is_refused(app, hall, secretary):
    """The add form names the list the screen showed; once the meeting has moved to another
    list, the add is refused as stale and nobody is added anywhere."""
    m = fresh(Meeting, hall["meeting_id"])
    remarks = next(i for i in m.items if i.kind.value == "remarks")
    speakers.open_queue(m.id, remarks.id, actor="test")  # opened ahead
    flow.next_item(m.id, fresh(Meeting, m.id).version, "test")  # item 4 -> the break: item 6's list shows now
    person = hall["present"][0]
    response = secretary.post("/add", queue_item=str(hall["item_id"]), invitee_id=str(person.id))
    assert response.status_code == 409 and response.headers.get("HX-Trigger") == "live-reload"
    assert "Danh sách phát biểu vừa thay đổi" in response.text
    assert requests_of(remarks.id, person.id) == [] and requests_of(hall["item_id"], person.id) == []
    assert secretary.post("/add", queue_item=str(remarks.id), invitee_id=str(person.id)).status_code == 200
    assert len(requests_of(remarks.id, person.id)) == 1


def test_an_undone_check_in_tells_every_phone_in_the_line(app, hall, screens):
    first, second, third = screens["phones"]
    for phone in (first, second, third):
        assert phone.ask().status_code == 200
    for c in screens["sockets"]:
        c.get_received()
    checkin.undo_check_in(fresh(Meeting, hall["meeting_id"]), first.invitee_id, "Nhầm người", actor="test")
    for sock in screens["sockets"][1:]:
        _, refreshes = received(sock)
        assert any("#pass-speak" in targets for targets in refreshes)
    assert f"{second.honorific} sắp đến lượt" in second.part("speak").text
    assert f"{third.honorific} đứng thứ 2" in third.part("speak").text


def _part_all_statements(app, token: str) -> list[str]:
    """The SQL statements of one `?part=all` (what every phone asks on each reconnect), from a
    session that has nothing loaded."""
    from sqlalchemy import event

    db.session.remove()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        answer = app.test_client().get(f"/d/{token}?part=all")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert answer.status_code == 200
    return statements


def test_a_phone_reloading_its_regions_reads_each_row_once_however_long_the_line(app, demo_meeting):
    """After a restart every phone asks ?part=all at once: the holder's check-in, who has the floor
    and the line are read once for all the regions that show them, the line with its people."""
    people = commune_delegates(demo_meeting, 6)
    item = open_discussion(demo_meeting, people)
    meeting_id, item_id, ids = demo_meeting.id, item.id, [p.id for p in people]
    for person_id in ids[:3]:
        speakers.ask(meeting_id, item_id, person_id)
    first = speaker_queue.waiting(fresh(AgendaItem, item_id))[0]
    speakers.give_floor(meeting_id, first.id, "", actor="test")
    holder = fresh(Invitee, ids[1]).active_token.token  # waiting, first in line
    short = _part_all_statements(app, holder)
    for person_id in ids[3:]:
        speakers.ask(meeting_id, item_id, person_id)
    long = _part_all_statements(app, holder)
    assert len(long) == len(short), long
    # the pass with its holder, the meeting, its items, the check-in, who speaks, the line, kiến nghị,
    # the published documents
    assert len(short) <= 8, short
