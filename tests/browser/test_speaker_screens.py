"""The speaker queue in Chromium: delegates ask from their phones, the chair orders the line and
gives the floor on the tablet, the projector shows the speaker and the time left, the secretary
adds a raised hand. Every other screen follows without reloading. Screenshots in
test-artifacts/screenshots/speakers-*-<backend>.png."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from meetingday.extensions import db
from meetingday.models import Meeting, Role, SpeakerRequest
from meetingday.services import flow, speaker_queue, speakers
from meetingday.timeutil import utcnow
from tests.browser.fixtures import (
    PHONE,
    PROJECTOR,
    SMALL_PROJECTOR,
    TABLET,
    assert_inside,
    assert_no_reload,
    assert_no_scrollbars,
    connected,
    login,
    settle,
    tap,
    wait_for,
)
from tests.conftest import PG_URL, fresh, make_user
from tests.serverproc import CHAIR as DEMO_CHAIR
from tests.serverproc import CHAIR_PASSWORD as DEMO_CHAIR_PASSWORD
from tests.serverproc import Server, clean_env
from tests.speakerhall import commune_delegates, open_discussion

CHAIR, SECRETARY = "chutri_pb", "thuky_pb"
RED = "rgb(215, 38, 61)"  # .ds-clock.timer-over in display.css
NEXT = re.compile(r"^(Ông|Bà|Ông/Bà) sắp đến lượt phát biểu$")  # the pass addresses its holder


def place(n: int) -> re.Pattern:
    return re.compile(rf"^(Ông|Bà|Ông/Bà) đứng thứ {n} trong danh sách phát biểu$")


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting under way at its discussion item with the queue open; six delegates
    from six different xã/phường checked in."""
    make_user(CHAIR, Role.CHAIR)
    make_user(SECRETARY, Role.SECRETARY)
    m = demo_meeting
    chosen = commune_delegates(m, 6)
    discussion = open_discussion(m, chosen)
    return {"meeting": fresh(Meeting, m.id), "item_id": discussion.id, "people": chosen,
            "names": [p.full_name for p in chosen], "tokens": [p.active_token.token for p in chosen]}


def ask(hall, n: int, **kw):
    return speakers.ask(hall["meeting"].id, hall["item_id"], hall["people"][n].id, **kw)












def open_chair(new_page, meeting_id: int):
    chair = new_page(TABLET, has_touch=True)
    chair.on("dialog", lambda d: d.accept())
    login(chair, CHAIR)
    chair.goto(f"/meetings/{meeting_id}/chair")
    connected(chair)
    return chair


def open_projector(new_page, key: str, size=PROJECTOR):
    projector = new_page(size)
    projector.goto(f"/display/{key}")
    connected(projector)
    return projector


def open_phone(new_page, token: str):
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{token}")
    connected(phone)
    return phone


def chair_line(chair):
    return chair.locator("#speaker-queue .sq-line .sq-row-name")


def expect_order(locator, names: list[str]) -> None:
    expect(locator).to_have_count(len(names))
    expect(locator).to_contain_text(names)


