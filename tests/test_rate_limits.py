"""Rate limits on the public links (meetingday/ratelimit.py), with the limits as configured:
a hall behind one address is never refused, made-up links from one address are."""
from __future__ import annotations

import secrets
from datetime import datetime

import pytest
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.hall_visit import PASS_COOKIE
from meetingday.models import CheckIn, CheckInMethod, InviteeCategory
from meetingday.ratelimit import limiter
from meetingday.services import checkin, hallcode, invitees, meetings, passes

TOO_FAST = "Thao tác quá nhanh. Xin vui lòng đợi một phút rồi thử lại."


@pytest.fixture()
def limits_on(app):
    app.config["RATELIMIT_IN_TESTS"] = True
    limiter.reset()
    yield app
    app.config["RATELIMIT_IN_TESTS"] = False
    limiter.reset()


def hall_of(n: int):
    """A meeting with check-in open and `n` delegates with passes (written in one commit)."""
    meeting = meetings.create_meeting({
        "title": "Kỳ họp thứ Mười", "host_body": "HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": datetime(2024, 6, 27, 0, 30)}, actor="test")
    people = [invitees.create(meeting, {"full_name": f"Đại biểu số {i}", "honorific": "Ông",
                                        "category": InviteeCategory.DELEGATE}, None) for i in range(n)]
    db.session.commit()
    checkin.open_checkin(meeting, "test")
    return meeting, [p.active_token.token for p in people]


def phone_opens_pass_and_scans_hall_code(app, meeting, token) -> list[int]:
    """What a delegate's phone asks for: the pass and every part its page loads (its QR code, and
    each [data-live-src] region live.js reloads on connecting), then the hall code, which checks
    in and sends the phone back to its pass. (The parts the page then reloads are the same
    requests again: left out, to keep the test short.)"""
    phone = app.test_client()
    paths = [f"/d/{token}", f"/d/{token}/qr.svg", f"/d/{token}/checkin",
             *(f"/d/{token}?part={part}" for part in ("programme", "queue", "speak"))]
    statuses = [phone.get(path).status_code for path in paths]
    scan = phone.get(hallcode.path_for(meeting.id))
    return [*statuses, scan.status_code, phone.get(scan.headers.get("Location", f"/d/{token}")).status_code]


def test_a_hall_of_500_behind_one_address_is_never_refused(limits_on, monkeypatch):
    app = limits_on
    monkeypatch.setattr(passes, "qr_svg", lambda data: "<svg/>")  # drawing 500 QR codes is not the point
    meeting, tokens = hall_of(500)
    statuses = [s for token in tokens for s in phone_opens_pass_and_scans_hall_code(app, meeting, token)]
    assert len(statuses) == 500 * 8 and 429 not in statuses
    assert set(statuses) == {200, 303}
    assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.method == CheckInMethod.SELF)) == 500


def test_made_up_links_from_one_address_are_refused_after_the_failure_limit(limits_on):
    app = limits_on
    meeting, (token, revoked, other) = hall_of(3)
    holder = passes.find_pass(revoked).invitee
    passes.revoke_token(holder, holder.active_token.id, actor="test")
    prober = app.test_client()
    limit = int(app.config["RATELIMIT_FAILURES"].split()[0])
    first = [prober.get(f"/d/{revoked}").status_code] + [prober.get(f"/d/{secrets.token_urlsafe(24)}").status_code
                                                         for _ in range(limit - 2)]
    first.append(prober.get(f"/h/{meeting.id}/{hallcode.current_window()}.{'Z' * hallcode.SIG_CHARS}").status_code)
    assert first == [404] * (limit - 1) + [400]
    statuses = [prober.get(f"/d/{secrets.token_urlsafe(24)}").status_code for _ in range(1000)]
    assert set(statuses) == {429}
    r = prober.get(f"/d/{secrets.token_urlsafe(24)}/qr.svg")
    assert r.status_code == 429 and TOO_FAST in r.text
    prober.set_cookie(PASS_COOKIE, secrets.token_urlsafe(24))  # a made-up pass at the hall code too
    assert prober.get(hallcode.path_for(meeting.id)).status_code == 429

    # Only further failures are refused: a pass from the same address (the hall behind the
    # prober's NAT) still opens, and other addresses are not held up.
    assert prober.get(f"/d/{token}").status_code == 200
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "192.168.1.23"
    assert neighbour.get(f"/d/{secrets.token_urlsafe(24)}").status_code == 404
    assert neighbour.get(f"/d/{other}?part=speak").status_code == 200


