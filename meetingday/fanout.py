"""One push to many websockets: the frame is encoded once, and the same bytes go to every socket.

python-socketio encodes an event once per emit, but then hands it to each socket's Engine.IO
queue; a writer greenlet per socket wakes up, encodes the Engine.IO packet again and has wsproto
frame it again, for every socket. Under gevent, a push to a room here is instead:

- encoded once per emit: the Socket.IO packet, the Engine.IO packet and the websocket text frame
  around it (``text_frame``);
- written by the emitting greenlet straight to each socket that is idle (nothing queued, its
  writer not in the middle of a write), without waiting: one system call per socket;
- queued, as those same bytes, for a socket that is busy or whose kernel buffer is full (the
  rest of the frame): its writer sends it after what is ahead of it, so frames never interleave.

The websocket (``WebSocket``, meetingday/websocket.py) knows its Engine.IO socket
(``frame_writer``) and writes a ``Frame`` as it is. A socket that negotiated compression, a
long-polling one, or another async mode gets the packet the usual way (``deliver``). The client
managers (meetingday/socket_managers.py) use ``frame_for`` and ``deliver`` in their ``emit``.
"""
from __future__ import annotations

import struct

from engineio import packet as eio_packet


class Frame(bytes):
    """A complete websocket frame (header and payload), written to the socket as it is."""


def text_frame(text: str) -> Frame:
    """One unmasked, final websocket text frame, as a server sends it (RFC 6455, 5.2)."""
    data = text.encode()
    n = len(data)
    if n < 126:
        head = struct.pack("!BB", 0x81, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x81, 126, n)
    else:
        head = struct.pack("!BBQ", 0x81, 127, n)
    return Frame(head + data)


class FramePacket(eio_packet.Packet):
    """An Engine.IO message whose websocket frame is already made: the writer of a socket sends
    ``encode()``, which the websocket writes as it is."""

    def __init__(self, frame: Frame, data):
        super().__init__(eio_packet.MESSAGE, data)
        self.frame = frame

    def encode(self, b64=False):
        return self.frame


def frame_for(eio_pkt: eio_packet.Packet) -> Frame | None:
    """The websocket frame of a text Engine.IO packet (None for binary ones)."""
    text = eio_pkt.encode()
    return text_frame(text) if isinstance(text, str) else None


def deliver(eio_server, eio_sid: str, eio_pkt: eio_packet.Packet, frame: Frame | None) -> None:
    """Send ``eio_pkt`` (whose websocket frame is ``frame``) to one Engine.IO socket."""
    sock = eio_server.sockets.get(eio_sid)
    writer = getattr(sock, "frame_writer", None) if frame is not None else None
    if (writer is None or not writer.raw or not writer.connected or not sock.upgraded or sock.upgrading
            or sock.closing or sock.closed):
        eio_server.send_packet(eio_sid, eio_pkt)
        return
    if not sock.check_ping_timeout():  # gone: closed, as Engine.IO's own send does
        return
    if writer.sending or sock.queue.qsize():  # behind what is already on its way
        sock.queue.put(FramePacket(frame, eio_pkt.data))
        return
    try:
        sent = writer.sock.send(frame, 0, timeout=0.0)  # never waits (gevent's socket)
    except BlockingIOError:
        sent = 0
    except OSError:  # closing: its reader ends it
        return
    if sent < len(frame):  # the kernel's buffer is full: the writer sends the rest, first
        sock.queue.put(FramePacket(Frame(frame[sent:]), eio_pkt.data))