def test_three_phones_ask_the_chair_orders_and_gives_the_floor(new_page, hall, shot):
    m, names = hall["meeting"], hall["names"]
    chair = open_chair(new_page, m.id)
    projector = open_projector(new_page, m.display_key)
    phones = [open_phone(new_page, hall["tokens"][n]) for n in range(3)]

    expect(chair.locator("#speaker-queue .sq-empty")).to_have_text("Chưa có ai đăng ký phát biểu.")
    expect(projector.locator("#display-speaker")).to_be_hidden()  # nobody in the line yet
    for phone in phones:
        expect(phone.locator("#pass-speak .ps-ask")).to_have_text("Đăng ký phát biểu")
        expect(phone.locator("#pass-queue")).not_to_have_class(re.compile(r"\bis-shown\b"))

    # each phone asks; the first writes what it is about
    phones[0].locator("#pass-speak .ps-more summary").click()
    phones[0].locator("#pass-speak input[name=topic]").fill("Kinh phí sửa chữa đường giao thông nông thôn")
    for n, phone in enumerate(phones):
        tap(phone, phone.locator("#pass-speak .ps-ask"))
        expect_order(chair_line(chair), names[:n + 1])
    expect(phones[0].locator("#pass-speak .ps-status")).to_have_text(NEXT)
    expect(phones[0].locator("#pass-speak .ps-topic")).to_have_text(
        "Nội dung phát biểu: Kinh phí sửa chữa đường giao thông nông thôn")
    expect(phones[1].locator("#pass-speak .ps-status")).to_have_text(place(2))
    expect(phones[2].locator("#pass-speak .ps-status")).to_have_text(place(3))
    expect(phones[2].locator("#pass-speak")).to_contain_text("Còn 2 người phát biểu trước.")
    expect(chair.locator("#speaker-queue .sq-row-topic")).to_have_text(
        "Kinh phí sửa chữa đường giao thông nông thôn")
    expect(chair.locator("#speaker-queue .sq-next small")).to_contain_text(names[0])
    for phone in phones:  # the shared line on every phone, the holder's own row marked
        expect_order(phone.locator("#pass-queue .pq-line li"), names[:3])
    for n, phone in enumerate(phones):
        expect(phone.locator("#pass-queue .pq-line li.is-mine")).to_contain_text(names[n])
        expect(phone.locator("#pass-queue .pq-line li.is-mine")).to_have_count(1)
    expect(projector.locator("#display-speaker .ds-kicker")).to_have_text("Mời đại biểu đăng ký phát biểu")
    expect(projector.locator("#display-speaker .ds-where")).to_have_text("Đã đăng ký: 3")

    # the chair moves the third up one place
    tap(chair, chair.locator("#speaker-queue .sq-row").nth(2).locator(".sq-up"))
    order = [names[0], names[2], names[1]]
    expect_order(chair_line(chair), order)
    for phone in phones:
        expect_order(phone.locator("#pass-queue .pq-line li"), order)
    expect(phones[2].locator("#pass-speak .ps-status")).to_have_text(place(2))
    expect(phones[1].locator("#pass-speak .ps-status")).to_have_text(place(3))

    # the big button gives the floor to the first in line
    tap(chair, chair.locator("#speaker-queue .sq-next"))
    expect(chair.locator("#speaker-queue .sq-current .sq-name")).to_contain_text(names[0])
    expect(chair.locator("#speaker-queue .sq-current .sq-clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect_order(chair_line(chair), order[1:])
    expect(chair.locator("#speaker-queue .sq-next small")).to_contain_text(names[2])
    expect(projector.locator("#display-speaker .ds-kicker")).to_have_text("Đang phát biểu")
    expect(projector.locator("#display-speaker .ds-name")).to_contain_text(names[0])
    expect(projector.locator("#display-speaker .ds-topic")).to_have_text(
        "Kinh phí sửa chữa đường giao thông nông thôn")
    expect(projector.locator("#display-speaker .ds-clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(projector.locator("#display-speaker .ds-clock")).not_to_have_class(re.compile(r"timer-(warn|over)"))
    expect_order(projector.locator("#display-speaker .ds-next-name"), order[1:])
    expect(phones[0].locator("#pass-speak .ps-status")).to_have_text("Đang phát biểu")
    expect(phones[0].locator("#pass-speak .ps-clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(phones[2].locator("#pass-speak .ps-status")).to_have_text(NEXT)
    expect(phones[1].locator("#pass-speak .ps-status")).to_have_text(place(2))
    for phone in phones:
        expect(phone.locator("#pass-now .pn-speaker")).to_contain_text(names[0])
        expect_order(phone.locator("#pass-queue .pq-line li"), order[1:])
    # On the tablet (1280×800), unscrolled: the item's buttons, the speaker, "Mời phát biểu tiếp"
    # and the first of those waiting are all in view.
    chair.evaluate("window.scrollTo(0, 0)")
    for visible in (".chair-next", ".chair-end", "#speaker-queue .sq-current", "#speaker-queue .sq-next",
                    "#speaker-queue .sq-row >> nth=0"):
        box = chair.locator(visible).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= TABLET["height"], (visible, box)
    shot(chair, "speakers-chair-tablet", full_page=False)
    chair.locator("#speaker-queue").scroll_into_view_if_needed()
    shot(chair, "speakers-chair", full_page=False)
    shot(chair.locator("#speaker-queue"), "speakers-chair-queue")
    shot(projector, "speakers-projector", full_page=False)
    for phone, name in ((phones[0], "speakers-phone-speaking"), (phones[2], "speakers-phone")):
        phone.locator("#pass-speak").scroll_into_view_if_needed()
        shot(phone, name, full_page=False)
    widths = phones[2].evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the pass is {widths[0]}px wide on a {widths[1]}px phone"

    # a speaker with three (and more) next still fits the projector, large and small
    ask(hall, 3)
    ask(hall, 4)
    expect(projector.locator("#display-speaker .ds-next-name")).to_have_count(3)
    expect(projector.locator("#display-speaker .ds-more")).to_have_text("và 1 người nữa")
    for size in (PROJECTOR, SMALL_PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        assert_no_scrollbars(projector)
        for selector in ("#display-main h1", ".display-timer", ".display-clock", "#display-attendance",
                         "#display-speaker .ds-name", "#display-speaker .ds-clock", "#display-speaker .ds-next li",
                         "#display-speaker .ds-more"):
            assert_inside(projector, selector)
        for name in projector.locator("#display-speaker .ds-next-name").all():  # names never cut off
            assert name.evaluate("el => el.getBoundingClientRect().right <= el.parentElement.getBoundingClientRect().right")
        shot(projector, f"speakers-projector-full-{size['height']}", full_page=False)

    for p in (chair, projector, *phones):
        assert_no_reload(p)


def test_the_countdown_turns_amber_in_the_last_minute_and_red_past_the_limit(new_page, hall, shot):
    m = hall["meeting"]
    first, second = ask(hall, 0, topic="Ô nhiễm môi trường tại cụm công nghiệp"), ask(hall, 1)
    ask(hall, 2)
    speakers.set_time_limit(m.id, first.id, 1, actor="test")
    # the first speaker was given the floor 70 s ago with one minute: 10 s over
    speakers.give_floor(m.id, first.id, "", actor="test", now=utcnow() - timedelta(seconds=70))
    projector = open_projector(new_page, m.display_key)
    chair = open_chair(new_page, m.id)
    phone = open_phone(new_page, hall["tokens"][0])

    clock = projector.locator("#display-speaker .ds-clock")
    expect(clock).to_have_class(re.compile(r"\btimer-over\b"))
    expect(clock).not_to_have_class(re.compile(r"\btimer-warn\b"))
    expect(clock).to_have_text(re.compile(r"^\+0:\d\d$"))
    assert clock.evaluate("el => getComputedStyle(el).backgroundColor") == RED
    expect(chair.locator("#speaker-queue .sq-clock")).to_have_class(re.compile(r"\btimer-over\b"))
    expect(chair.locator("#speaker-queue .sq-clock")).to_have_text(re.compile(r"^\+0:\d\d$"))
    expect(chair.locator("#speaker-queue .sq-limit-of")).to_have_text("/ 1:00")
    expect(phone.locator("#pass-speak .ps-clock")).to_have_class(re.compile(r"\btimer-over\b"))
    assert_no_scrollbars(projector)
    assert_inside(projector, "#display-speaker .ds-clock")
    shot(projector, "speakers-projector-over", full_page=False)
    shot(chair.locator("#speaker-queue"), "speakers-chair-over")

    # the next one has one minute and started 20 s ago: amber, counting down
    speakers.set_time_limit(m.id, second.id, 1, actor="test")
    speakers.give_floor(m.id, second.id, first.id, actor="test", now=utcnow() - timedelta(seconds=20))
    expect(projector.locator("#display-speaker .ds-name")).to_contain_text(hall["names"][1])
    expect(clock).to_have_class(re.compile(r"\btimer-warn\b"))
    expect(clock).not_to_have_class(re.compile(r"\btimer-over\b"))
    expect(clock).to_have_text(re.compile(r"^0:[0-4]\d$"))
    expect(chair.locator("#speaker-queue .sq-clock")).to_have_class(re.compile(r"\btimer-warn\b"))
    expect(phone.locator("#pass-speak .ps-status")).not_to_be_attached()  # spoken: may ask again
    expect(phone.locator("#pass-speak .ps-ask")).to_be_visible()
    expect(phone.locator("#pass-speak")).to_contain_text("Đã phát biểu ở mục này lúc")
    shot(projector, "speakers-projector-warn", full_page=False)
    for p in (chair, projector, phone):
        assert_no_reload(p)


def test_a_withdrawn_request_disappears_from_every_screen(new_page, hall, shot):
    m, names = hall["meeting"], hall["names"]
    requests = [ask(hall, n) for n in range(4)]
    speakers.give_floor(m.id, requests[0].id, "", actor="test")
    chair = open_chair(new_page, m.id)
    projector = open_projector(new_page, m.display_key)
    phones = {n: open_phone(new_page, hall["tokens"][n]) for n in (1, 2, 3)}
    expect_order(chair_line(chair), names[1:4])
    expect_order(projector.locator("#display-speaker .ds-next-name"), names[1:4])
    expect(phones[3].locator("#pass-speak .ps-status")).to_have_text(place(3))

    dialogs = []
    phones[2].on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    tap(phones[2], phones[2].locator("#pass-speak .ps-withdraw"))
    assert dialogs == ["Rút đăng ký phát biểu?"]

    remaining = [names[1], names[3]]
    expect(phones[2].locator("#pass-speak .ps-ask")).to_be_visible()  # may ask again
    expect(phones[2].locator("#pass-queue .pq-line li.is-mine")).to_have_count(0)
    expect_order(chair_line(chair), remaining)
    expect(chair.locator("#speaker-queue .sq-line")).not_to_contain_text(names[2])
    expect(chair.locator("#speaker-queue .sq-subhead")).to_have_text("Đang chờ (2)")
    expect_order(projector.locator("#display-speaker .ds-next-name"), remaining)
    expect(projector.locator("#display-speaker")).not_to_contain_text(names[2])
    for phone in phones.values():
        expect_order(phone.locator("#pass-queue .pq-line li"), remaining)
        expect(phone.locator("#pass-queue")).not_to_contain_text(names[2])
    expect(phones[3].locator("#pass-speak .ps-status")).to_have_text(place(2))
    expect(phones[1].locator("#pass-speak .ps-status")).to_have_text(NEXT)
    phones[2].locator("#pass-speak").scroll_into_view_if_needed()
    shot(phones[2], "speakers-phone-withdrawn", full_page=False)
    for p in (chair, projector, *phones.values()):
        assert_no_reload(p)


def test_the_secretary_adds_an_answer_at_the_front(new_page, hall, shot):
    m, names = hall["meeting"], hall["names"]
    ask(hall, 0)
    ask(hall, 1)
    chair = open_chair(new_page, m.id)
    desk = new_page()
    desk.on("dialog", lambda d: d.accept())
    login(desk, SECRETARY)
    desk.goto(f"/meetings/{m.id}/speakers")
    connected(desk)
    expect_order(chair_line(desk), names[:2])

    # the chair's buttons are not on the secretary's page; withdrawing is
    for selector in (".sq-next", ".sq-up", ".sq-down", ".sq-floor", ".sq-drag", ".sq-close", ".sq-limit"):
        elements = desk.locator(f"#speaker-queue {selector}")
        assert elements.count() > 0, f"{selector} is not in the queue at all"
        for element in elements.all():
            expect(element).to_be_hidden()
    expect(desk.locator("#speaker-queue .sq-withdraw").first).to_be_visible()
    expect(chair.locator("#speaker-queue .sq-next")).to_be_visible()  # while the chair has them
    expect(chair.locator("#speaker-queue .sq-up").last).to_be_visible()

    # search someone present, mark it an answer for the front of the line, add
    person = hall["people"][4]
    desk.locator(".sq-add input[name=q]").fill(person.full_name)
    found = desk.locator("#speaker-people li")
    expect(found).to_have_count(1)  # only the one searched for (not everyone present)
    expect(found).to_contain_text(person.full_name)
    desk.locator(".sq-kind label", has_text="Trả lời kiến nghị").click()
    desk.locator(".sq-front input").check()
    shot(desk, "speakers-secretary-add", full_page=False)
    tap(desk, found.locator("button", has_text="Thêm"))

    order = [person.full_name, *names[:2]]
    expect_order(chair_line(chair), order)
    expect(chair.locator("#speaker-queue .sq-row").first.locator(".badge-answer")).to_have_text("Trả lời kiến nghị")
    expect(chair.locator("#speaker-queue .sq-row").first).to_contain_text("thư ký thêm")
    expect(chair.locator("#speaker-queue .sq-next small")).to_contain_text(person.full_name)
    expect_order(chair_line(desk), order)
    # the form is ready for the next one
    expect(desk.locator("#speaker-people li")).to_have_count(0)
    expect(desk.locator(".sq-add input[name=q]")).to_have_value("")
    expect(desk.locator(".sq-front input")).not_to_be_checked()
    shot(chair.locator("#speaker-queue"), "speakers-chair-answer")
    shot(desk, "speakers-secretary", full_page=False)
    for p in (chair, desk):
        assert_no_reload(p)


# --------------------------------------------------------------------------- restart

# Run in a separate process against the served database: the demo meeting under way at its
# discussion item, four delegates in the line, the first speaking (7 minutes), the fourth moved
# up one place (order 2, 4, 3).
SETUP_QUEUE = """
import json
from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.extensions import db
from meetingday.models import ItemKind, Meeting, OrgKind
from meetingday.services import checkin, demo, flow, speakers
app = create_app()
with app.app_context():
    prepare_database()
    m = demo.load_demo()
    checkin.open_checkin(m, actor="test")
    people, units = [], set()
    for p in m.invitees:
        org = p.organisation
        if org is not None and org.kind in (OrgKind.WARD, OrgKind.COMMUNE) and org.id not in units and p.active_token:
            people.append(p)
            units.add(org.id)
    people = people[:4]
    for p in people:
        checkin.check_in_by_id(m, p.id, actor="test")
    item = next(i for i in m.items if i.kind == ItemKind.DISCUSSION)
    version = lambda: db.session.get(Meeting, m.id).version
    flow.start_meeting(m.id, version(), "test")
    db.session.expire_all()
    flow.jump_to(m.id, item.id, version(), "test")
    speakers.open_queue(m.id, item.id, actor="test")
    asks = [speakers.ask(m.id, item.id, p.id, topic=f"Nội dung {n + 1}") for n, p in enumerate(people)]
    ids = [a.id for a in asks]
    speakers.set_time_limit(m.id, ids[0], 7, actor="test")
    speakers.give_floor(m.id, ids[0], "", actor="test")
    speakers.move(m.id, ids[3], -1, ids[1:], actor="test")
    print(json.dumps({"meeting": m.id, "key": m.display_key, "names": [p.full_name for p in people],
                      "tokens": [p.active_token.token for p in people]}))
"""


@pytest.fixture()
def served(backend, tmp_path):
    """The environment of a separate `meetingday serve` on a database of its own (the backend's kind)."""
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'meeting.sqlite3'}"
    else:
        schema = f"meetingday_sq_restart_{os.getpid()}"
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    env = clean_env(tmp_path / "instance", DATABASE_URL=url, LIVE_PUSH_INTERVAL="0")
    r = subprocess.run([sys.executable, "-c", SETUP_QUEUE], env=env, capture_output=True, text=True,
                       timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    state = json.loads(r.stdout.strip().splitlines()[-1])
    yield env, state
    if schema is not None:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def queue_seen(chair, projector, phone) -> dict:
    """What the screens show of the queue, with the countdowns' ends."""
    return {
        "line": chair_line(chair).all_inner_texts(),
        "current": chair.locator("#speaker-queue .sq-current .sq-name").inner_text(),
        "deadline": chair.locator("#speaker-queue .sq-clock").get_attribute("data-countdown-to"),
        "limit": chair.locator("#speaker-queue .sq-limit-of").inner_text(),
        "projector_name": projector.locator("#display-speaker .ds-name").inner_text(),
        "projector_next": projector.locator("#display-speaker .ds-next-name").all_inner_texts(),
        "projector_deadline": projector.locator("#display-speaker .ds-clock").get_attribute("data-countdown-to"),
        "phone": phone.locator("#pass-speak .ps-status").inner_text(),
        "phone_line": phone.locator("#pass-queue .pq-line li").all_inner_texts(),
    }


@pytest.mark.both_databases
def test_after_a_server_restart_the_open_screens_show_the_same_queue(new_page, served, shot):
    env, state = served
    names = state["names"]
    server = Server(env).start()
    try:
        base = server.base
        chair = new_page(TABLET, has_touch=True)
        login(chair, DEMO_CHAIR, DEMO_CHAIR_PASSWORD, base)
        chair.goto(f"{base}/meetings/{state['meeting']}/chair")
        projector = new_page(PROJECTOR)
        projector.goto(f"{base}/display/{state['key']}")
        phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        phone.goto(f"{base}/d/{state['tokens'][1]}")
        screens = (chair, projector, phone)
        for p in screens:
            connected(p)
        before = queue_seen(chair, projector, phone)
        order = [names[1], names[3], names[2]]
        assert [re.sub(r"^\S+ ", "", n) for n in before["line"]] == order, before
        assert names[0] in before["current"] and names[0] in before["projector_name"]
        assert before["limit"] == "/ 7:00" and before["deadline"] == before["projector_deadline"]
        assert NEXT.match(before["phone"]), before["phone"]

        server.kill()  # kill -9 with a speaker at the lectern
        for p in screens:
            expect(p.locator("body")).to_have_class(re.compile(r"\bis-offline\b"))
        reloaded: list[str] = []
        for p in screens:
            p.on("requestfinished", lambda request: reloaded.append(request.url))
        server = Server(env, port=server.port).start()  # same address: the screens find it again

        for p in screens:
            expect(p.locator("body")).not_to_have_class(re.compile(r"\bis-offline\b"), timeout=30_000)
            connected_again(p)
        # What is shown now came from the new server: every queue region was fetched again (the
        # phone's all at once).
        for part in ("/speakers/queue", "?part=speaker", "?part=all"):
            assert any(url.endswith(part) for url in reloaded), (part, reloaded)
        assert queue_seen(chair, projector, phone) == before
        late = new_page(TABLET)
        login(late, DEMO_CHAIR, DEMO_CHAIR_PASSWORD, base)
        late.goto(f"{base}/meetings/{state['meeting']}/chair")
        connected_again(late)  # its regions reload once on connect: read them after that
        assert queue_seen(late, projector, phone) == before  # a page opened after the restart
        late.locator("#speaker-queue").scroll_into_view_if_needed()
        shot(late, "speakers-chair-after-restart", full_page=False)

        # the chair goes on where it stopped; the change reaches the other screens
        tap(chair, chair.locator("#speaker-queue .sq-next"))
        expect(projector.locator("#display-speaker .ds-name")).to_contain_text(names[1])
        expect(phone.locator("#pass-speak .ps-status")).to_have_text("Đang phát biểu")
        expect_order(late.locator("#speaker-queue .sq-line .sq-row-name"), order[1:])
        for p in screens:
            assert_no_reload(p)
    finally:
        server.stop()


def connected_again(page) -> None:
    """Connected to the restarted server, its regions reloaded over HTTP (the marker stays)."""
    wait_for(page, "window.meetingdayLive && window.meetingdayLive.socket.connected", timeout=30_000)
    settle(page)


def test_the_chair_is_warned_before_leaving_an_item_with_people_waiting(new_page, hall):
    m, names = hall["meeting"], hall["names"]
    ask(hall, 0), ask(hall, 1)
    chair = new_page(TABLET, has_touch=True)
    answers, asked = [False, True], []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if answers.pop(0) else dialog.dismiss()
    chair.on("dialog", answer)
    login(chair, CHAIR)
    chair.goto(f"/meetings/{m.id}/chair")
    connected(chair)
    expect_order(chair_line(chair), names[:2])
    tap(chair, chair.locator(".chair-next"))  # dismissed: the meeting stays on item 4
    assert asked == ["Còn 2 người đang chờ phát biểu ở mục này. Họ vẫn giữ chỗ nếu quay lại mục này."]
    expect(chair.locator(".chair-item-title")).to_have_text(re.compile("thảo luận"))
    tap(chair, chair.locator(".chair-next"))  # accepted: on to the break
    expect(chair.locator(".chair-kicker").first).to_contain_text("Giải lao")
    assert len(asked) == 2
    assert_no_reload(chair)


def test_the_chair_drags_a_speaker_to_a_new_place(new_page, hall):
    m, names = hall["meeting"], hall["names"]
    for n in range(3):
        ask(hall, n)
    chair = open_chair(new_page, m.id)
    phone = open_phone(new_page, hall["tokens"][2])
    expect_order(chair_line(chair), names[:3])
    rows = chair.locator("#speaker-queue .sq-line .sq-row")
    chair.locator("#speaker-queue .sq-line .sq-drag").nth(2).drag_to(rows.nth(0))
    settle(chair)
    expect_order(chair_line(chair), [names[2], names[0], names[1]])
    expect(phone.locator("#pass-speak .ps-status")).to_have_text(NEXT)
    db.session.expire_all()
    assert [r.invitee.full_name for r in speaker_queue.waiting(m.current_item)] == [names[2], names[0], names[1]]
    assert_no_reload(chair)
    assert_no_reload(phone)


def test_after_the_end_the_chair_is_offered_no_list_and_no_add_form(new_page, hall):
    m = hall["meeting"]
    chair = open_chair(new_page, m.id)
    expect(chair.locator(".chair-add")).to_be_visible()
    flow.end_meeting(m.id, fresh(Meeting, m.id).version, "test")
    expect(chair.locator("#speaker-queue")).to_contain_text("Hội nghị đã kết thúc lúc")  # pushed, no reload
    expect(chair.locator("#speaker-queue")).not_to_contain_text("Mục đang diễn ra")
    expect(chair.locator(".chair-add")).to_be_hidden()


def test_the_chair_changes_the_time_limits_from_the_dropdowns(new_page, hall):
    m = hall["meeting"]
    waiting = ask(hall, 0)
    speaking = ask(hall, 1)
    speakers.give_floor(m.id, speaking.id, "", actor="test")
    chair = open_chair(new_page, m.id)
    # The speaker's own limit, then the item's default (which those waiting on it follow).
    # Each choice waits for its answer, whose regions replace the dropdowns, before the next.
    own_url, item_url = f"/speakers/{speaking.id}/limit", f"/speakers/items/{hall['item_id']}/limit"
    with chair.expect_response(lambda r: r.url.endswith(own_url)) as answer:
        chair.locator("#speaker-queue .sq-current select[name=minutes]").select_option("7")
    assert answer.value.status == 200
    settle(chair)
    expect(chair.locator("#speaker-queue .sq-limit-of")).to_have_text("/ 7:00")
    with chair.expect_response(lambda r: r.url.endswith(item_url)) as answer:
        chair.get_by_label("Thời gian mỗi lượt phát biểu").select_option("3")
    assert answer.value.status == 200
    settle(chair)
    expect(chair.get_by_label("Thời gian mỗi lượt phát biểu")).to_have_value("3")
    db.session.expire_all()
    assert db.session.get(SpeakerRequest, speaking.id).time_limit_seconds == 7 * 60  # kept for them
    assert db.session.get(SpeakerRequest, waiting.id).time_limit_seconds == 3 * 60  # follows the default
    expect(chair.locator("#flash .flash-error")).to_have_count(0)
    assert_no_reload(chair)


def test_a_push_waits_while_the_chair_is_on_a_drop_down(new_page, hall):
    """A phone asks to speak while the chair has the time drop-down open: the queue is not
    redrawn under the open list (the choice would be lost); it moves once the chair is done."""
    m = hall["meeting"]
    speaking = ask(hall, 1)
    speakers.give_floor(m.id, speaking.id, "", actor="test")
    chair = open_chair(new_page, m.id)
    own = chair.locator("#speaker-queue .sq-current select[name=minutes]")
    own.focus()
    ask(hall, 2)  # pushed to every screen
    late = hall["names"][2]
    chair.wait_for_timeout(600)
    expect(chair.locator("#speaker-queue")).not_to_contain_text(late)  # held while the list is open
    url = f"/speakers/{speaking.id}/limit"
    with chair.expect_response(lambda r: r.url.endswith(url)) as answer:
        own.select_option("7")
    assert answer.value.status == 200
    expect(chair.locator("#speaker-queue .sq-limit-of")).to_have_text("/ 7:00")
    expect(chair_line(chair)).to_contain_text([late])  # the queue as it is now
    db.session.expire_all()
    assert db.session.get(SpeakerRequest, speaking.id).time_limit_seconds == 7 * 60

    # A drop-down merely left focused does not keep the queue from moving for long.
    chair.get_by_label("Thời gian mỗi lượt phát biểu").focus()
    ask(hall, 3)
    expect(chair_line(chair)).to_contain_text([late, hall["names"][3]], timeout=8000)
    assert_no_reload(chair)
