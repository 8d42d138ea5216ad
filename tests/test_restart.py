"""Nothing lost on restart (issue 4, item 7): `meetingday serve` killed with SIGKILL mid-meeting
and started again brings the chair's tablet, the projector, the JSON state and a connected
screen back to the same item, with the timers running on from the stored times."""
from __future__ import annotations

import html as html_lib
import queue
import re
import sqlite3
from datetime import UTC, datetime

from .serverproc import (
    Browser,
    Desk,
    Server,
    ask_to_speak,
    clean_env,
    discussion_and_delegates,
    load_demo,
)


def epoch_ms(stored: str) -> int:
    """A stored naive-UTC time as the pages' timers carry it (meetingday.timeutil.epoch_ms)."""
    return int(datetime.fromisoformat(stored).replace(tzinfo=UTC).timestamp() * 1000)


def stored_times(db_path, meeting_id: int) -> dict:
    """Read the times straight from the database file, as they survived the kill."""
    with sqlite3.connect(db_path) as conn:
        meeting_started, version = conn.execute(
            "SELECT started_at, version FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        rows = conn.execute("SELECT position, title, started_at FROM agenda_items WHERE meeting_id = ? "
                            "AND started_at IS NOT NULL AND ended_at IS NULL", (meeting_id,)).fetchall()
    assert len(rows) == 1, rows  # exactly one current item
    position, title, item_started = rows[0]
    return {"meeting_started": epoch_ms(meeting_started), "version": version, "position": position,
            "title": title, "item_started": epoch_ms(item_started)}


def screens(chair: Browser, projector: Browser, meeting: dict) -> dict:
    """What each screen shows of the current item, and the start times its timers count from."""
    mid, key = meeting["meeting"], meeting["key"]
    status, chair_page = chair.get(f"/meetings/{mid}/chair")
    assert status == 200, chair_page[:500]
    status, display_page = projector.get(f"/display/{key}")
    assert status == 200, display_page[:500]
    controls = _section(chair_page, "chair-controls")
    main = _section(display_page, "display-main")
    current = re.search(r'<li class="chair-item is-current".*?</li>', _section(chair_page, "chair-programme"), re.DOTALL)
    return {
        "chair_title": _text(re.search(r'class="chair-item-title">(.*?)</h1>', controls, re.DOTALL).group(1)),
        "chair_programme_current": _text(re.search(r'class="chair-item-name">(.*?)</span>', current.group(0)).group(1)),
        "chair_timers": [int(v) for v in re.findall(r'data-elapsed-from="(\d+)"', controls)],
        "display_kicker": _text(re.search(r'class="display-kicker">(.*?)</p>', main, re.DOTALL).group(1)),
        "display_title": _text(re.search(r'<h1 class="display-headline[^"]*">(.*?)</h1>', main, re.DOTALL).group(1)),
        "display_timers": [int(v) for v in re.findall(r'data-elapsed-from="(\d+)"', main)],
        "state": projector.get_json(f"/display/{key}/state.json"),
        # What live.js fetches again on every (re)connect: the regions' data-live-src.
        "display_region": _text(_section(projector.request("GET", f"/display/{key}?part=main",
                                                             headers={"HX-Request": "true"})[1], "display-main")),
    }


def _section(page: str, root_id: str) -> str:
    m = re.search(rf'<section id="{root_id}".*?</section>', page, re.DOTALL)
    assert m, f"#{root_id} not in the page"
    return m.group(0)


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_kill_and_restart_mid_meeting_comes_back_to_the_same_item(tmp_path):
    import socketio

    db_path = tmp_path / "meeting.sqlite3"
    env = clean_env(tmp_path / "instance", DATABASE_URL=f"sqlite:///{db_path}")
    env.pop("SECRET_KEY")  # as in production: the key kept in instance/ keeps sessions valid
    meeting = load_demo(env)
    mid = meeting["meeting"]
    server = Server(env).start()
    swaps: queue.Queue = queue.Queue()
    connects: queue.Queue = queue.Queue()
    screen = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
    screen.on("swap", swaps.put)
    screen.on("connect", lambda: connects.put(True))
    try:
        chair = Browser(server.base)
        chair.login()
        projector = Browser(server.base)
        version = projector.get_json(f"/display/{meeting['key']}/state.json")["meeting"]["version"]
        for action in ("start", "next", "next"):
            status, body = chair.chair_action(mid, action, version)
            assert status == 200, (action, body[:500])
            version = int(re.search(r'data-version="(\d+)"', body).group(1))
        stored = stored_times(db_path, mid)
        assert stored["position"] == 3 and stored["version"] == version
        before = screens(chair, projector, meeting)
        screen.connect(server.base, transports=["websocket"], wait_timeout=20,
                       auth={"meeting": mid, "key": meeting["key"], "locale": "vi", "pass": None})
        assert connects.get(timeout=10)

        server.kill()  # kill -9 mid-meeting
        assert server.proc.returncode == -9
        server = Server(env, port=server.port).start()  # the screens' address is unchanged

        after = screens(chair, projector, meeting)  # the same cookies: nobody logs in again
        assert stored_times(db_path, mid) == stored
        # Every screen shows item 3 again ...
        assert after["chair_title"] == before["chair_title"] == _text(html_lib.escape(stored["title"]))
        assert after["chair_programme_current"] == stored["title"]
        assert after["display_title"] == stored["title"] and after["display_kicker"].startswith("Mục 3/")
        assert after["state"]["current_item"]["number"] == 3
        assert after["state"]["current_item"]["title"] == stored["title"]
        assert stored["title"] in after["display_region"]
        # ... and the timers count from the stored starts, not from the restart.
        assert after["chair_timers"] == before["chair_timers"] == [stored["meeting_started"], stored["item_started"]]
        assert after["display_timers"] == before["display_timers"] == [stored["item_started"]]
        assert epoch_ms(after["state"]["current_item"]["started_at"].rstrip("Z")) == stored["item_started"]
        assert after["state"]["meeting"]["started_at"] == before["state"]["meeting"]["started_at"]

        # The connected screen finds the new server by itself and gets the next change pushed.
        assert connects.get(timeout=30)
        status, body = chair.chair_action(mid, "next", version)
        assert status == 200, body[:500]
        payload = swaps.get(timeout=20)
        main = {s["target"]: s["html"] for s in payload["swaps"]}["#display-main"]
        fourth = projector.get_json(f"/display/{meeting['key']}/state.json")["current_item"]
        assert fourth["number"] == 4 and _text(html_lib.escape(fourth["title"])) in _text(main)
    finally:
        screen.disconnect()
        server.stop()


