"""Socket.IO client managers that can end every connection in a room, in every server process.

python-socketio keeps rooms per process. Through a message queue it forwards ``emit``,
``close_room`` and ``disconnect(sid)`` to every process, but it cannot disconnect a whole room:
a process only knows the members it holds itself. ``disconnect_room(room)`` here disconnects the
members this process holds and sends a ``close_room`` message flagged ``disconnect`` through the
queue; every other process disconnects the members it holds, then closes the room as usual.

A revoked display key or pass ends its screens this way (``live.disconnect_display``,
``live.disconnect_passes``): each such screen sits in a room of its own credential.

Each process delivers an event to the members it holds by encoding the Socket.IO packet, the
Engine.IO packet and the websocket frame once, and handing the same bytes to every member
(``_EncodesOnce``, meetingday/fanout.py). ``may_have_members`` tells a push whether anyone can
be listening in a room: with one process the manager knows; through a message queue it cannot,
and says yes.
"""
from __future__ import annotations

import socketio
from engineio import packet as eio_packet
from socketio import packet

from . import fanout


class _EncodesOnce(socketio.Manager):
    """Delivers an event to this process's members of a room with its frame encoded once.

    Placed below python-socketio's pub/sub manager in the class order, it is also what that
    manager calls to deliver the events that arrive through the message queue."""

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if callback or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback,
                                **kwargs)
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event] + args).encode()
        if isinstance(encoded, list):  # binary attachments: several packets, the usual way
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, **kwargs)
        eio_pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = fanout.frame_for(eio_pkt)
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        eio = self.server.eio
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid not in skip:
                if eio_sid in eio.sockets:
                    fanout.deliver(eio, eio_sid, eio_pkt, frame)
                else:  # not one of this server's Engine.IO sockets (Flask-SocketIO's test client)
                    self.server._send_eio_packet(eio_sid, eio_pkt)


class _DisconnectsRooms:
    def _disconnect_members(self, room: str, namespace: str) -> None:
        for sid, _eio_sid in list(self.get_participants(namespace, room)):
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class Manager(_DisconnectsRooms, _EncodesOnce):
    """One server process: the room's members are all here."""

    def may_have_members(self, rooms: list[str], namespace: str = "/") -> bool:
        found = self.rooms.get(namespace, {})
        return any(found.get(r) for r in rooms)

    def disconnect_room(self, room: str, namespace: str | None = None) -> None:
        self._disconnect_members(room, namespace or "/")


class _PubSub(_DisconnectsRooms):
    """Mixed into a python-socketio pub/sub manager (Redis, Kombu, ...)."""

    def may_have_members(self, rooms: list[str], namespace: str = "/") -> bool:
        return True  # members in other processes are unknown here

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
    # (_PubSub, base, _EncodesOnce): python-socketio's pub/sub manager delivers through _EncodesOnce.
    return type(f"Disconnecting{base.__name__}", (_PubSub, base, _EncodesOnce), {})(message_queue, channel=channel)
