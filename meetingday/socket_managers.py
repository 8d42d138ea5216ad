"""Socket.IO client managers that can end every connection in a room, in every server process.

python-socketio keeps rooms per process. Through a message queue it forwards ``emit``,
``close_room`` and ``disconnect(sid)`` to every process, but it cannot disconnect a whole room:
a process only knows the members it holds itself. ``disconnect_room(room)`` here disconnects the
members this process holds and sends a ``close_room`` message flagged ``disconnect`` through the
queue; every other process disconnects the members it holds, then closes the room as usual.

A revoked display key or pass ends its screens this way (``live.disconnect_display``,
``live.disconnect_passes``): each such screen sits in a room of its own credential.
"""
from __future__ import annotations

import socketio


class _DisconnectsRooms:
    def _disconnect_members(self, room: str, namespace: str) -> None:
        for sid, _eio_sid in list(self.get_participants(namespace, room)):
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class Manager(_DisconnectsRooms, socketio.Manager):
    """One server process: the room's members are all here."""

    def disconnect_room(self, room: str, namespace: str | None = None) -> None:
        self._disconnect_members(room, namespace or "/")


class _PubSub(_DisconnectsRooms):
    """Mixed into a python-socketio pub/sub manager (Redis, Kombu, ...)."""

    def disconnect_room(self, room: str, namespace: str | None = None) -> None:
        message = {"method": "close_room", "room": room, "namespace": namespace or "/",
                   "host_id": self.host_id, "disconnect": True}
        self._handle_close_room(message)  # the members in this process
        self._publish(message)  # and in every other

    def _handle_close_room(self, message: dict) -> None:
        if message.get("disconnect"):
            self._disconnect_members(message.get("room"), message.get("namespace") or "/")
        super()._handle_close_room(message)


def _queue_class(url: str) -> type:
    """The manager Flask-SocketIO would choose for this message queue URL."""
    if url.startswith(("redis://", "rediss://")):
        return socketio.RedisManager
    if url.startswith("kafka://"):
        return socketio.KafkaManager
    if url.startswith("zmq"):
        return socketio.ZmqManager
    return socketio.KombuManager


def client_manager(message_queue: str | None, channel: str = "flask-socketio"):
    """A manager with ``disconnect_room``: in memory, or on the message queue at this URL."""
    if not message_queue:
        return Manager()
    base = _queue_class(message_queue)
    return type(f"Disconnecting{base.__name__}", (_PubSub, base), {})(message_queue, channel=channel)