def test_phones_remembering_a_reissued_pass_are_asked_for_the_pass_not_counted(limits_on, monkeypatch):
    """A hall where many phones kept a pass since reissued: each is asked to open its pass (the
    new invitation) and forgets the old one; none counts as a failure of the shared address."""
    app = limits_on
    monkeypatch.setitem(app.config, "RATELIMIT_FAILURES", "3 per minute")
    meeting, (old,) = hall_of(1)
    passes.reissue_token(passes.find_pass(old).invitee, passes.find_pass(old).id, actor="test")
    phones = [app.test_client() for _ in range(5)]
    for phone in phones:
        phone.set_cookie(PASS_COOKIE, old)
    answers = [phone.get(hallcode.path_for(meeting.id)) for phone in phones]
    assert [r.status_code for r in answers] == [200] * 5
    assert all("Điện thoại này chưa mở thẻ đại biểu" in r.text for r in answers)
    assert [phone.get_cookie(PASS_COOKIE) for phone in phones] == [None] * 5
    prober = app.test_client()  # a made-up pass from the same address is still counted
    assert [prober.get(f"/d/{secrets.token_urlsafe(24)}").status_code for _ in range(4)] == [404] * 3 + [429]


def test_an_expired_hall_code_is_not_a_failure(limits_on):
    app = limits_on
    meeting, _ = hall_of(1)
    phone = app.test_client()
    old = hallcode.path_for(meeting.id, now=datetime(2024, 6, 27).timestamp())
    assert {phone.get(old).status_code for _ in range(50)} == {410}  # this morning's tab, reopened by a hall


def test_one_pass_looping_is_refused_after_its_own_limit(limits_on):
    app = limits_on
    meeting, (token, other) = hall_of(2)
    limit = int(app.config["RATELIMIT_PASS"].split()[0])
    phone = app.test_client()
    statuses = [phone.get(f"/d/{token}?part=speak").status_code for _ in range(limit + 1)]
    assert statuses == [200] * limit + [429]
    assert phone.get(f"/d/{token}/checkin").status_code == 429  # every link of this pass
    assert phone.get(f"/d/{other}?part=speak").status_code == 200  # the next phone's pass is not


def test_the_memory_store_still_expires_counters_but_clears_them_out_seldom(limits_on, monkeypatch):
    """Without Redis the counters live in this process (limit_store.py): an expired window no
    longer counts as soon as it expires, and the clean-up that frees its memory runs every
    SWEEP_SECONDS, not 10 ms after each hit (it walks every key: a thousand phones' after a storm)."""
    import time

    from limits import parse

    from meetingday.limit_store import SWEEP_SECONDS, SweptMemoryStorage

    store, strategy = limiter.storage, limiter.limiter
    assert isinstance(store, SweptMemoryStorage)
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    limit = parse("2 per minute")
    assert [strategy.hit(limit, "t", "pass") for _ in range(3)] == [True, True, False]
    assert store.timer.interval == SWEEP_SECONDS and store.timer.daemon
    now[0] += 61
    assert strategy.test(limit, "t", "pass")  # expired before any clean-up
    assert store.events
    store.sweep()
    assert not store.events  # and then forgotten


def test_rate_limit_settings_come_from_the_environment(monkeypatch, tmp_path):
    from meetingday.config import Config

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("SOCKETIO_MESSAGE_QUEUE", raising=False)
    assert Config.from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "swept-memory://"
    monkeypatch.setenv("SOCKETIO_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0")
    assert Config.from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("RATELIMIT_PASS", "5 per minute")
    monkeypatch.setenv("RATELIMIT_FAILURES", "7 per minute")
    values = Config.from_environment(tmp_path)
    assert values["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (values["RATELIMIT_PASS"], values["RATELIMIT_FAILURES"]) == ("5 per minute", "7 per minute")
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "1048576")
    monkeypatch.setenv("IMPORT_MAX_ROWS", "500")
    values = Config.from_environment(tmp_path)
    assert (values["MAX_CONTENT_LENGTH"], values["IMPORT_MAX_ROWS"]) == (1048576, 500)


@pytest.mark.parametrize("name, value", [
    ("RATELIMIT_PASS", "120 per minit"), ("RATELIMIT_FAILURES", "30/fortnight"),
    ("RATELIMIT_LOGIN_ACCOUNT", "5 per 5 phút"), ("MAX_CONTENT_LENGTH", "5MB"),
    ("IMPORT_MAX_ROWS", "0"), ("PROXY_HOPS", "-1"), ("LIVE_PUSH_INTERVAL", "nhanh"),
])
def test_a_mistyped_setting_stops_the_start_in_one_line(monkeypatch, tmp_path, name, value):
    """A limit that does not parse would otherwise be no limit at all (the store's errors are
    swallowed); a number that does not parse, a traceback."""
    from meetingday.config import Config
    from meetingday.startup import Fault

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv(name, value)
    with pytest.raises(Fault) as e:
        Config.from_environment(tmp_path)
    assert str(e.value.code).startswith(f"meetingday: {name}={value!r} is not valid: expected ")