def _queue_state(chair: Browser, projector: Browser, phone: Browser, meeting: dict, token: str) -> dict:
    """The speaker queue as every screen reads it: order, who speaks, the countdown's end."""
    mid, key = meeting["meeting"], meeting["key"]
    status, region = chair.get(f"/meetings/{mid}/speakers/queue")
    assert status == 200, region[:500]
    line = re.search(r'<ol class="sq-line".*?</ol>', region, re.DOTALL)
    _status, display = projector.get(f"/display/{key}?part=speaker")
    _status, mine = phone.get(f"/d/{token}?part=speak")
    speaker = projector.get_json(f"/display/{key}/state.json")["current_speaker"]
    return {
        "line": re.findall(r'<li class="sq-row" data-request="(\d+)"', line.group(0)) if line else [],
        "current": re.findall(r'class="sq-current[^"]*" data-request="(\d+)"', region),
        "countdowns": re.findall(r'data-countdown-to="(\d+)"', region),
        "display_countdowns": re.findall(r'data-countdown-to="(\d+)"', display),
        "display_text": _text(re.sub(r'<span class="speech-clock.*?</span>', "", display, flags=re.DOTALL)),
        "phone": _text(mine),
        "speaker": {k: speaker[k] for k in ("name", "topic", "started_at", "deadline", "time_limit_seconds")},
    }


def test_kill_and_restart_keeps_the_speaker_queue_exactly(tmp_path):
    """Issue 5: after a restart the queue is exactly as it was (order, speaker, countdown)."""
    db_path = tmp_path / "meeting.sqlite3"
    env = clean_env(tmp_path / "instance", DATABASE_URL=f"sqlite:///{db_path}")
    env.pop("SECRET_KEY")
    meeting = load_demo(env)
    mid = meeting["meeting"]
    item_id, people = discussion_and_delegates(f"sqlite:///{db_path}", mid, 4)
    server = Server(env).start()
    try:
        desk = Desk(server.base, mid)
        chair, projector = desk.chair, Browser(server.base)
        desk.check_in([invitee_id for invitee_id, _t in people])
        desk.move("start")
        desk.move(f"jump/{item_id}")
        staff = desk.speakers
        staff(f"items/{item_id}/open")
        phones = [ask_to_speak(server.base, pass_token, item_id, f"Nội dung {n + 1}")
                  for n, (_i, pass_token) in enumerate(people)]
        body = chair.get(f"/meetings/{mid}/speakers/queue")[1]
        ids = re.findall(r'data-request="(\d+)"', re.search(r'<ol class="sq-line".*?</ol>', body, re.DOTALL).group(0))
        staff(f"{ids[0]}/floor", current="")
        staff(f"{ids[3]}/move", offset="-1", line=ids[1:])  # 4th up one place: 2, 4, 3
        staff(f"{ids[3]}/limit", minutes="7", seen_minutes="5")  # from the item's default of 5

        before = _queue_state(chair, projector, phones[1], meeting, people[1][1])
        assert before["line"] == [ids[1], ids[3], ids[2]] and before["current"] == [ids[0]]
        assert "sắp đến lượt phát biểu" in before["phone"]

        server.kill()  # kill -9 with a speaker at the lectern
        server = Server(env, port=server.port).start()

        after = _queue_state(chair, projector, phones[1], meeting, people[1][1])
        assert after == before
        # and the chair goes on where it stopped: the next in line gets the floor
        staff(f"{ids[1]}/floor", current=ids[0])
        assert "Đang phát biểu" in phones[1].get(f"/d/{people[1][1]}?part=speak")[1]
    finally:
        server.stop()
