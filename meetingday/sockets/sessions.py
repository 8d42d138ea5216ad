"""Staff connections whose session has ended are cut, even where no message reached them.

Logging out, a new password and a disabled account cut the account's connections at once
(live.disconnect_account), in every process through the message queue. A cut made where no message
can travel (``meetingday disable-user`` beside a single SQLite server, which has no queue), or
one lost on its way, would leave a tablet receiving staff pushes until it reconnects. So every
``SWEEP_SECONDS`` each server process looks at the staff connections it holds (the account
rooms, with the session version each connected with: door.remember_connection), reads those
accounts in one query, and disconnects the connections opened under an older session version or
by a disabled account. They reconnect, and are refused.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import live
from ..extensions import db, socketio
from ..models import User
from .door import CONNECTION

SWEEP_SECONDS = 30
NAMESPACE = "/"


def held() -> dict[str, tuple[int, int | None]]:
    """The staff connections this process holds: sid -> (account id, session version)."""
    rooms = socketio.server.manager.rooms.get(NAMESPACE, {})
    found = {}
    for name, members in list(rooms.items()):
        if not (isinstance(name, str) and name.startswith(live.ACCOUNT_ROOM_PREFIX)):
            continue
        for sid in list(members):
            environ = socketio.server.get_environ(sid, NAMESPACE) or {}
            known = environ.get(CONNECTION) or {}
            if known.get("user_id") is not None:
                found[sid] = (known["user_id"], known.get("session_version"))
    return found


def stale(connections: dict[str, tuple[int, int | None]]) -> list[str]:
    """Those opened under a session that has ended since (or by an account gone or disabled)."""
    if not connections:
        return []
    ids = {user_id for user_id, _ in connections.values()}
    now = {row.id: (row.session_version, row.active) for row in
           db.session.execute(select(User.id, User.session_version, User.active).where(User.id.in_(ids)))}
    db.session.rollback()  # a read only: end the transaction, release the connection
    return [sid for sid, (user_id, version) in connections.items()
            if user_id not in now or not now[user_id][1] or now[user_id][0] != version]


def sweep(app) -> int:
    """Disconnect this process's stale staff connections; how many."""
    with app.app_context():
        gone = stale(held())
    for sid in gone:
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return len(gone)


def sweep_forever(app) -> None:
    """A server process's background task (cli._serve)."""
    while True:
        socketio.sleep(SWEEP_SECONDS)
        try:
            sweep(app)
        except Exception:  # a database that stopped answering: try again next time
            app.logger.warning("staff connections sweep failed", exc_info=True)
