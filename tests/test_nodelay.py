"""The gevent server's connections have Nagle's algorithm off (meetingday/nodelay.py): with it on,
the end of each answer on a kept-alive connection waited for the client's delayed ACK (~40 ms).
And a websocket's connection ends when the websocket does."""
from __future__ import annotations

import base64
import contextlib
import os
import socket
import threading

import gevent
from gevent import pywsgi

from meetingday.nodelay import NoDelayHandler, server_options


@contextlib.contextmanager
def _serving(app, handler_class):
    """Serve `app` with gevent (in a thread of its own, as the server's hub); yields the port."""
    ports: list[int] = []
    ready, done = threading.Event(), threading.Event()

    def run():  # the server and its hub live in this thread
        server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=handler_class, log=None)
        server.start()
        ports.append(server.server_port)
        ready.set()
        while not done.is_set():
            gevent.sleep(0.01)
        server.stop(timeout=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield ports[0]
    finally:
        done.set()
        thread.join(10)


def _serve_once(handler_class) -> list[int]:
    """Serve one request and return the TCP_NODELAY value its connection had while the request
    was handled."""
    seen: list[int] = []

    class Recording(handler_class):
        def handle_one_request(self):
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            return super().handle_one_request()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    with _serving(app, Recording) as port, socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while not answer.endswith(b"ok") and (chunk := client.recv(4096)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")
    return seen


def test_meetingday_serve_uses_the_handler_that_turns_nagle_off():
    assert server_options() == {"handler_class": NoDelayHandler}


def test_a_connection_to_the_handler_has_tcp_nodelay_set():
    assert [bool(v) for v in _serve_once(NoDelayHandler)] == [True]


def test_without_it_gevent_leaves_nagle_on():
    assert [bool(v) for v in _serve_once(pywsgi.WSGIHandler)] == [False]


def _websocket_closed_by_client(handler_class, wait: float) -> tuple[bytes, bool]:
    """Open an Engine.IO websocket (as meetingday serve runs it: gevent, simple-websocket), send
    a close frame, and read until the server ends the connection; what was read, and whether the
    server ended it (False: it was still open `wait` seconds later)."""
    import engineio

    app = engineio.WSGIApp(engineio.Server(async_mode="gevent"))
    with _serving(app, handler_class) as port, socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        key = base64.b64encode(os.urandom(16))
        client.sendall(b"GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                       b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                       b"Sec-WebSocket-Key: " + key + b"\r\n\r\n")
        received = b""
        while b"\r\n\r\n" not in received or b"\x81" not in received.split(b"\r\n\r\n", 1)[1]:
            chunk = client.recv(4096)  # the 101 answer, then Engine.IO's open packet
            assert chunk, f"the server ended the connection before the websocket opened: {received!r}"
            received += chunk
        client.settimeout(wait)
        mask = os.urandom(4)
        payload = (1000).to_bytes(2, "big")
        client.sendall(b"\x88\x82" + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        try:
            while chunk := client.recv(4096):
                received += chunk
        except TimeoutError:
            return received, False
    return received, True


def test_a_websocket_connection_ends_with_its_closing_handshake():
    received, ended = _websocket_closed_by_client(NoDelayHandler, wait=10)
    assert received.startswith(b"HTTP/1.1 101")
    assert b"\x88" in received.split(b"\r\n\r\n", 1)[1]  # the server's close frame
    assert ended


def test_without_it_gevent_keeps_the_connection_of_an_ended_websocket():
    received, ended = _websocket_closed_by_client(pywsgi.WSGIHandler, wait=2)
    assert b"\x88" in received.split(b"\r\n\r\n", 1)[1]
    assert not ended
