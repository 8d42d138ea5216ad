"""Engine.IO's websockets under gevent, lean: what each connected screen holds while it listens.

Engine.IO's gevent driver serves a websocket with simple-websocket, which duplicates the
connection's socket and starts a greenlet that reads it, while Engine.IO's handler greenlet waits
for what that greenlet read; Engine.IO adds a writer greenlet per socket, and for every ping a
greenlet that sleeps until the ping is due. A suspended greenlet holds about 8 KB (its slice of
the C stack and a chunk of Python frames), so a screen held four, about half of its memory.
Here (``install``):

- ``WebSocket`` answers the handshake itself (permessage-deflate is declined: meetingday/app.py
  removes the offer anyway) and is read by Engine.IO's handler greenlet itself, on the WSGI
  connection's own socket, with wsproto parsing the frames: no reader greenlet, no second
  socket object;
- a ``Frame`` (meetingday/fanout.py) is written as it is; the answer to a client's ping or close
  is written at once when no other greenlet is writing, else queued for the socket's writer, so
  that two greenlets never write at once;
- a ping is a timer of the event loop that starts a greenlet when the ping is due, not a
  greenlet asleep for the ping interval.

Engine.IO's writer greenlet stays: it sends what cannot be written at once.
"""
from __future__ import annotations

import socket
import time
from collections import deque

from engineio import packet as eio_packet
from engineio import socket as eio_socket
from wsproto import ConnectionType
from wsproto.connection import Connection, ConnectionState
from wsproto.events import BytesMessage, CloseConnection, Message, Ping, TextMessage
from wsproto.utilities import ProtocolError, generate_accept_token

from .fanout import Frame, FramePacket

RECEIVE_BYTES = 4096
# In a websocket request's environ, from gevent's handler (meetingday/nodelay.py): a function that
# returns the connection's reader without its read buffer, and the bytes that buffer held.
UNBUFFERED_INPUT = "meetingday.unbuffered_input"


class WebSocket:
    """The websocket of one Engine.IO socket (its ``frame_writer``): what Engine.IO's handler
    calls (``wait``, ``send``, ``close``), served on the WSGI connection's socket."""

    raw = True  # frames are written as they are (no compression negotiated)

    def __init__(self, handler, server):
        self.app = handler  # the Engine.IO socket's _websocket_handler
        self.sock = None
        self.connected = False
        self.sending = False  # a greenlet is in the middle of writing a frame
        self._conn = None
        self._received: deque = deque()
        self._parts: list = []

    def __call__(self, environ, start_response):
        key = environ.get("HTTP_SEC_WEBSOCKET_KEY", "")
        if (environ.get("HTTP_UPGRADE", "").lower() != "websocket" or not key
                or environ.get("HTTP_SEC_WEBSOCKET_VERSION") != "13"):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"not a websocket handshake"]
        unbuffered, early = environ.pop(UNBUFFERED_INPUT, None), b""
        if unbuffered is not None:  # no read buffer kept while the websocket lasts
            environ["wsgi.input"], early = unbuffered()
        self.sock = _socket_of(environ)
        self.sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Accept: " + generate_accept_token(key.encode()) + b"\r\n\r\n")
        self._conn = Connection(ConnectionType.SERVER)
        if early:  # frames the client sent right behind its request
            self._conn.receive_data(early)
            self._handle_events()
        self.connected = True
        self.app.__self__.frame_writer = self
        try:
            return self.app(self)
        finally:
            self.connected = False

    def wait(self):
        """The next message from the client; None once the connection has ended."""
        while not self._received:
            if not self.connected:
                return None
            try:
                data = self.sock.recv(RECEIVE_BYTES)
            except OSError:
                data = b""
            if not data:
                self.connected = False
                return None
            try:
                self._conn.receive_data(data)
                self._handle_events()
            except ProtocolError:
                self.connected = False
                return None
        return self._received.popleft()

    def _handle_events(self) -> None:
        for event in self._conn.events():
            if isinstance(event, (TextMessage, BytesMessage)):
                self._parts.append(event.data)
                if sum(len(part) for part in self._parts) > self.app.__self__.server.max_http_buffer_size:
                    self._parts = []
                    self.connected = False  # Engine.IO's limit (1 MB): the connection ends
                    return
                if event.message_finished:
                    parts, self._parts = self._parts, []
                    self._received.append(parts[0] if len(parts) == 1 else parts[0][:0].join(parts))
            elif isinstance(event, Ping):
                self._reply(self._conn.send(event.response()))
            elif isinstance(event, CloseConnection):
                if self._conn.state is ConnectionState.REMOTE_CLOSING:
                    self._reply(self._conn.send(event.response()))
                self.connected = False

    def _reply(self, data: bytes) -> None:
        """A control frame: written now without waiting if nobody is writing, else (or its rest)
        by the socket's writer, after what is ahead of it."""
        sent = 0
        if not self.sending:
            try:
                sent = self.sock.send(data, 0, timeout=0.0)  # never waits (gevent's socket)
            except BlockingIOError:
                sent = 0
        if sent < len(data):
            self.app.__self__.queue.put(FramePacket(Frame(data[sent:]), None))

    def _write(self, data: bytes) -> None:
        self.sending = True
        try:
            self.sock.sendall(data)
        finally:
            self.sending = False

    def send(self, message) -> None:
        """Write a message, or a ``Frame`` as it is (a push, or the rest of a control frame)."""
        if type(message) is not Frame:
            if self._conn is None or self._conn.state is not ConnectionState.OPEN:
                raise OSError("websocket closed")
            message = self._conn.send(Message(data=message) if isinstance(message, bytes)
                                      else TextMessage(data=str(message)))
        self._write(message)

    def close(self) -> None:
        """Send the closing handshake (unless the client began it) and end the connection: the
        handler's read ends, and gevent closes the connection (meetingday/nodelay.py)."""
        if self._conn is not None and self._conn.state is ConnectionState.OPEN:
            try:
                self._write(self._conn.send(CloseConnection(code=1000)))
            except OSError:
                pass
        self.connected = False
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _socket_of(environ):
    """The socket of gevent's WSGI connection, from its reader (buffered or not)."""
    stream = environ["wsgi.input"]
    stream = getattr(stream, "rfile", stream)
    return getattr(stream, "raw", stream)._sock


def _ping(sock) -> None:
    """Engine.IO's ``Socket._send_ping``, after its sleep."""
    if not sock.closing and not sock.closed:
        sock.last_ping = time.time()
        sock.send(eio_packet.Packet(eio_packet.PING))


def install(eio_server) -> None:
    """Serve this Engine.IO server's websockets with ``WebSocket``, and its pings with timers
    (gevent, where Engine.IO would use simple-websocket)."""
    if eio_server.async_mode != "gevent":
        return
    from engineio.async_drivers import gevent as eio_gevent

    if getattr(eio_gevent, "SimpleWebSocketWSGI", None) is None:  # gevent-websocket serves them
        return
    import gevent

    eio_server._async = dict(eio_server._async, websocket=WebSocket)
    start = eio_server.start_background_task

    def start_background_task(target, *args, **kwargs):
        if getattr(target, "__func__", None) is eio_socket.Socket._send_ping:
            # A timer of the event loop (which holds it while it runs), then a greenlet.
            timer = gevent.get_hub().loop.timer(eio_server.ping_interval)
            timer.start(gevent.spawn, _ping, target.__self__)
            return timer
        return start(target, *args, **kwargs)
    eio_server.start_background_task = start_background_task
