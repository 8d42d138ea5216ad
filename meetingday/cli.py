"""The `meetingday` command: demo, serve, create-user, export-passes (plus Flask's and Migrate's)."""
from __future__ import annotations

import csv
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from .app import MIGRATIONS, create_app
from .errors import DomainError
from .extensions import db, socketio
from .models import Meeting, Role


def prepare_database() -> None:
    """Create or bring the schema up to date (SQLite file in instance/ when missing)."""
    upgrade(directory=str(MIGRATIONS))


def _serve(host: str, port: int) -> None:
    # Flask refuses app.run() inside its own CLI; this command is meant to serve.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(current_app, host=host, port=port, debug=False, use_reloader=False,
                 log_output=False, allow_unsafe_werkzeug=True)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True, add_version_option=False)
def main():
    """meetingday: run the day of a council conference."""


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo_command(host: str, port: int):
    """Load the demo meeting (once) and serve it."""
    from .services import demo

    prepare_database()
    meeting = demo.load_demo()
    base = current_app.config.get("PUBLIC_BASE_URL") or f"http://{_display_host(host)}:{port}"
    sample = next((i for i in meeting.invitees if i.active_token), None)
    lines = [
        f"meetingday: demo meeting “{meeting.title}” is ready.",
        "",
        "Screens:",
        f"  Staff login ............ {base}/login",
        f"  Meetings ............... {base}/",
        f"  Meeting overview ....... {base}/meetings/{meeting.id}",
        f"  Programme (agenda) ..... {base}/meetings/{meeting.id}/agenda/",
        f"  Invitees ............... {base}/meetings/{meeting.id}/invitees/",
        f"  Import invitees ........ {base}/meetings/{meeting.id}/import/",
        f"  Invitations (print) .... {base}/meetings/{meeting.id}/invitations",
    ]
    if sample:
        lines.append(f"  A delegate's pass ...... {base}/d/{sample.active_token.token}")
    lines += [f"  Health ................. {base}/healthz", "", f"Demo logins (password: {demo.DEMO_PASSWORD}):"]
    lines += [f"  {u:<10} {', '.join(r.value for r in roles)}" for u, _n, roles in demo.DEMO_USERS]
    lines += ["", f"Serving on http://{host}:{port} (Ctrl+C to stop)."]
    click.echo("\n".join(lines))
    sys.stdout.flush()
    _serve(host, port)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int):
    """Serve without demo data (the schema is created or upgraded first)."""
    prepare_database()
    click.echo(f"meetingday: serving on http://{host}:{port}")
    sys.stdout.flush()
    _serve(host, port)


@main.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Full name shown on screens.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user_command(username: str, full_name: str, roles: tuple[str, ...], password: str):
    """Create a staff account with one or more roles."""
    from .services import users

    prepare_database()
    try:
        user = users.create_user(username, full_name, password, roles, actor="cli")
    except DomainError as e:
        raise click.ClickException(str(e.message)) from None
    click.echo(f"Created user {user.username} with roles: {', '.join(sorted(r.value for r in user.roles))}")


@main.command("export-passes")
@click.option("--meeting", "meeting_id", type=int, help="Meeting id (default: the newest meeting).")
@with_appcontext
def export_passes_command(meeting_id: int | None):
    """Print CSV (name, position, organisation, pass link) for sending invitations by message."""
    from .services import passes

    if meeting_id is None:
        meeting = db.session.scalar(select(Meeting).order_by(Meeting.starts_at.desc()))
    else:
        meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.ClickException("No such meeting.")
    if not current_app.config.get("PUBLIC_BASE_URL"):
        click.echo("warning: PUBLIC_BASE_URL is not set; links use http://127.0.0.1:5000", err=True)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "position", "organisation", "pass_link"])
    with current_app.test_request_context(base_url=passes.base_url()):
        for inv in sorted(meeting.invitees, key=lambda i: i.id):
            if inv.active_token:
                writer.writerow([inv.full_name, inv.position, inv.organisation.name if inv.organisation else "",
                                 passes.pass_url(inv.active_token.token)])


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
