"""A push to a room is encoded once and the same websocket frame reaches every socket in it
(meetingday/fanout.py, through the client manager of meetingday/socket_managers.py), on a gevent
server as `meetingday serve` runs it."""
from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import socket
import threading
import struct

import engineio
import gevent
import socketio
from engineio import packet as eio_packet
from gevent import pywsgi

from meetingday import fanout, socket_managers, websocket
from meetingday.nodelay import NoDelayHandler

HTML = "<section id=\"live-agenda\">Báo cáo kết quả thực hiện nhiệm vụ</section>" * 40


def _server() -> socketio.Server:
    sio = socketio.Server(async_mode="gevent", client_manager=socket_managers.Manager())
    websocket.install(sio.eio)

    @sio.on("connect")
    def connect(sid, environ, auth=None):
        sio.enter_room(sid, "public")
    return sio


@contextlib.contextmanager
def _serving(sio: socketio.Server):
    """Serve with gevent in a thread of its own (its hub); yields the port and ``there(fn)``,
    which runs fn in that thread (emits belong with the server's greenlets) and returns."""
    ports: list[int] = []
    jobs: queue.Queue = queue.Queue()
    ready, done = threading.Event(), threading.Event()

    def run():
        server = pywsgi.WSGIServer(("127.0.0.1", 0), socketio.WSGIApp(sio), handler_class=NoDelayHandler,
                                   log=None)
        server.start()
        ports.append(server.server_port)
        ready.set()
        while not done.is_set():
            with contextlib.suppress(queue.Empty):
                fn, finished = jobs.get_nowait()
                fn()
                finished.set()
            gevent.sleep(0.005)
        server.stop(timeout=1)

    def there(fn) -> None:
        finished = threading.Event()
        jobs.put((fn, finished))
        assert finished.wait(10)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield ports[0], there
    finally:
        done.set()
        thread.join(10)


def _read_frame(sock: socket.socket, buffer: bytearray) -> bytes:
    """The next whole server frame (header included) from the socket."""
    while True:
        if len(buffer) >= 2:
            n, head = buffer[1] & 0x7F, 2
            if n == 126 and len(buffer) >= 4:
                n, head = struct.unpack("!H", buffer[2:4])[0], 4
            elif n == 127 and len(buffer) >= 10:
                n, head = struct.unpack("!Q", buffer[2:10])[0], 10
            if n < 126 or head > 2:
                if len(buffer) >= head + n:
                    frame = bytes(buffer[:head + n])
                    del buffer[:head + n]
                    return frame
        chunk = sock.recv(65536)
        assert chunk, "the server ended the connection"
        buffer += chunk


def _client_frame(text: str) -> bytes:
    data, mask = text.encode(), os.urandom(4)
    return struct.pack("!BB", 0x81, 0x80 | len(data)) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def _connect(port: int) -> tuple[socket.socket, bytearray]:
    """A websocket that joined the room: the 101 answer, Engine.IO's open, Socket.IO's connect."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16))
    sock.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + b"\r\n\r\n")
    buffer = bytearray()
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(4096)
    assert buffer.startswith(b"HTTP/1.1 101")
    del buffer[:buffer.index(b"\r\n\r\n") + 4]
    assert _read_frame(sock, buffer)[2:3] == b"0"  # Engine.IO open
    sock.sendall(_client_frame("40"))
    assert _read_frame(sock, buffer)[2:4] == b"40"  # Socket.IO connected
    return sock, buffer


def test_a_push_reaches_every_socket_of_the_room_as_one_frame_encoded_once(monkeypatch):
    sio = _server()
    with _serving(sio) as (port, there):
        clients = [_connect(port) for _ in range(3)]
        encoded = []
        real_encode = eio_packet.Packet.encode
        monkeypatch.setattr(eio_packet.Packet, "encode",
                            lambda self, b64=False: encoded.append(self) or real_encode(self, b64))
        there(lambda: sio.emit("swap", {"now": 1, "swaps": [{"target": "#live-agenda", "html": HTML}]},
                               to="public"))
        monkeypatch.undo()
        frames = [_read_frame(sock, buffer) for sock, buffer in clients]
        for sock, _ in clients:
            sock.close()
    assert frames[0] == frames[1] == frames[2]
    text = frames[0][4:].decode()  # a text frame of 126-65535 bytes: 4 bytes of header
    assert frames[0][0] == 0x81 and text.startswith('42["swap",')
    assert json.loads(text[2:])[1]["swaps"][0]["html"] == HTML
    # Once for the three sockets (python-socketio's own path encodes it once per socket).
    assert len(encoded) == 1


def test_a_socket_that_is_busy_gets_the_frame_after_what_is_ahead_of_it():
    sio = _server()
    with _serving(sio) as (port, there):
        sock, buffer = _connect(port)

        def two():
            eio_sid = next(iter(sio.eio.sockets))
            sio.eio.sockets[eio_sid].send(eio_packet.Packet(eio_packet.MESSAGE, '2["first"]'))  # queued
            sio.emit("second", to="public")
        there(two)
        got = [_read_frame(sock, buffer)[2:].decode(), _read_frame(sock, buffer)[2:].decode()]
        sock.close()
    assert got == ['42["first"]', '42["second"]']


def test_without_an_engineio_socket_the_packet_goes_the_usual_way():
    # Flask-SocketIO's test client and long-polling sockets: python-socketio's own send.
    sio = _server()
    sent = []
    sio.eio.send_packet = lambda eio_sid, pkt: sent.append((eio_sid, pkt.encode()))
    sio.eio.sockets["e1"] = engineio.socket.Socket(sio.eio, "e1")
    fanout.deliver(sio.eio, "e1", eio_packet.Packet(eio_packet.MESSAGE, "x"), fanout.text_frame("4x"))
    assert sent == [("e1", "4x")]


def _held() -> dict:
    """What the server's connections hold now: running greenlets, open sockets, read buffers."""
    import gc
    import io

    from gevent import socket as gsocket

    objects = gc.get_objects()
    return {
        "greenlets": sum(1 for o in objects if isinstance(o, gevent.Greenlet) and o and not o.dead),
        "sockets": sum(1 for o in objects if isinstance(o, gsocket.socket) and o.fileno() >= 0),
        "read buffers": sum(1 for o in objects if isinstance(o, io.BufferedReader) and not o.closed
                            and isinstance(o.raw, socket.SocketIO)),
    }


