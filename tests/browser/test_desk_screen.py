"""The secretary's desk in Chromium: notes that save themselves, survive a dropped network and come
back after a reload; new remarks arriving while a note is being typed; following the chair; the
closing conclusion's tasks and publishing; finalizing. Screenshots in
test-artifacts/screenshots/desk-*-<backend>.png (1366×768)."""
from __future__ import annotations

import contextlib
import json
import re
from datetime import date

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import Meeting, Remark, Role
from meetingday.services import closing, flow, notes, speakers
from tests.browser.fixtures import assert_no_reload, connected, login, settle, wait_for
from tests.conftest import fresh, make_user
from tests.speakerhall import commune_delegates, open_discussion, to_last_item

YEAR = date.today().year + 1  # the meeting runs today: the tasks' deadlines come after it

SECRETARY = "thuky_ban"
DESK = {"width": 1366, "height": 768}
SMALL_LAPTOP = {"width": 1280, "height": 800}
SAVED = re.compile(r"^Đã lưu lúc \d\d:\d\d$")
KEPT = "Mất kết nối — đã giữ trên máy này, sẽ tự gửi lại"


def note_of(request_id: int) -> str | None:
    db.session.expire_all()
    remark = db.session.scalar(select(Remark).where(Remark.speaker_request_id == request_id))
    return remark.note if remark else None


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting at its discussion item (4): one delegate heard, a second speaking, two
    waiting."""
    make_user(SECRETARY, Role.SECRETARY)
    people = commune_delegates(demo_meeting, 4)
    item = open_discussion(demo_meeting, people)
    requests = [speakers.add_speaker(demo_meeting.id, item.id, p.id, actor="test",
                                     topic="Về tiến độ giải quyết kiến nghị cử tri" if n == 0 else "").id
                for n, p in enumerate(people)]
    speakers.give_floor(demo_meeting.id, requests[0], "", actor="test")
    speakers.give_floor(demo_meeting.id, requests[1], requests[0], actor="test")
    return {"id": demo_meeting.id, "item": item.id, "requests": requests, "people": people}


_open: list = []


@pytest.fixture(autouse=True)
def _quiet(new_page):
    """After each test, let the desks finish what they are sending before the pages close and the
    tables are emptied (a request still running then would hold locks the emptying waits for)."""
    yield
    for page in _open:
        if page.is_closed():
            continue
        # (A test that failed may leave a page that never settles: its own error says why.)
        with contextlib.suppress(PlaywrightError):
            wait_for(page, "!window.meetingdayDesk || !window.meetingdayDesk.busy()", timeout=10_000)
            settle(page)
            page.close()
    _open.clear()


def open_desk(new_page, meeting_id: int, size=DESK, query: str = ""):
    page = new_page(size)
    _open.append(page)
    page.on("dialog", lambda d: d.accept())
    login(page, SECRETARY)
    page.goto(f"/meetings/{meeting_id}/desk{query}")
    connected(page)
    return page


def status(page, key: str):
    return page.locator(f'.desk-box[data-box="{key}"] .desk-status')


def kept(page, meeting_id: int) -> dict:
    instance = page.locator("#desk").get_attribute("data-instance")
    prefix = f"meetingday:desk:{meeting_id}:{instance}:"
    raw = page.evaluate("(p) => Object.keys(localStorage).filter(k => k.startsWith(p))"
                        ".reduce((o, k) => (o[k.slice(p.length)] = localStorage.getItem(k), o), {})", prefix)
    return {k: json.loads(v) for k, v in raw.items()}


# --------------------------------------------------------------------------- notes save themselves

def test_a_note_typed_is_saved_by_itself(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard = hall["requests"][0]
    box = page.locator(f"#box-remark-{heard}")
    expect(page.locator("#desk-saving")).to_contain_text("Đã lưu tất cả")
    box.click()
    page.keyboard.type("Đề nghị thị xã hỗ trợ kinh phí")
    expect(status(page, f"remark-{heard}")).to_have_text(re.compile(r"^(Chưa lưu…|Đang lưu…|Đã lưu lúc .*)$"))
    expect(status(page, f"remark-{heard}")).to_have_text(SAVED)
    assert note_of(heard) == "Đề nghị thị xã hỗ trợ kinh phí"
    assert kept(page, hall["id"]) == {}  # confirmed: nothing kept any more
    expect(page.locator("#desk-saving")).to_contain_text("Đã lưu tất cả")
    # A second edit starts from the revision the first one got.
    page.keyboard.type(" hoạt động.")
    expect(status(page, f"remark-{heard}")).to_have_text(SAVED)
    wait_for(page, f"!window.meetingdayDesk.states['remark-{heard}'].inflight")
    assert note_of(heard) == "Đề nghị thị xã hỗ trợ kinh phí hoạt động."


def test_offline_the_texts_are_kept_and_arrive_when_the_network_is_back(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard, item = hall["requests"][0], hall["item"]
    page.context.set_offline(True)
    page.locator(f"#box-remark-{heard}").fill("Ghi lúc mất mạng")
    page.locator(f"#box-item-{item}").fill("Kết luận lúc mất mạng")
    expect(status(page, f"remark-{heard}")).to_have_text(KEPT)
    expect(status(page, f"item-{item}")).to_have_text(KEPT)
    expect(page.locator("#desk-saving")).to_contain_text("Còn 2 ô chưa lưu — mất kết nối")
    stored = kept(page, hall["id"])
    assert stored[f"remark-{heard}"]["text"] == "Ghi lúc mất mạng"
    assert stored[f"item-{item}"]["text"] == "Kết luận lúc mất mạng"
    assert note_of(heard) is None

    page.context.set_offline(False)
    expect(status(page, f"remark-{heard}")).to_have_text(SAVED, timeout=15_000)
    expect(status(page, f"item-{item}")).to_have_text(SAVED, timeout=15_000)
    assert note_of(heard) == "Ghi lúc mất mạng"
    meeting = fresh(Meeting, hall["id"])
    assert notes.item_conclusion(meeting, meeting.current_item).text == "Kết luận lúc mất mạng"
    assert kept(page, hall["id"]) == {}
    expect(page.locator("#desk-saving")).to_contain_text("Đã lưu tất cả")
    assert_no_reload(page)


def test_a_text_kept_on_the_laptop_is_put_back_and_sent_when_the_desk_opens_again(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard = hall["requests"][0]
    page.route("**/desk/remarks/**", lambda route: route.abort())  # the server cannot be reached
    page.locator(f"#box-remark-{heard}").fill("Giữ lại trên máy")
    expect(status(page, f"remark-{heard}")).to_have_text(KEPT)
    context = page.context
    page.close()  # the laptop's browser tab was closed
    assert note_of(heard) is None

    again = context.new_page()
    _open.append(again)
    again.goto(f"/meetings/{hall['id']}/desk")
    expect(again.locator(f"#box-remark-{heard}")).to_have_value("Giữ lại trên máy")
    expect(status(again, f"remark-{heard}")).to_have_text(SAVED)
    assert note_of(heard) == "Giữ lại trên máy"
    assert kept(again, hall["id"]) == {}


def test_a_note_changed_on_another_screen_is_not_overwritten_unseen(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard = hall["requests"][0]
    notes.save_remark_note(hall["id"], heard, "Bản của máy khác", 0, actor="test")
    page.locator(f"#box-remark-{heard}").fill("Bản của tôi")
    wrap = page.locator(f'.desk-box[data-box="remark-{heard}"]')
    expect(wrap.locator(".desk-conflict")).to_be_visible()
    expect(wrap.locator(".desk-conflict-text")).to_have_text("Bản của máy khác")
    expect(page.locator(f"#box-remark-{heard}")).to_have_value("Bản của tôi")
    assert note_of(heard) == "Bản của máy khác"
    wrap.get_by_role("button", name="Lưu đè bằng bản của tôi").click()
    expect(status(page, f"remark-{heard}")).to_have_text(SAVED)
    expect(wrap.locator(".desk-conflict")).to_be_hidden()
    assert note_of(heard) == "Bản của tôi"

    notes.save_remark_note(hall["id"], heard, "Sửa lần nữa ở máy khác", 2, actor="test")
    page.locator(f"#box-remark-{heard}").fill("Tôi sửa tiếp")
    expect(wrap.locator(".desk-conflict")).to_be_visible()
    wrap.get_by_role("button", name="Dùng bản đã lưu").click()
    expect(page.locator(f"#box-remark-{heard}")).to_have_value("Sửa lần nữa ở máy khác")
    expect(wrap.locator(".desk-conflict")).to_be_hidden()
    assert kept(page, hall["id"]) == {}
    assert note_of(heard) == "Sửa lần nữa ở máy khác"


def test_a_save_whose_answer_was_lost_is_not_taken_for_another_screens_edit(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard = hall["requests"][0]
    lost = []

    def first_answer_lost(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # the server gets it and saves it ...
        lost.append(route.request.post_data)
        route.abort()  # ... but its answer never comes back
    page.route("**/desk/remarks/**", first_answer_lost)
    page.locator(f"#box-remark-{heard}").fill("Ý kiến thứ nhất")
    expect(status(page, f"remark-{heard}")).to_have_text(KEPT)
    assert note_of(heard) == "Ý kiến thứ nhất" and lost
    page.locator(f"#box-remark-{heard}").press("End")
    page.keyboard.type(" và ý kiến thứ hai")
    expect(status(page, f"remark-{heard}")).to_have_text(SAVED, timeout=15_000)
    wrap = page.locator(f'.desk-box[data-box="remark-{heard}"]')
    expect(wrap.locator(".desk-conflict")).to_be_hidden()
    assert note_of(heard) == "Ý kiến thứ nhất và ý kiến thứ hai"
    assert kept(page, hall["id"]) == {}


def test_a_text_kept_for_another_database_is_never_sent(new_page, hall):
    page = open_desk(new_page, hall["id"])
    heard = hall["requests"][0]
    # Left from a rehearsal on a database set up again since: same meeting and remark ids.
    page.evaluate("""([m, r]) => localStorage.setItem(`meetingday:desk:${m}:12345:remark-${r}`,
        JSON.stringify({text: "Ghi của buổi tập", revision: 0, url: location.pathname + `/remarks/${r}/note`,
                        at: Date.now()}))""", [hall["id"], heard])
    page.reload()
    connected(page)
    expect(page.locator(f"#box-remark-{heard}")).to_have_value("")
    expect(page.locator("#desk-saving")).to_contain_text("Đã lưu tất cả")
    assert note_of(heard) is None


# --------------------------------------------------------------------------- following the meeting

def test_a_new_remark_appears_while_a_note_is_being_typed_and_the_note_keeps_its_text(new_page, hall):
    page = open_desk(new_page, hall["id"])
    speaking, waiting = hall["requests"][1], hall["requests"][2]
    box = page.locator(f"#box-remark-{speaking}")
    box.click()
    page.keyboard.type("Đang ghi dở")
    # The chair gives the floor to the next in line while the secretary is typing.
    speakers.give_floor(hall["id"], waiting, speaking, actor="test")
    new_remark = page.locator(f"#remark-{waiting}")
    expect(new_remark).to_be_visible()
    expect(new_remark).to_contain_text(hall["people"][2].full_name)
    expect(new_remark.locator(".dr-live")).to_have_text("Đang phát biểu")
    expect(page.locator(f"#remark-{speaking} .dr-live")).to_have_count(0)  # ended
    assert page.evaluate("document.activeElement.id") == f"box-remark-{speaking}"
    page.keyboard.type(" và viết tiếp")
    expect(box).to_have_value("Đang ghi dở và viết tiếp")
    expect(status(page, f"remark-{speaking}")).to_have_text(SAVED)
    wait_for(page, f"!window.meetingdayDesk.states['remark-{speaking}'].inflight")
    assert note_of(speaking) == "Đang ghi dở và viết tiếp"
    expect(page.locator("#desk-remarks > li")).to_have_count(3)
    expect(page.locator(f'#desk-programme [data-item="{hall["item"]}"]')).to_contain_text("3 lượt phát biểu")
    assert_no_reload(page)


def test_the_pane_follows_the_chair_unless_the_secretary_is_writing_there(new_page, hall):
    page = open_desk(new_page, hall["id"])
    item = hall["item"]
    meeting = fresh(Meeting, hall["id"])
    following = meeting.items[[i.id for i in meeting.items].index(item) + 1]
    flow.next_item(hall["id"], meeting.version, "test")
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(following.id))
    expect(page.locator("#desk-elsewhere")).to_be_hidden()
    flow.previous_item(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(item))

    page.locator(f"#box-item-{item}").click()
    page.keyboard.type("Chủ trì kết luận")
    flow.next_item(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    expect(page.locator("#desk-elsewhere")).to_be_visible()
    expect(page.locator("#desk-elsewhere")).to_contain_text("Đang xem mục khác")
    expect(page.locator("#desk-elsewhere")).to_contain_text(following.title)
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(item))
    expect(page.locator(f"#box-item-{item}")).to_have_value("Chủ trì kết luận")
    expect(status(page, f"item-{item}")).to_have_text(SAVED)
    assert "show=item-" in page.url

    page.get_by_role("button", name="Về mục hiện tại").click()
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(following.id))
    expect(page.locator("#desk-elsewhere")).to_be_hidden()
    assert "show=" not in page.url
    # Another item chosen by the secretary stays put when the chair moves on.
    page.locator(f'#desk-programme [data-show-item="{item}"]').click()
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(item))
    expect(page.locator(f"#box-item-{item}")).to_have_value("Chủ trì kết luận")
    expect(page.locator("#desk-elsewhere")).to_be_visible()
    flow.next_item(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    settle(page)
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(item))
    assert_no_reload(page)


def test_an_item_that_cannot_be_loaded_is_said_in_the_flash(new_page, hall):
    page = open_desk(new_page, hall["id"])
    first = fresh(Meeting, hall["id"]).items[0].id
    pane = re.compile(r"/desk/items/\d+$")
    page.route(pane, lambda route: route.abort("connectionfailed"))
    page.locator(f'#desk-programme [data-show-item="{first}"]').click()
    expect(page.locator("#desk-item")).to_have_class(re.compile(r"\bis-stale\b"))
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(hall["item"]))
    # The markup of templates/_flash.html, built in the page.
    assert page.locator("#flash").inner_html() == (
        '<div class="flash flash-error" role="alert">Chưa tải được mục này. Kiểm tra kết nối rồi thử lại.</div>')
    page.unroute(pane)
    page.locator(f'#desk-programme [data-show-item="{first}"]').click()
    expect(page.locator("#desk-item")).to_have_attribute("data-item", str(first))
    expect(page.locator("#desk-item")).not_to_have_class(re.compile(r"\bis-stale\b"))


# --------------------------------------------------------------------------- the closing conclusion

def task_rows(page):
    return page.locator("#desk-tasks .desk-task-who")


def test_tasks_are_added_moved_and_the_conclusion_published(new_page, hall):
    page = open_desk(new_page, hall["id"])
    page.locator('.desk-nav[data-show="closing"]').click()
    expect(page.locator("#desk-view-closing")).to_be_visible()
    page.locator("#box-closing").fill("Hội nghị đánh giá cao sự chuẩn bị của các xã, phường.")

    form = page.locator("#desk-task-form")
    form.locator("#task-body").fill("Ban Pháp chế HĐND thị xã")
    form.locator("#task-content").fill("Hướng dẫn quy trình giám sát chuyên đề cho HĐND cấp xã.")
    form.locator("#task-deadline").fill(f"31/07/{YEAR}")
    form.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(task_rows(page)).to_have_text(["Ban Pháp chế HĐND thị xã"])
    expect(page.locator("#task-body")).to_have_value("")  # a fresh form for the next task
    page.locator("#task-body").fill("Thường trực HĐND các xã, phường")
    page.locator("#task-content").fill("Báo cáo kết quả giám sát.")
    page.locator("#task-deadline").fill(f"31/13/{YEAR}")
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(page.locator("#desk-task-form .error")).to_have_text("Ngày không hợp lệ (dd/mm/yyyy).")
    expect(page.locator("#task-content")).to_have_value("Báo cáo kết quả giám sát.")
    page.locator("#task-deadline").fill(f"15/08/{YEAR}")
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(task_rows(page)).to_have_text(["Ban Pháp chế HĐND thị xã", "Thường trực HĐND các xã, phường"])

    page.locator("#desk-tasks .desk-task").first.locator(".desk-task-down").click()
    expect(task_rows(page)).to_have_text(["Thường trực HĐND các xã, phường", "Ban Pháp chế HĐND thị xã"])
    assert [(t.position, t.body, t.deadline) for t in closing.tasks(fresh(Meeting, hall["id"]))] == [
        (1, "Thường trực HĐND các xã, phường", date(YEAR, 8, 15)), (2, "Ban Pháp chế HĐND thị xã", date(YEAR, 7, 31))]

    page.get_by_role("button", name="Công bố lên màn hình và điện thoại").click()
    expect(page.locator("#flash")).to_contain_text("mục cuối")  # still at the discussion
    assert fresh(Meeting, hall["id"]).closing_published_at is None
    to_last_item(hall["id"])
    page.get_by_role("button", name="Công bố lên màn hình và điện thoại").click()
    expect(page.locator("#desk-publish")).to_contain_text("Đã công bố")
    expect(page.locator('[data-badge="published"]')).to_be_visible()
    meeting = fresh(Meeting, hall["id"])
    assert meeting.closing_published_at is not None
    assert notes.closing_conclusion(meeting).text == "Hội nghị đánh giá cao sự chuẩn bị của các xã, phường."
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.locator("#desk-publish")).to_contain_text("Chưa công bố.")
    assert fresh(Meeting, hall["id"]).closing_published_at is None
    assert_no_reload(page)


def test_a_task_edited_on_two_desks_keeps_both_versions_until_one_is_chosen(new_page, hall, shot):
    closing.add_task(hall["id"], "Ban Pháp chế HĐND thị xã", "Hướng dẫn giám sát chuyên đề.", date(YEAR, 7, 31),
                     actor="test")
    mine, other = (open_desk(new_page, hall["id"], query="?show=closing") for _ in range(2))
    for page in (mine, other):
        page.locator("#desk-tasks .desk-task-edit").click()
        expect(page.locator("#task-content")).to_have_value("Hướng dẫn giám sát chuyên đề.")
        expect(page.locator("#task-body")).to_be_focused()  # htmx's autofocus, once the form has settled
    other.locator("#task-content").fill("Hướng dẫn, đôn đốc giám sát chuyên đề.")
    other.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(other.locator("#desk-tasks")).to_contain_text("Hướng dẫn, đôn đốc giám sát chuyên đề.")
    expect(mine.locator("#desk-tasks")).to_contain_text("Hướng dẫn, đôn đốc giám sát chuyên đề.")  # pushed

    mine.locator("#task-content").fill("Báo cáo kết quả giám sát chuyên đề.")
    mine.locator("#task-deadline").fill(f"15/08/{YEAR}")
    mine.get_by_role("button", name="Lưu nhiệm vụ").click()
    conflict = mine.locator(".desk-task-conflict")
    expect(conflict).to_contain_text("vừa được sửa trên máy khác")
    expect(conflict.locator(".desk-conflict-text")).to_contain_text("Hướng dẫn, đôn đốc giám sát chuyên đề.")
    expect(mine.locator("#task-content")).to_have_value("Báo cáo kết quả giám sát chuyên đề.")  # nothing typed lost
    assert [t.content for t in closing.tasks(fresh(Meeting, hall["id"]))] == ["Hướng dẫn, đôn đốc giám sát chuyên đề."]
    shot(mine, "desk-task-conflict", full_page=False)

    mine.get_by_role("button", name="Lưu đè bằng bản của tôi").click()
    expect(mine.locator("#desk-tasks")).to_contain_text("Báo cáo kết quả giám sát chuyên đề.")
    expect(mine.locator("#task-body")).to_have_value("")  # back to a fresh form
    assert [(t.content, t.deadline) for t in closing.tasks(fresh(Meeting, hall["id"]))] == [
        ("Báo cáo kết quả giám sát chuyên đề.", date(YEAR, 8, 15))]
    # The other desk, still showing the list from before the overwrite, cannot delete it unseen.
    other.evaluate("document.querySelector('#desk-tasks .desk-task-delete')"
                   ".setAttribute('hx-vals', JSON.stringify({revision: 1}))")
    other.locator("#desk-tasks .desk-task-delete").click()
    expect(other.locator("#flash")).to_contain_text("nên chưa xóa")
    assert len(closing.tasks(fresh(Meeting, hall["id"]))) == 1
    assert_no_reload(mine)


def test_the_documents_form_saved_on_two_desks_asks_which_to_keep(new_page, hall, shot):
    mine, other = (open_desk(new_page, hall["id"], query="?show=documents") for _ in range(2))
    other.locator("#doc-minutes_number").fill("12/BB-HĐND")
    other.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(other.locator("#desk-documents .desk-saved-note")).to_be_visible()

    mine.locator("#doc-notice_recipients").fill("- Thường trực Thị ủy;\n- Lưu: VT.")
    mine.get_by_role("button", name="Lưu thông tin văn bản").click()
    conflict = mine.locator(".desk-docs-conflict")
    expect(conflict).to_contain_text("vừa được sửa trên máy khác")
    expect(conflict.locator(".desk-docs-saved")).to_contain_text("12/BB-HĐND")
    expect(mine.locator("#doc-notice_recipients")).to_have_value("- Thường trực Thị ủy;\n- Lưu: VT.")  # kept
    expect(mine.locator("#doc-minutes_number")).to_have_value("")
    assert (fresh(Meeting, hall["id"]).minutes_number, fresh(Meeting, hall["id"]).notice_recipients) == ("12/BB-HĐND", "")
    shot(mine, "desk-documents-conflict", full_page=False)

    mine.get_by_role("button", name="Dùng bản đã lưu").click()
    expect(mine.locator("#doc-minutes_number")).to_have_value("12/BB-HĐND")
    expect(mine.locator(".desk-docs-conflict")).to_have_count(0)
    mine.locator("#doc-notice_recipients").fill("- Thường trực Thị ủy;\n- Lưu: VT.")
    mine.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(mine.locator("#desk-documents .desk-saved-note")).to_be_visible()
    meeting = fresh(Meeting, hall["id"])
    assert (meeting.minutes_number, meeting.notice_recipients) == ("12/BB-HĐND", "- Thường trực Thị ủy;\n- Lưu: VT.")
    assert_no_reload(mine)


def test_finalized_minutes_lock_every_box_and_reopening_unlocks_them(new_page, hall):
    page = open_desk(new_page, hall["id"], query="?show=documents")
    expect(page.locator("#desk-final")).to_contain_text("Chỉ chốt biên bản sau khi hội nghị đã kết thúc.")
    flow.end_meeting(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    page.locator("#desk-final .desk-finalize").click()
    expect(page.locator("#desk-final-banner")).to_be_visible()
    expect(page.locator("#desk-final")).to_contain_text("Biên bản đã chốt")
    assert fresh(Meeting, hall["id"]).minutes_finalized_at is not None
    expect(page.locator("#doc-minutes_number")).to_be_disabled()
    page.locator(f'#desk-programme [data-show-item="{hall["item"]}"]').click()
    expect(page.locator(f"#box-remark-{hall['requests'][0]}")).to_have_attribute("readonly", "")

    page.locator('.desk-nav[data-show="documents"]').click()
    page.get_by_role("button", name="Mở lại biên bản…").click()
    page.locator("#reopen-reason").fill("Bổ sung ý kiến phát biểu")
    page.locator("#desk-reopen-form").get_by_role("button", name="Mở lại").click()
    expect(page.locator("#desk-final-banner")).to_be_hidden()
    expect(page.locator("#desk-reopen-dialog")).not_to_have_attribute("open", "")
    expect(page.locator("#doc-minutes_number")).to_be_enabled()
    assert fresh(Meeting, hall["id"]).minutes_finalized_at is None
    page.locator(f'#desk-programme [data-show-item="{hall["item"]}"]').click()
    box = page.locator(f"#box-remark-{hall['requests'][0]}")
    expect(box).not_to_have_attribute("readonly", "")
    box.fill("Bổ sung sau khi mở lại")
    expect(status(page, f"remark-{hall['requests'][0]}")).to_have_text(SAVED)
    assert note_of(hall["requests"][0]) == "Bổ sung sau khi mở lại"


def test_the_minutes_are_not_finalized_over_a_refused_notice_date(new_page, hall):
    """Numbers typed, the notice's date refused: "Chốt biên bản" is refused too and nothing is
    locked; once the form is saved, it locks what the form shows."""
    flow.end_meeting(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    page = open_desk(new_page, hall["id"], query="?show=documents")
    page.locator("#doc-minutes_number").fill("12")
    page.locator("#doc-notice_number").fill("15")
    page.locator("#doc-notice_date").fill("31/02/2024")
    page.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator("#desk-documents .error")).to_contain_text("Ngày không hợp lệ")
    page.locator("#desk-final .desk-finalize").click()
    expect(page.locator("#flash")).to_contain_text("chưa được lưu hoặc vừa bị từ chối")
    expect(page.locator("#desk-final-banner")).to_be_hidden()
    expect(page.locator("#doc-minutes_number")).to_be_enabled()
    expect(page.locator("#doc-minutes_number")).to_have_value("12")  # still as typed, to correct
    meeting = fresh(Meeting, hall["id"])
    assert (meeting.minutes_finalized_at, meeting.minutes_number) == (None, "")

    page.locator("#doc-notice_date").fill("")
    page.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator("#desk-documents .desk-saved-note")).to_be_visible()
    page.locator("#desk-final .desk-finalize").click()
    expect(page.locator("#desk-final-banner")).to_be_visible()
    meeting = fresh(Meeting, hall["id"])
    assert meeting.minutes_finalized_at is not None
    assert (meeting.minutes_number, meeting.notice_number) == ("12", "15")
    expect(page.locator("#doc-minutes_number")).to_have_value("12")


# --------------------------------------------------------------------------- how it looks

def test_screenshots_of_the_desk(new_page, hall, shot):
    notes.save_remark_note(hall["id"], hall["requests"][0],
                           "Đề nghị Thường trực HĐND thị xã hướng dẫn việc giám sát chuyên đề; kiến nghị bổ sung "
                           "kinh phí hoạt động cho Tổ đại biểu.", 0, actor="test")
    notes.save_closing_intro(hall["id"], "Hội nghị đánh giá cao sự chuẩn bị chu đáo của Thường trực HĐND các "
                                         "xã, phường và các ý kiến thảo luận thẳng thắn.", 0, actor="test")
    closing.add_task(hall["id"], "Ban Pháp chế HĐND thị xã", "Hướng dẫn quy trình, biểu mẫu giám sát chuyên đề cho "
                     "HĐND cấp xã.", date(YEAR, 7, 31), actor="test")
    closing.add_task(hall["id"], "Thường trực HĐND các xã, phường", "Báo cáo kết quả giám sát 6 tháng cuối năm.",
                     date(YEAR, 12, 15), actor="test")
    page = open_desk(new_page, hall["id"])
    page.locator(f"#box-remark-{hall['requests'][1]}").click()
    page.keyboard.type("Phường đã hoàn thành 8/10 chỉ tiêu")
    expect(status(page, f"remark-{hall['requests'][1]}")).to_have_text(SAVED)
    shot(page, "desk-item", full_page=False)
    for part in ("closing", "documents"):
        page.locator(f'.desk-nav[data-show="{part}"]').click()
        settle(page)
        shot(page, f"desk-{part}", full_page=False)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the desk scrolls sideways: {width}"

    small = open_desk(new_page, hall["id"], size=SMALL_LAPTOP)
    width = small.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the desk scrolls sideways at 1280 px: {width}"
    # The programme and the sections stay in reach at the side.
    for selector in (".desk-nav[data-show='closing']", "#desk-programme"):
        box = small.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] < 800
    shot(small, "desk-item-1280", full_page=False)
