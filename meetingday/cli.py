"""The `meetingday` command: demo, serve, create-user, set-password, disable-user, enable-user,
export-passes, export-unit-links (plus Flask's and Migrate's)."""
from __future__ import annotations

import csv
import gc
import io
import logging
import os
import socket
import sys
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from . import startup
from .app import MIGRATIONS, create_app
from .errors import DomainError
from .extensions import db, socketio
from .listener import DEFAULT_HOST, DEFAULT_PORT
from .models import Meeting, Role


def prepare_database() -> None:
    """Create or bring the schema up to date (SQLite file in instance/ when missing). A database
    that cannot be reached ends the command with one line naming it (startup.py)."""
    with startup.reachable_database(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        upgrade(directory=str(MIGRATIONS))


def _before_serving(app) -> None:
    """One server per SQLite file, the message queue answering, the schema up to date; a fault
    in one line and exit status 1 (startup.py)."""
    startup.one_server_per_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    startup.message_queue_answers(app.config.get("SOCKETIO_MESSAGE_QUEUE"))
    prepare_database()


def _serve(app, host: str, port: int) -> None:
    # Flask refuses app.run() inside its own CLI; this command is meant to serve.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    # Request lines would put delegates' pass tokens (/d/<token>) in the log: keep warnings only.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    click.echo(f"meetingday: {socketio.server.eio.async_mode} server, live updates over websocket.")
    sys.stdout.flush()
    # What is loaded by now lives as long as the process: keep the garbage collector's full
    # passes off it (they made the slowest pushes to 1,000 screens 2-3x slower; docs/benchmarks.md).
    gc.collect()
    gc.freeze()
    from .sockets import sessions
    socketio.start_background_task(sessions.sweep_forever, app)  # staff sessions ended elsewhere
    if socketio.server.eio.async_mode == "gevent":
        from . import listener, nodelay
        nodelay.serve(app, listener.take(host, port))  # the port the launcher opened at once
        return
    socketio.run(app, host=host, port=port, debug=False, use_reloader=False,
                 log_output=False, allow_unsafe_werkzeug=True)


def _public_base(app, host: str, port: int) -> str:
    """The address to print and to put in QR codes: PUBLIC_BASE_URL, else this machine's LAN
    address when serving on every interface, else the host given."""
    if not app.config.get("PUBLIC_BASE_URL") and host in ("0.0.0.0", "::", ""):
        lan = lan_address()
        if lan:
            app.config["PUBLIC_BASE_URL"] = f"http://{lan}:{port}"
    return app.config.get("PUBLIC_BASE_URL") or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True, add_version_option=False)
def main():
    """meetingday: run the day of a council conference."""