def test_a_connected_websocket_holds_two_greenlets_one_socket_and_no_read_buffer():
    """Engine.IO's handler greenlet reads the socket itself and its writer sends: no reader
    greenlet, no second socket object, no greenlet asleep until the next ping, and no read buffer
    of the HTTP request kept (meetingday/websocket.py, meetingday/nodelay.py)."""
    sio = _server()
    with _serving(sio) as (port, there):
        before, after = {}, {}
        clients = [_connect(port)]  # the first also starts Engine.IO's service task
        there(lambda: before.update(_held()))
        clients += [_connect(port) for _ in range(3)]
        there(lambda: after.update(_held()))
        for sock, _ in clients:
            sock.close()
    assert {k: (after[k] - before[k]) / 3 for k in after} == {"greenlets": 2, "sockets": 1, "read buffers": 0}


def _client_control(opcode: int, payload: bytes = b"") -> bytes:
    mask = os.urandom(4)
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def test_pings_go_out_on_time_and_a_websocket_ping_is_answered():
    sio = socketio.Server(async_mode="gevent", client_manager=socket_managers.Manager(), ping_interval=0.2)
    websocket.install(sio.eio)
    with _serving(sio) as (port, _there):
        sock, buffer = _connect(port)
        pings = 0
        while pings < 2:  # Engine.IO's ping, answered; then the next one
            frame = _read_frame(sock, buffer)
            if frame[2:] == b"2":
                pings += 1
                sock.sendall(_client_frame("3"))
        sock.sendall(_client_control(0x9, b"hi"))  # a websocket ping: its pong
        while (frame := _read_frame(sock, buffer))[2:] == b"2":
            sock.sendall(_client_frame("3"))
        sock.close()
    assert frame == b"\x8a\x02hi"


def test_a_websocket_closed_by_its_client_is_answered_and_ended():
    sio = _server()
    with _serving(sio) as (port, _there):
        sock, buffer = _connect(port)
        sock.sendall(_client_control(0x8, (1000).to_bytes(2, "big")))
        frame = _read_frame(sock, buffer)
        rest = b""
        while chunk := sock.recv(4096):  # the server ends the connection (or the read times out)
            rest += chunk
        sock.close()
    assert frame[:1] == b"\x88" and rest == b""


def test_a_message_over_engineio_s_limit_ends_the_connection():
    sio = socketio.Server(async_mode="gevent", client_manager=socket_managers.Manager(), max_http_buffer_size=1000)
    websocket.install(sio.eio)
    with _serving(sio) as (port, _there):
        sock, buffer = _connect(port)
        # A frame that says it holds 10 MB: its first 4 KB are enough to end it, the server does
        # not wait for (and keep) the rest.
        data, mask = b"4" + b"x" * 4000, os.urandom(4)
        sock.sendall(struct.pack("!BBQ", 0x81, 0x80 | 127, 10_000_000) + mask
                     + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        received = bytes(buffer)
        while chunk := sock.recv(4096):  # until the server ends the connection (10 s at most)
            received += chunk
        sock.close()
    assert received.endswith(b"\x88\x02\x03\xe8")  # its closing handshake (1000), then the end


def test_a_frame_sent_right_behind_the_handshake_is_read():
    """The client's first frame may arrive with its request, in gevent's read buffer: the
    websocket, which reads the socket itself, still gets it."""
    sio = _server()
    with _serving(sio) as (port, _there):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16))
        sock.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + b"\r\n\r\n"
                     + _client_frame("40"))
        buffer = bytearray()
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(4096)
        del buffer[:buffer.index(b"\r\n\r\n") + 4]
        frames = [_read_frame(sock, buffer)[2:4], _read_frame(sock, buffer)[2:4]]
        sock.close()
    assert frames == [b"0{", b"40"]  # Engine.IO's open, then Socket.IO's connect answered
