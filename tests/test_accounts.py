"""Staff accounts: what ends a session (logging out, a new password, disabling the account) on
every device, the remember-me cookie and the live connection included; a staff member's own
password; the account commands; and the brake on password guessing."""
from __future__ import annotations

import time
import types
from unittest import mock
from datetime import datetime

import limits.storage.memory
import pytest

from meetingday import live
from meetingday.cli import main
from meetingday.models import Role, User
from meetingday.ratelimit import limiter
from meetingday.services import login_brake, meetings, users

from .conftest import PASSWORD, connect, csrf_token, form_csrf, fresh, login, make_user, refused

NEW_PASSWORD = "mat-khau-moi-2024"
LOCKED = "Đăng nhập sai quá nhiều lần. Xin thử lại sau {} phút."


def device(app, username: str, remember: bool = False):
    """A browser signed in as this account (with a remember-me cookie if asked)."""
    client = app.test_client()
    token = form_csrf(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                    "remember": "y" if remember else ""})
    assert r.status_code == 302
    return client


def copy_of(app, client, *names: str):
    """Another browser holding a copy of these cookies of `client` (as someone who copied them)."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def signed_out(client) -> bool:
    """The browser is sent to the login page, and an htmx request gets 401 with the way there."""
    page = client.get("/")
    fragment = client.get("/", headers={"HX-Request": "true"})
    return (page.status_code == 302 and page.headers["Location"].startswith("/login")
            and fragment.status_code == 401 and fragment.headers["HX-Redirect"].startswith("/login"))


def test_logout_ends_every_session_of_the_account(app):
    make_user("thuky", Role.SECRETARY)
    make_user("chutri", Role.CHAIR)
    laptop = device(app, "thuky", remember=True)
    tablet = device(app, "thuky")
    copied_session = copy_of(app, laptop, "session")
    copied_remember = copy_of(app, laptop, "remember_token")
    chair = device(app, "chutri")
    for client in (laptop, tablet, copied_session, copied_remember, chair):
        assert client.get("/").status_code == 200

    assert laptop.post("/logout", data={"csrf_token": csrf_token(laptop)}).status_code == 302

    assert signed_out(laptop)
    assert signed_out(copied_session)  # a session cookie copied before the logout
    assert signed_out(copied_remember)  # the remember-me cookie copied before it
    assert signed_out(tablet)  # the same account on another device
    assert chair.get("/").status_code == 200  # another account goes on
    assert device(app, "thuky").get("/").status_code == 200  # logging in again works


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app):
    make_user("thuky", Role.SECRETARY)
    laptop = device(app, "thuky", remember=True)
    tablet = device(app, "thuky", remember=True)
    copied_remember = copy_of(app, tablet, "remember_token")
    page = laptop.get("/account/password")
    assert page.status_code == 200 and "Đổi mật khẩu" in page.text

    r = laptop.post("/account/password", data={"csrf_token": form_csrf(page.text), "current_password": PASSWORD,
                                                "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})

    assert r.status_code == 302
    assert laptop.get("/").status_code == 200  # the device that changed it goes on
    assert copy_of(app, laptop, "remember_token").get("/").status_code == 200  # with a new remember-me cookie
    assert signed_out(tablet)
    assert signed_out(copied_remember)
    assert login(app.test_client(), "thuky").status_code == 401  # the old password no longer opens it
    assert login(app.test_client(), "thuky", NEW_PASSWORD).status_code == 302


def test_a_disabled_account_is_signed_out_everywhere_and_cannot_log_in(app):
    make_user("letan", Role.DOOR)
    tablet = device(app, "letan", remember=True)
    copied_remember = copy_of(app, tablet, "remember_token")

    users.set_active("letan", False, actor="test")

    assert signed_out(tablet)
    assert signed_out(copied_remember)
    assert login(app.test_client(), "letan").status_code == 401
    users.set_active("letan", True, actor="test")
    assert signed_out(tablet)  # enabling it again does not bring old sessions back
    assert login(app.test_client(), "letan").status_code == 302


def _meeting():
    return meetings.create_meeting({"title": "Hội nghị trực báo", "host_body": "Thường trực HĐND thị xã",
                                    "issuing_body": "HĐND THỊ XÃ", "place": "Hội trường",
                                    "starts_at": datetime(2024, 6, 27, 0, 30)}, actor="test")


def test_a_logged_out_session_cannot_open_a_live_connection(app):
    meeting = _meeting()
    make_user("chutri", Role.CHAIR)
    tablet = device(app, "chutri")
    copied = copy_of(app, tablet, "session")
    auth = {"meeting": meeting.id, "locale": "vi"}
    before = connect(app, auth, flask_test_client=copied)
    assert before.is_connected()
    before.disconnect()

    tablet.post("/logout", data={"csrf_token": csrf_token(tablet)})

    assert not connect(app, auth, flask_test_client=copied).is_connected()


@pytest.mark.parametrize("ending", ["logout", "password", "disable"])
def test_ending_an_accounts_sessions_cuts_its_open_live_connections(app, ending):
    meeting = _meeting()
    make_user("chutri", Role.CHAIR)
    make_user("thuky", Role.SECRETARY)
    auth = {"meeting": meeting.id, "locale": "vi"}
    tablet = device(app, "chutri")
    chair_screen = connect(app, auth, flask_test_client=tablet)
    other_account = connect(app, auth, flask_test_client=device(app, "thuky"))
    assert chair_screen.is_connected() and other_account.is_connected()

    if ending == "logout":
        tablet.post("/logout", data={"csrf_token": csrf_token(tablet)})
    elif ending == "password":
        users.set_password("chutri", NEW_PASSWORD, actor="cli")
    else:
        users.set_active("chutri", False, actor="cli")

    assert not chair_screen.is_connected()
    assert other_account.is_connected()


def test_changing_ones_password_is_refused_with_the_reason_and_changes_nothing(app):
    user = make_user("thuky", Role.SECRETARY)
    version = user.session_version
    refused("password_wrong", users.change_password, user, "khong-phai", NEW_PASSWORD, NEW_PASSWORD)
    refused("password_too_short", users.change_password, user, PASSWORD, "ngan", "ngan")
    refused("password_mismatch", users.change_password, user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert fresh(User, user.id).session_version == version

    laptop = device(app, "thuky")
    r = laptop.post("/account/password", data={"csrf_token": csrf_token(laptop, "/account/password"),
                                                "current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                "new_password_again": "khac-han"})
    assert r.status_code == 400 and "Hai lần nhập mật khẩu mới không giống nhau." in r.text
    assert laptop.get("/").status_code == 200


def test_the_minimum_password_length_is_said_once(app, monkeypatch):
    """The rule, its message and the form's minlength follow one setting."""
    user = make_user("thuky", Role.SECRETARY)
    monkeypatch.setattr(users, "MIN_PASSWORD", 20)
    e = refused("password_too_short", users.change_password, user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert str(e.message) == "Mật khẩu phải có ít nhất 20 ký tự."
    page = device(app, "thuky").get("/account/password").text
    assert page.count('minlength="20"') == 2


def test_the_account_commands(app):
    make_user("letan", Role.DOOR)
    tablet = device(app, "letan")
    runner = app.test_cli_runner()

    r = runner.invoke(main, ["set-password", "letan"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert r.exit_code == 0, r.output
    assert signed_out(tablet)
    assert login(app.test_client(), "letan", NEW_PASSWORD).status_code == 302

    r = runner.invoke(main, ["disable-user", "letan"])
    assert r.exit_code == 0, r.output
    assert login(app.test_client(), "letan", NEW_PASSWORD).status_code == 401
    r = runner.invoke(main, ["enable-user", "letan"])
    assert r.exit_code == 0, r.output
    assert login(app.test_client(), "letan", NEW_PASSWORD).status_code == 302

    r = runner.invoke(main, ["disable-user", "khongco"])
    assert r.exit_code != 0 and "Không có tài khoản này." in r.output
    r = runner.invoke(main, ["set-password", "letan", "--password", "ngan"])
    assert r.exit_code != 0 and "Mật khẩu phải có ít nhất 8 ký tự." in r.output


# --------------------------------------------------------------------------- the brake on guessing

class Clock:
    """The limit store's clock (and the brake's), moved forward by the test instead of waited for."""

    def __init__(self):
        self.offset = 0.0
        self.module = types.SimpleNamespace(time=lambda: time.time() + self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture()
def brake(app, monkeypatch):
    saved = {k: app.config.get(k) for k in ("RATELIMIT_IN_TESTS", "RATELIMIT_LOGIN_ACCOUNT",
                                            "RATELIMIT_LOGIN_ADDRESS")}
    app.config.update(RATELIMIT_IN_TESTS=True, RATELIMIT_LOGIN_ACCOUNT="3 per 5 minutes; 5 per 30 minutes",
                      RATELIMIT_LOGIN_ADDRESS="8 per 5 minutes")
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock.module)
    monkeypatch.setattr(login_brake, "time", clock.module)
    limiter.reset()
    yield clock
    app.config.update(saved)
    limiter.reset()


def test_guessing_one_accounts_password_is_braked_for_a_short_growing_time(app, brake):
    make_user("thuky", Role.SECRETARY)
    make_user("chutri", Role.CHAIR)
    guesser = app.test_client()

    assert [login(guesser, "thuky", f"sai-{i}").status_code for i in range(3)] == [401, 401, 401]
    r = login(guesser, "thuky", PASSWORD)  # the right password too, while braked
    assert r.status_code == 429 and LOCKED.format(5) in r.text
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "192.168.1.23"
    assert login(colleague, "thuky", PASSWORD).status_code == 429  # the account, from anywhere
    assert login(app.test_client(), "chutri", PASSWORD).status_code == 302  # another account goes on

    brake.advance(4 * 60)
    assert LOCKED.format(1) in login(app.test_client(), "thuky", PASSWORD).text  # the time left, said
    brake.advance(61)
    assert login(guesser, "thuky", f"sai-{3}").status_code == 401  # the window has room again
    assert login(guesser, "thuky", f"sai-{4}").status_code == 401
    r = login(guesser, "thuky", PASSWORD)  # 5 in 30 minutes: the next rung, a longer wait
    assert r.status_code == 429 and LOCKED.format(25) in r.text
    brake.advance(25 * 60)
    assert login(app.test_client(), "thuky", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_accounts_count(app, brake):
    make_user("thuky", Role.SECRETARY)
    client = app.test_client()
    assert [login(client, "thuky", "sai").status_code for _ in range(2)] == [401, 401]
    assert login(client, "thuky", PASSWORD).status_code == 302
    other = app.test_client()
    assert [login(other, "thuky", "sai").status_code for _ in range(3)] == [401, 401, 401]  # three again
    assert login(other, "thuky", "sai").status_code == 429


def test_guessing_many_accounts_from_one_address_is_braked(app, brake):
    make_user("thuky", Role.SECRETARY)
    guesser = app.test_client()
    statuses = [login(guesser, f"tai-khoan-{i}", "sai-mat-khau").status_code for i in range(8)]
    assert statuses == [401] * 8  # a wrong guess each for eight accounts (none over its own limit)

    assert login(guesser, "thuky", PASSWORD).status_code == 429  # this address waits now
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "192.168.1.23"
    assert login(colleague, "thuky", PASSWORD).status_code == 302  # another address goes on
    brake.advance(5 * 60 + 1)
    assert login(guesser, "thuky", PASSWORD).status_code == 302


def test_a_connection_whose_session_ended_where_no_message_reached_is_swept(app):
    """A command beside a single SQLite server (no message queue) ends the sessions in the
    database only: the server's sweep finds the connections opened under the old version."""
    from meetingday.sockets import sessions

    meeting = _meeting()
    make_user("chutri", Role.CHAIR)
    make_user("thuky", Role.SECRETARY)
    auth = {"meeting": meeting.id, "locale": "vi"}
    chair_screen = connect(app, auth, flask_test_client=device(app, "chutri"))
    other_account = connect(app, auth, flask_test_client=device(app, "thuky"))
    sessions.sweep(app)  # (connections earlier tests left open, of accounts no longer in this database)
    assert chair_screen.is_connected() and other_account.is_connected()

    with mock.patch.object(live, "disconnect_account", lambda user_id: None):  # the cut never arrives
        users.set_active("chutri", False, actor="cli")

    assert chair_screen.is_connected()
    assert sessions.sweep(app) == 1
    assert not chair_screen.is_connected() and other_account.is_connected()
    assert sessions.sweep(app) == 0
