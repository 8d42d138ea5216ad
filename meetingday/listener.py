"""The gevent server's listening socket, opened before the application loads.

Started again after a crash, the server takes a second or more to import and build the
application. Every screen of the hall is trying to reconnect meanwhile: a connection refused
sends it back into socket.io-client's backoff (1 s, 2 s, 4 s, then 5 s, each ±50 %), so a
screen that tried one moment too early waited up to 5 s more after the server was ready. The
launcher (launch.py) therefore opens the port first, before anything else, as socket
activation would: the kernel accepts the connections of the returning screens and holds them
until the server answers (socket.io-client waits 20 s for its handshake). The queue is long
(BACKLOG; the kernel caps it at net.core.somaxconn): a hall's worth of screens arriving at
once is held, not dropped (gevent's own default is 128).
"""
from __future__ import annotations

import argparse
import socket

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 5000  # `serve` and `demo` (meetingday/cli.py)
BACKLOG = 4096

_early: tuple[tuple[str, int], socket.socket] | None = None


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # not ours to complain about: click will
        raise ValueError(message)


def address_from(argv: list[str]) -> tuple[str, int] | None:
    """The (host, port) that `serve` or `demo` in argv will listen on; None for other commands
    or arguments this cannot read (the server then opens its port itself, later)."""
    parser = _Parser(add_help=False)
    parser.add_argument("command")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", default=DEFAULT_PORT, type=int)
    try:
        known, _rest = parser.parse_known_args(argv)
    except ValueError:
        return None
    if known.command not in ("serve", "demo"):
        return None
    return known.host, known.port


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


def open_early(argv: list[str]) -> None:
    """Open the port `serve` or `demo` will serve on now; quietly nothing when it cannot be
    opened (in use: the server reports it when it opens the port itself)."""
    global _early
    address = address_from(argv)
    if address is None:
        return
    try:
        _early = (address, listen(*address))
    except OSError:
        _early = None


def take(host: str, port: int) -> socket.socket:
    """The socket to serve on: the one opened early for this address, else a new one."""
    global _early
    if _early is not None:
        address, sock = _early
        _early = None
        if address == (host, port):  # opened before gevent patched the socket module: wrap it now
            return socket.socket(sock.family, sock.type, fileno=sock.detach())
        sock.close()
    return listen(host, port)