@main.command("demo")
@click.option("--host", default=DEFAULT_HOST, show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
def demo_command(host: str, port: int):
    """Load the demo meeting (once) into its own database (instance/demo.sqlite3) and serve it.
    The meeting is dated today and starts at the next five minutes."""
    from .services import demo, demo_drafts, display_key, units

    app = create_app(demo=True)
    with app.app_context():
        _before_serving(app)
        meeting = demo.load_demo(demo.start_now())
        if not meeting.display_key:  # the projector needs no account: it opens a display link
            display_key.rotate_display_key(meeting, actor="demo")
        base = _public_base(app, host, port)
        sample = next((i for i in meeting.invitees if i.active_token), None)
        lines = [
            f"meetingday: demo meeting “{meeting.title}” is ready ({_database_label()}).",
            "",
            "Screens:",
            f"  Staff login ............ {base}/login",
            f"  Meetings ............... {base}/",
            f"  Meeting overview ....... {base}/meetings/{meeting.id}",
            f"  Programme (agenda) ..... {base}/meetings/{meeting.id}/agenda/",
            f"  Invitees ............... {base}/meetings/{meeting.id}/invitees/",
            f"  Import invitees ........ {base}/meetings/{meeting.id}/import/",
            f"  Invitations (print) .... {base}/meetings/{meeting.id}/invitations",
            f"  Door check-in .......... {base}/meetings/{meeting.id}/door",
            f"  Attendance ............. {base}/meetings/{meeting.id}/attendance",
            f"  Chair's tablet ......... {base}/meetings/{meeting.id}/chair",
            f"  Speaker list ........... {base}/meetings/{meeting.id}/speakers",
            f"  Secretary's desk ....... {base}/meetings/{meeting.id}/desk",
            f"  Kiến nghị .............. {base}/meetings/{meeting.id}/kien-nghi",
            f"  Units' reports ......... {base}/meetings/{meeting.id}/units",
            f"  Documents .............. {base}/meetings/{meeting.id}/documents",
            f"  A Ban's answers ........ {base}/meetings/{meeting.id}/ban",
            f"  Hall projector ......... {base}/display/{meeting.display_key}",
            f"  Projector state (JSON) . {base}/display/{meeting.display_key}/state.json",
        ]
        if sample:
            lines.append(f"  A delegate's pass ...... {base}/d/{sample.active_token.token}")
        unit = next((u for u in units.listing(meeting.id) if u.asks_kien_nghi and u.active_link), None)
        if unit:
            lines.append(f"  A unit's link .......... {base}/u/{unit.active_link.token}  ({unit.organisation.short_name})")
        lines += [f"  Health ................. {base}/healthz", "",
                  f"Demo logins (password: {demo.DEMO_PASSWORD}; for the demo only):"]
        lines += [f"  {u:<10} {', '.join(r.value for r in roles)}" for u, _n, roles in demo.DEMO_USERS]
        lines += [f"  {u:<10} ban ({name})" for u, name, _key in demo_drafts.DEMO_BAN_ACCOUNTS]
        lines += ["", f"Serving on http://{host}:{port} (Ctrl+C to stop)."]
        click.echo("\n".join(lines))
        sys.stdout.flush()
    _serve(app, host, port)


@main.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int):
    """Serve without demo data (the schema is created or upgraded first)."""
    app = current_app._get_current_object()
    _before_serving(app)
    base = _public_base(app, host, port)
    links = app.config.get("PUBLIC_BASE_URL") or f"the address each request comes in on (e.g. {base})"
    click.echo(f"meetingday: serving on http://{host}:{port} ({_database_label()}); "
               f"staff log in at {base}/login; pass links use {links}")
    sys.stdout.flush()
    _serve(app, host, port)


def _database_label() -> str:
    return db.engine.url.render_as_string(hide_password=True)


@main.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Full name shown on screens.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
@click.option("--organisation", default="",
              help='For the ban role: the Ban it answers for (key, name or short name, e.g. "Ban Pháp chế").')
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user_command(username: str, full_name: str, roles: tuple[str, ...], organisation: str, password: str):
    """Create a staff account with one or more roles (a Ban's account names its Ban)."""
    from .services import users

    prepare_database()
    try:
        user = users.create_user(username, full_name, password, roles, actor="cli", organisation=organisation)
    except DomainError as e:
        raise click.ClickException(str(e.message)) from None
    of = f" for {user.organisation.name}" if user.organisation else ""
    click.echo(f"Created user {user.username} with roles: {', '.join(sorted(r.value for r in user.roles))}{of}")


def _links_meeting(meeting_id: int | None, base_url: str | None) -> Meeting:
    """The meeting whose links are exported (`meeting_id`, else the newest), with the address the
    links use: --base-url, else PUBLIC_BASE_URL; refused when neither is set (the links would
    name this machine only)."""
    prepare_database()
    if base_url:
        current_app.config["PUBLIC_BASE_URL"] = base_url.rstrip("/")
    if not current_app.config.get("PUBLIC_BASE_URL"):
        raise click.ClickException("Set PUBLIC_BASE_URL or pass --base-url (the address phones reach, "
                                   "e.g. http://192.168.1.10:5000): the links would not open on a phone.")
    if meeting_id is None:
        meeting = db.session.scalar(select(Meeting).order_by(Meeting.starts_at.desc()))
    else:
        meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.ClickException("No such meeting.")
    return meeting


