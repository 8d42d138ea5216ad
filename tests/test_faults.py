"""Faults said plainly, in the app's own words: the database lost while serving (the app's
page or message and 503, the door keeping its scan), and a form body that is not UTF-8."""
from __future__ import annotations

import contextlib
import contextvars
import io
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.private_files import private_sqlite
from meetingday.models import Organisation, Role
from meetingday.services import checkin

from .conftest import assert_unchanged, connect, csrf_token, database_down, db_snapshot, login, make_user

LOST = "Máy chủ tạm thời không kết nối được cơ sở dữ liệu"


@pytest.fixture()
def door_client(app, demo_meeting):
    checkin.open_checkin(demo_meeting, "test")
    make_user("cuavao", Role.DOOR)
    client = app.test_client()
    login(client, "cuavao")
    return client


@pytest.mark.both_databases
def test_a_lost_database_gets_the_apps_own_page_and_503(app, door_client, demo_meeting):
    meeting_id = demo_meeting.id
    token = csrf_token(door_client, f"/meetings/{meeting_id}/door")
    pass_link = f"/d/{demo_meeting.invitees[0].active_token.token}"
    phone = app.test_client()
    with database_down():
        page = door_client.get(f"/meetings/{meeting_id}/door")
        assert page.status_code == 503 and page.headers["Retry-After"]
        assert 'class="error-page"' in page.text and LOST in page.text and '<html lang="vi">' in page.text
        english = phone.get(f"{pass_link}?lang=en")  # a delegate's phone
        assert english.status_code == 503 and "cannot reach its database" in english.text
        assert LOST not in english.text
        # htmx: a message for the page's #flash, as for a refusal
        hx = door_client.post(f"/meetings/{meeting_id}/checkin/close",
                              headers={"HX-Request": "true", "X-CSRFToken": token})
        assert hx.status_code == 503 and hx.headers["HX-Retarget"] == "#flash"
        assert LOST in hx.text and "<html" not in hx.text
        # The door's scan sent as a POST: 503 and no check-in outcome, so door.js keeps it queued.
        scan = door_client.post(f"/meetings/{meeting_id}/door/scan", headers={"X-CSRFToken": token},
                                data={"code": "http://hoitruong.local:5000/d/abc", "nonce": "mat-csdl-01"})
        assert scan.status_code == 503 and "X-Checkin-Outcome" not in scan.headers
        assert phone.get("/healthz").status_code == 503
    # Back again: the same screen answers as before.
    assert door_client.get(f"/meetings/{meeting_id}/door").status_code == 200


def test_a_live_door_scan_while_the_database_is_lost_is_answered_503(app, door_client, demo_meeting):
    sio = connect(app, {"meeting": demo_meeting.id}, door_client)
    assert sio.is_connected()
    person = demo_meeting.invitees[0]
    code = f"http://hoitruong.local:5000/d/{person.active_token.token}"
    with database_down():
        answer = contextvars.Context().run(sio.emit, "door:scan", {"meeting": demo_meeting.id, "code": code,
                                                                  "nonce": "mat-csdl-02"}, callback=True)
    assert answer == {"outcome": None, "status": 503}  # door.js keeps the scan and says why
    sio.disconnect()


