"""Two real `meetingday serve` processes sharing PostgreSQL and a Redis message queue: a change
made through one reaches a screen connected to the other (issue 4, item 6)."""
from __future__ import annotations

import os
import queue

import pytest
import sqlalchemy as sa

from .conftest import PG_URL, unavailable
from .serverproc import Browser, Server, clean_env, load_demo

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
SCHEMA = f"meetingday_mp_test_{os.getpid()}"


def _services_missing() -> str | None:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as e:  # noqa: BLE001 - no server, no database, no permission
        return f"PostgreSQL not reachable at {PG_URL}: {type(e).__name__}: {str(e).strip()[:200]}"
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as e:  # noqa: BLE001 - no server, refused, wrong database number
        return f"Redis not reachable at {REDIS_URL}: {type(e).__name__}: {e}"
    return None


@pytest.fixture()
def pg_schema():
    reason = _services_missing()
    if reason:
        unavailable(reason)
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{PG_URL}?options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture()
def two_servers(pg_schema, tmp_path):
    env = clean_env(tmp_path / "instance", DATABASE_URL=pg_schema, SOCKETIO_MESSAGE_QUEUE=REDIS_URL)
    meeting = load_demo(env)
    a, b = Server(env), Server(env)
    try:
        a.start()
        b.start()
        yield a, b, meeting
    finally:
        a.stop()
        b.stop()


def test_a_change_through_one_process_reaches_a_screen_on_the_other(two_servers):
    import socketio

    a, b, meeting = two_servers
    assert a.proc.pid != b.proc.pid and a.port != b.port
    assert "gevent server" in a.log() and "gevent server" in b.log()  # the production set-up
    swaps: queue.Queue = queue.Queue()
    projector = socketio.Client(reconnection=False)
    projector.on("swap", swaps.put)
    # The projector on process B, joined as the public audience by the display key.
    projector.connect(b.base, transports=["websocket"], wait_timeout=20,
                      auth={"meeting": meeting["meeting"], "key": meeting["key"], "locale": "vi", "pass": None})
    try:
        chair = Browser(a.base)
        chair.login()
        before = chair.get_json(f"/display/{meeting['key']}/state.json")
        assert before["meeting"]["state"] != "in_session" and before["current_item"] is None

        # The chair starts the meeting on process A.
        status, body = chair.chair_action(meeting["meeting"], "start", before["meeting"]["version"])
        assert status == 200, body[:500]

        # Process B's screen gets the new programme region pushed through Redis.
        payload = swaps.get(timeout=20)
        targets = {s["target"]: s["html"] for s in payload["swaps"]}
        assert "#display-main" in targets, targets.keys()
        state = Browser(b.base).get_json(f"/display/{meeting['key']}/state.json")  # B reads A's commit
        first = state["current_item"]
        assert first is not None and first["number"] == 1
        assert _text(first["title"]) in _text(targets["#display-main"])

        # And the next change too: B's screen follows item by item.
        status, body = chair.chair_action(meeting["meeting"], "next", state["meeting"]["version"])
        assert status == 200, body[:500]
        payload = swaps.get(timeout=20)
        second = Browser(b.base).get_json(f"/display/{meeting['key']}/state.json")["current_item"]
        assert second["number"] == 2
        html = {s["target"]: s["html"] for s in payload["swaps"]}["#display-main"]
        assert _text(second["title"]) in _text(html) and _text(first["title"]) not in _text(html)
    finally:
        projector.disconnect()


def _text(html: str) -> str:
    """Compare titles as text: the template escapes quotes and ampersands."""
    import html as html_lib
    return " ".join(html_lib.unescape(html).split())