@contextmanager
def _csv_rows(output: str | None = None):
    """A CSV writer to stdout (or the file `output`), UTF-8 with a byte order mark so that Excel
    shows the Vietnamese letters, within a request context of the links' address."""
    from .services import passes

    target = open(output, "wb") if output else sys.stdout.buffer
    out = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        with current_app.test_request_context(base_url=passes.base_url()):
            yield csv.writer(out, lineterminator="\r\n")
        out.flush()
    finally:
        if output:
            out.close()
        else:
            out.detach()


@main.command("export-passes")
@click.option("--meeting", "meeting_id", type=int, help="Meeting id (default: the newest meeting).")
@click.option("--base-url", default=None, help="Address delegates' phones reach (default: PUBLIC_BASE_URL).")
@with_appcontext
def export_passes_command(meeting_id: int | None, base_url: str | None):
    """Print CSV (name, position, organisation, pass link) for sending invitations by message.

    UTF-8 with a byte order mark, so that Excel shows the Vietnamese letters."""
    from .services import invitees, passes
    from .services.tables import neutral

    meeting = _links_meeting(meeting_id, base_url)
    with _csv_rows() as writer:
        writer.writerow(["name", "position", "organisation", "pass_link"])
        for inv in invitees.invitation_list(meeting):
            writer.writerow([neutral(inv.full_name), neutral(inv.position),
                             neutral(inv.organisation.name if inv.organisation else ""),
                             passes.pass_url(inv.active_token.token)])


@main.command("export-unit-links")
@click.option("--meeting", "meeting_id", type=int, help="Meeting id (default: the newest meeting).")
@click.option("--base-url", default=None, help="Address the units reach (default: PUBLIC_BASE_URL).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of the screen.")
@with_appcontext
def export_unit_links_command(meeting_id: int | None, base_url: str | None, output: str | None):
    """Print CSV (unit, contact, link): each reporting unit's submission link, for sending by Zalo
    or SMS. Every body the plan asks for a report is given its unit and link first.

    UTF-8 with a byte order mark, so that Excel shows the Vietnamese letters."""
    from .services import units
    from .services.tables import neutral

    meeting = _links_meeting(meeting_id, base_url)
    listing = units.set_up(meeting.id, actor="cli")
    with _csv_rows(output) as writer:
        writer.writerow(["unit", "contact", "link"])
        for unit in listing:
            link = unit.active_link
            writer.writerow([neutral(unit.organisation.name), neutral(unit.contact),
                             units.link_url(link.token) if link else ""])
    if output:
        click.echo(f"Wrote the links of {len(listing)} units to {output}.", err=True)


def lan_address() -> str | None:
    """This machine's IPv4 address on the local network, if one can be found without traffic."""
    try:
        for *_rest, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            if not sockaddr[0].startswith(("127.", "169.254.")):  # loopback, no-DHCP link-local
                return sockaddr[0]
    except OSError:
        pass
    try:  # Linux: ask each interface
        import fcntl
        import struct
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _index, name in socket.if_nameindex():
                if name == "lo":
                    continue
                try:
                    packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
                except OSError:
                    continue
                address = socket.inet_ntoa(packed[20:24])
                if not address.startswith("169.254."):
                    return address
    except (ImportError, OSError):
        pass
    return None


# --------------------------------------------------------------------------- accounts

def _account_change(change, *args) -> None:
    prepare_database()
    try:
        change(*args, actor="cli")
    except DomainError as e:
        raise click.ClickException(str(e.message)) from None


@main.command("set-password")
@click.argument("username")
@click.password_option(help="Asked for (twice) when not given.")
@with_appcontext
def set_password_command(username: str, password: str):
    """Give an account a new password; its sessions end on every device."""
    from .services import users

    _account_change(users.set_password, username, password)
    click.echo(f"New password set for {username}; its sessions on every device have ended.")


@main.command("disable-user")
@click.argument("username")
@with_appcontext
def disable_user_command(username: str):
    """Disable an account: it can no longer log in and its sessions end on every device."""
    from .services import users

    _account_change(users.set_active, username, False)
    click.echo(f"Disabled {username}; its sessions on every device have ended.")


@main.command("enable-user")
@click.argument("username")
@with_appcontext
def enable_user_command(username: str):
    """Enable a disabled account again."""
    from .services import users

    _account_change(users.set_active, username, True)
    click.echo(f"Enabled {username}.")
