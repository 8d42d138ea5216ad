"""`meetingday export-unit-links`: each reporting unit's submission link as CSV, run in this
process on the test database (the subprocess runs of the other commands are in test_cli.py)."""
from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from meetingday.cli import export_unit_links_command
from meetingday.extensions import db
from meetingday.models import ReportingUnit
from meetingday.services import meetings, units
from meetingday.services.demo import MEETING


def export(app, *args):
    info = ScriptInfo(create_app=lambda: app)
    return CliRunner().invoke(export_unit_links_command, list(args), obj=info, catch_exceptions=False)


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 by its byte order mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture()
def two_meetings(demo_meeting):
    """The demo meeting (its units set up) and an older one whose units were never set up."""
    older = {**MEETING, "starts_at": demo_meeting.starts_at.replace(year=2023), "reports_due": None}
    other = meetings.create_meeting(older, actor="test")
    return demo_meeting, other


def test_the_links_of_the_newest_meeting(app, two_meetings, monkeypatch):
    demo, _other = two_meetings
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    result = export(app)
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output  # links must open on a phone
    phu_chau = next(u for u in units.listing(demo.id) if u.organisation.short_name == "Xã Phổ Châu")
    units.set_contact(demo.id, phu_chau.id, "Ông Lê Văn Hòa, 0905 111 222", "")
    result = export(app, "--base-url", "http://192.168.1.10:5000/")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout_bytes)
    assert rows[0] == ["unit", "contact", "link"]
    listing = units.listing(demo.id)
    assert [r[0] for r in rows[1:]] == [u.organisation.name for u in listing]
    assert all(re.fullmatch(r"http://192\.168\.1\.10:5000/u/[A-Za-z0-9_-]{32}", r[2]) for r in rows[1:])
    mine = next(r for r in rows if r[0] == phu_chau.organisation.name)
    assert mine[1:] == ["Ông Lê Văn Hòa, 0905 111 222", f"http://192.168.1.10:5000/u/{phu_chau.active_link.token}"]


def test_another_meeting_gets_its_units_first_and_a_file(app, two_meetings, tmp_path):
    demo, other = two_meetings
    assert units.listing(other.id) == []
    target = tmp_path / "lien-ket.csv"
    result = export(app, "--meeting", str(other.id), "-o", str(target))
    assert result.exit_code == 0, result.output
    rows = rows_of(target.read_bytes())
    made = units.listing(other.id)
    assert len(made) == len(units.listing(demo.id)) and len(rows) == len(made) + 1
    tokens = {u.active_link.token for u in made}
    assert {r[2].rsplit("/", 1)[1] for r in rows[1:]} == tokens
    assert all(r[2].startswith("http://hoitruong.local:5000/u/") for r in rows[1:])  # PUBLIC_BASE_URL
    # Run again: the same links (set_up keeps the units it already has).
    export(app, "--meeting", str(other.id), "-o", str(target))
    assert {r[2].rsplit("/", 1)[1] for r in rows_of(target.read_bytes())[1:]} == tokens
    assert db.session.query(ReportingUnit).filter_by(meeting_id=other.id).count() == len(made)
    assert export(app, "--meeting", "999999").exit_code != 0
