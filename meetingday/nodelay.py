"""TCP_NODELAY on every connection of the gevent server, and the server itself (serve).

gevent's HTTP server leaves Nagle's algorithm on. On a kept-alive connection the end of each
answer then waits for the client's delayed acknowledgement, about 40 ms on Linux: measured on a
2-core machine, a bare Flask page on gevent answered one client 22 times a second at 44 ms each
(its process half idle), and 4,000 times a second at 0.24 ms each with TCP_NODELAY
(docs/benchmarks.md, "Check-in burst"). Every page, fragment and long-poll of meetingday paid
those 40 ms.
"""
from __future__ import annotations

import socket

from gevent import pywsgi

from .websocket import UNBUFFERED_INPUT


class NoDelayHandler(pywsgi.WSGIHandler):
    """gevent's request handler, with Nagle's algorithm off on its connection, which gives a
    websocket its connection without the 8 KB read buffer of HTTP requests, and ends the
    connection of a websocket when the websocket ends."""

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):  # not a TCP socket (a Unix socket): nothing to turn off
            pass
        return super().handle()

    def get_environ(self):
        environ = super().get_environ()
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            environ[UNBUFFERED_INPUT] = self._unbuffered
        return environ

    def _unbuffered(self):
        """The connection's reader without its buffer, and what the buffer held (what the client
        sent after its request, if anything), for a websocket that reads its socket itself
        (meetingday/websocket.py): the buffer would otherwise be kept for the whole life of the
        websocket."""
        timeout = self.socket.gettimeout()
        self.socket.settimeout(0.0)
        try:
            early = self.rfile.peek(1)  # what is buffered, or read now without waiting
        except OSError:
            early = b""
        finally:
            self.socket.settimeout(timeout)
        early = self.rfile.read(len(early)) if early else b""  # from the buffer: no waiting
        self.rfile = self.wsgi_input.rfile = self.environ["wsgi.input"] = self.rfile.detach()
        return self.rfile, early  # (the application may hold a copy of the environ: Flask-SocketIO does)

    def handle_one_response(self):
        super().handle_one_response()
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            # The websocket (simple-websocket, on this connection's socket) has ended: gevent,
            # which did not see the upgrade, would wait for another request on the connection,
            # and the client, which waits for the server to end the connection after the
            # closing handshake, would wait with it (10 s for the benchmark's clients).
            self.close_connection = True


def server_options() -> dict:
    """Keyword arguments for socketio.run() under gevent: our handler, unless gevent-websocket
    is installed (Flask-SocketIO then passes its own handler class)."""
    try:
        import geventwebsocket  # noqa: F401
    except ImportError:
        return {"handler_class": NoDelayHandler}
    return {}


def serve(app, listener) -> None:
    """Serve the Flask-SocketIO application on gevent from an open listening socket
    (meetingday/listener.py): what socketio.run does under gevent, which takes only a host and
    a port and would open the port only now."""
    from .extensions import socketio

    options = server_options()
    if not options:  # gevent-websocket is installed: its handler, as socketio.run picks it
        from geventwebsocket.handler import WebSocketHandler
        options = {"handler_class": WebSocketHandler}
    socketio.wsgi_server = pywsgi.WSGIServer(listener, app, log=None, **options)
    socketio.wsgi_server.serve_forever()
