"""The floor for bench/fanout.py: the same frame written to every websocket by the least code.

A gevent server on one core (no monkey-patching: gevent's own sockets). A websocket client gets
the Engine.IO open packet and its Socket.IO connect answered (the lean clients of
bench/_sio_client.py expect both) and is added to one list; POST /next builds the same "swap"
event as bench/reference_server.py ({"now": server ms, "swaps": [...]}, about --message-bytes),
frames it ONCE as a websocket text frame and writes those bytes to every socket in turn. No
rooms, no queues, no per-socket encoding, no pings: what is left is the system calls.

Run: python bench/floor_server.py --port 5902 --message-bytes 2000
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import struct
import time

from gevent import socket
from gevent.server import StreamServer

from reference_server import fragment

from meetingday.fanout import text_frame as frame  # the same bytes meetingday writes

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OPEN = '0{"sid":"floor","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'


def read_frame(rfile) -> tuple[int, bytes] | None:
    """(opcode, payload) of the next client frame (masked), None at the end."""
    head = rfile.read(2)
    if len(head) < 2:
        return None
    n = head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", rfile.read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", rfile.read(8))[0]
    mask = rfile.read(4)
    data = bytearray(rfile.read(n))
    for i in range(len(data)):
        data[i] ^= mask[i % 4]
    return head[0] & 0x0F, bytes(data)


class Floor:
    def __init__(self, message_bytes: int):
        self.html = fragment(message_bytes)
        self.sockets: list[socket.socket] = []

    def handle(self, sock: socket.socket, _address) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rfile = sock.makefile("rb")
        request = rfile.readline()
        headers = {}
        while (line := rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        path = request.split()[1].decode() if len(request.split()) > 1 else "/"
        if headers.get("upgrade", "").lower() == "websocket":
            self.websocket(sock, rfile, headers)
        elif path.startswith("/next"):
            rfile.read(int(headers.get("content-length") or 0))
            self.push()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        else:
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        sock.close()

    def websocket(self, sock, rfile, headers) -> None:
        accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + GUID).digest())
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        sock.sendall(frame(OPEN))
        while (got := read_frame(rfile)) is not None:
            opcode, data = got
            if opcode == 8:  # close: answer it and end
                sock.sendall(b"\x88\x00")
                break
            if opcode == 1 and data.startswith(b"40"):  # Socket.IO connect: answer, then count it
                sock.sendall(frame('40{"sid":"floor"}'))
                self.sockets.append(sock)
        if sock in self.sockets:
            self.sockets.remove(sock)

    def push(self) -> None:
        payload = {"now": int(time.time() * 1000), "swaps": [{"target": "#live-agenda", "html": self.html}]}
        data = frame("42" + json.dumps(["swap", payload], separators=(",", ":")))
        for sock in list(self.sockets):
            try:
                sock.sendall(data)
            except OSError:
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5902)
    parser.add_argument("--message-bytes", type=int, default=2000)
    args = parser.parse_args()
    StreamServer((args.host, args.port), Floor(args.message_bytes).handle, backlog=4096).serve_forever()


if __name__ == "__main__":
    main()