def test_a_form_that_is_not_utf8_is_refused_and_nothing_is_stored(admin_client):
    token = csrf_token(admin_client, "/organisations/")
    before = db_snapshot()
    page = admin_client.post("/organisations/", content_type="application/x-www-form-urlencoded",
                             data=f"csrf_token={token}&name=%FF%FE&short_name=&kind=other".encode())
    assert page.status_code == 400 and "không phải mã UTF-8" in page.text
    # The same in a multipart body (a file upload's form), from htmx: the message in #flash.
    body = io.BytesIO()
    for name, value in (("csrf_token", token.encode()), ("name", b"X\xff\xfe"), ("kind", b"other")):
        body.write(b"--b\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\"\r\n\r\n" + value + b"\r\n")
    body.write(b"--b--\r\n")
    hx = admin_client.post("/organisations/", data=body.getvalue(), content_type="multipart/form-data; boundary=b",
                           headers={"HX-Request": "true", "X-CSRFToken": token, "X-Page-Lang": "en"})
    assert hx.status_code == 400 and hx.headers["HX-Retarget"] == "#flash" and "UTF-8" in hx.text
    assert_unchanged(before)
    assert db.session.scalar(select(func.count()).where(Organisation.name.contains("%FF"))) == 0
    # Text typed as "%FF%FE" is fine: it arrives percent-encoded, and is valid UTF-8.
    ok = admin_client.post("/organisations/", data={"csrf_token": token, "name": "Tổ %FF%FE", "kind": "other"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert ok.status_code == 200


def test_an_sqlite_database_and_its_wal_are_private_after_a_write(tmp_path):
    """Made 0600 before SQLite creates it, whatever the umask; SQLite gives its -wal and -shm the
    database's mode. A database an older version left 0644 is made 0600, with its -wal and -shm."""
    old_umask = os.umask(0o022)
    try:
        old = tmp_path / "old.sqlite3"
        with contextlib.closing(sqlite3.connect(old)) as conn:  # as an older version left it
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE t (x)")
            conn.execute("INSERT INTO t VALUES (1)")
            conn.commit()
            assert oct(old.stat().st_mode & 0o777) == "0o644"
            for path in (tmp_path / "new.sqlite3", old):
                private_sqlite(f"sqlite:///{path}")
                with contextlib.closing(sqlite3.connect(path)) as writer:
                    writer.execute("PRAGMA journal_mode=WAL")
                    writer.execute("CREATE TABLE IF NOT EXISTS t (x)")
                    writer.execute("INSERT INTO t VALUES (2)")
                    writer.commit()
                    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
                    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == \
                        {p.name: "0o600" for p in files}
    finally:
        os.umask(old_umask)


def test_an_unexpected_database_error_on_a_pass_link_logs_no_token(app, demo_meeting, monkeypatch, caplog):
    """A bug's 500 is logged with the route (/d/<token>) and the statement without its parameters."""
    from sqlalchemy import text

    from meetingday.services import passes

    token = demo_meeting.invitees[0].active_token.token
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # logged and answered 500, as when serving
    monkeypatch.setattr(passes, "find_row", lambda token: db.session.execute(
        text("INSERT INTO pass_tokens (token) VALUES (:token)"), {"token": token}))  # NOT NULL: not a lost database
    assert app.test_client().get(f"/d/{token}").status_code == 500
    assert "Exception on /d/<token> [GET]" in caplog.text and "IntegrityError" in caplog.text
    assert token not in caplog.text


def test_a_command_beside_the_server_never_takes_the_servers_wal_away(app, tmp_path):
    """A new connection of the server must not drop the locks its open connections hold on the
    database: a command run beside it (another process) that closes its own last connection would
    otherwise take the database for unused and delete the -wal file the server still writes to,
    and the server's later writes would be lost to every other process and to the next start."""
    from sqlalchemy import create_engine, event, text

    path = tmp_path / "served.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    event.listen(engine, "do_connect", lambda *_: private_sqlite(url))  # as create_app listens
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))
    wal = path.with_name(path.name + "-wal")
    beside = ("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
              "print(c.execute('SELECT count(*) FROM t').fetchone()[0])\nc.close()\n")
    with engine.connect() as first:
        first.execute(text("CREATE TABLE t (x)"))
        first.execute(text("INSERT INTO t VALUES (1)"))
        first.commit()
        with engine.connect() as second:  # a second connection of the server opens
            second.execute(text("SELECT 1"))
            subprocess.run([sys.executable, "-c", beside, str(path)], check=True, capture_output=True)
            assert wal.exists(), "the command beside the server deleted the server's -wal"
            second.execute(text("INSERT INTO t VALUES (2)"))
            second.commit()
            seen = subprocess.run([sys.executable, "-c", beside, str(path)], check=True, capture_output=True,
                                  text=True).stdout.strip()
            assert seen == "2"  # the server's write after the command is there for everyone
    engine.dispose()
