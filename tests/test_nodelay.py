"""The gevent server's connections have Nagle's algorithm off (meetingday/nodelay.py): with it on,
the end of each answer on a kept-alive connection waited for the client's delayed ACK (~40 ms)."""
from __future__ import annotations

import socket
import threading

import gevent
from gevent import pywsgi

from meetingday.nodelay import NoDelayHandler, server_options


def _serve_once(handler_class) -> list[int]:
    """Serve one request with gevent (in a thread of its own, as the server's hub) and return the
    TCP_NODELAY value its connection had while the request was handled."""
    seen: list[int] = []

    class Recording(handler_class):
        def handle_one_request(self):
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            return super().handle_one_request()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    ports: list[int] = []
    ready, done = threading.Event(), threading.Event()

    def run():  # the server and its hub live in this thread
        server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=Recording, log=None)
        server.start()
        ports.append(server.server_port)
        ready.set()
        while not done.is_set():
            gevent.sleep(0.01)
        server.stop(timeout=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    with socket.create_connection(("127.0.0.1", ports[0]), timeout=10) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while not answer.endswith(b"ok") and (chunk := client.recv(4096)):
            answer += chunk
    done.set()
    thread.join(10)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")
    return seen


def test_meetingday_serve_uses_the_handler_that_turns_nagle_off():
    assert server_options() == {"handler_class": NoDelayHandler}


def test_a_connection_to_the_handler_has_tcp_nodelay_set():
    assert [bool(v) for v in _serve_once(NoDelayHandler)] == [True]


def test_without_it_gevent_leaves_nagle_on():
    assert [bool(v) for v in _serve_once(pywsgi.WSGIHandler)] == [False]
