"""The yardstick for bench/fanout.py: a bare python-socketio server on aiohttp.

Every Socket.IO client that connects joins one room; POST /next pushes one "swap" event of the
same shape as meetingday's ({"now": server ms, "swaps": [{"target", "html"}]}), about
--message-bytes on the wire, to that room. No database, no templates, no login: what is left is the
cost of the fan-out itself on this machine.

Run: python bench/reference_server.py --port 5900 --message-bytes 2000
"""
from __future__ import annotations

import argparse
import functools
import json
import time

import socketio
from aiohttp import web
from engineio.async_drivers import aiohttp as engineio_aiohttp


def fragment(message_bytes: int) -> str:
    """Programme-like HTML (Vietnamese, so it compresses as the real one does) that makes a
    swap event of about message_bytes on the wire (JSON escapes the diacritics)."""
    rows, i = [], 0
    while True:
        i += 1
        current = " current" if i == 3 else ""
        row = (f'<li class="item{current}" id="item-{i}"><span class="num">{i}.</span> '
               f'Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội, mục {i * 7 % 13}'
               f'<span class="time">{8 + i // 4:02d}:{i * 15 % 60:02d}</span></li>')
        html = '<section id="live-agenda"><ol>' + "".join(rows + [row]) + "</ol></section>"
        if len(json.dumps(["swap", {"now": 0, "swaps": [{"target": "#live-agenda", "html": html}]}])) > message_bytes:
            return '<section id="live-agenda"><ol>' + "".join(rows) + "</ol></section>"
        rows.append(row)


def build(message_bytes: int) -> web.Application:
    # Like meetingday (meetingday/app.py), decline the permessage-deflate that clients offer.
    engineio_aiohttp.WebSocketResponse = functools.partial(web.WebSocketResponse, compress=False)
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
    app = web.Application()
    sio.attach(app)
    html = fragment(message_bytes)

    @sio.on("connect")
    async def connect(sid, environ, auth=None):
        await sio.enter_room(sid, "public")

    async def push(request: web.Request) -> web.Response:
        payload = {"now": int(time.time() * 1000), "swaps": [{"target": "#live-agenda", "html": html}]}
        await sio.emit("swap", payload, to="public")
        return web.json_response({"ok": True})

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post("/next", push)
    app.router.add_get("/healthz", health)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5900)
    parser.add_argument("--message-bytes", type=int, default=2000)
    args = parser.parse_args()
    web.run_app(build(args.message_bytes), host=args.host, port=args.port, print=None,
                access_log=None, backlog=4096)


if __name__ == "__main__":
    main()
