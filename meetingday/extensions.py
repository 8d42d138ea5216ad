"""Flask extensions, created once and bound to the app in create_app()."""
import flask_socketio
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from . import socket_managers, websocket

# Stable constraint names so that migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
compress = Compress()  # pages and fragments; static files come precompressed (static_files.py)


class SocketIO(flask_socketio.SocketIO):
    """Flask-SocketIO, and events that python-socketio hands straight to their handler.

    Flask-SocketIO runs each event in a Flask request context built again from the connection's
    handshake (its session cookie opened, its URL matched): for the door's scans in a rush that
    cost as much server time as the rest of receiving and answering the event. A handler
    declared with ``on_plain`` is called as python-socketio calls it, ``handler(sid, *args)``,
    with no context; it sets up what it needs (sockets/door.py).

    Its client manager can also disconnect every member of a room, in every server process
    (``disconnect_room``, meetingday/socket_managers.py), and it encodes an event to a room once
    and writes the same websocket frame to every member (meetingday/fanout.py); under gevent
    its websockets are served lean (meetingday/websocket.py)."""

    def __init__(self, *args, **kwargs):
        self.plain_handlers: list[tuple[str, object]] = []
        super().__init__(*args, **kwargs)

    def on_plain(self, event: str):
        def decorator(handler):
            self.plain_handlers.append((event, handler))
            if self.server:
                self.server.on(event, handler)
            return handler
        return decorator

    def init_app(self, app, **kwargs):
        if "client_manager" not in kwargs:
            queue = kwargs.get("message_queue", self.server_options.get("message_queue"))
            kwargs["client_manager"] = socket_managers.client_manager(queue)
        super().init_app(app, **kwargs)
        websocket.install(self.server.eio)  # lean websockets, which write a push's frame as it is
        for event, handler in self.plain_handlers:  # every server this extension makes has them
            self.server.on(event, handler)

    def disconnect_room(self, room: str) -> None:
        """Disconnect every screen in ``room``, in every server process."""
        self.server.manager.disconnect_room(room, "/")


socketio = SocketIO()
