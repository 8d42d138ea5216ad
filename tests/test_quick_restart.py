"""What makes a restart quick for the screens waiting on it (docs/benchmarks.md, "Reconnect
storm"): the port is open before the application loads, so a screen reconnecting meanwhile is
held by the kernel instead of refused (and sent back into its backoff); compiled templates are
kept between starts; python-docx is not loaded at start."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import types

import gevent
import gevent.socket
from gevent import pywsgi

from meetingday import launch, listener

from .serverproc import clean_env, free_port


def test_the_address_is_read_as_serve_and_demo_read_it():
    assert listener.address_from(["serve"]) == (listener.DEFAULT_HOST, listener.DEFAULT_PORT)
    assert listener.address_from(["serve", "--port", "5123"]) == ("127.0.0.1", 5123)
    assert listener.address_from(["demo", "--host=0.0.0.0", "--port=80"]) == ("0.0.0.0", 80)
    assert listener.address_from(["create-user", "an", "--role", "admin"]) is None
    assert listener.address_from(["serve", "--port", "eighty"]) is None  # click will say so
    assert listener.address_from([]) is None


def test_the_launcher_opens_the_port_before_it_loads_the_application(monkeypatch):
    port = free_port()
    seen = {}

    def fake_cli_main():  # stands for meetingday.cli: everything the server loads after
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            seen["connected"] = True

    monkeypatch.setattr(sys, "argv", ["meetingday", "serve", "--port", str(port)])
    monkeypatch.setattr(launch, "async_mode_for", lambda argv: "gevent")
    monkeypatch.setattr("gevent.monkey.patch_all", lambda: None)
    monkeypatch.setenv("SOCKETIO_ASYNC_MODE", "gevent")
    monkeypatch.setitem(sys.modules, "meetingday.cli", types.SimpleNamespace(main=fake_cli_main))
    try:
        launch.main()
    finally:
        listener.take("127.0.0.1", port).close()
    assert seen == {"connected": True}


def test_a_request_sent_before_the_server_runs_is_answered_once_it_does():
    port = free_port()
    listener.open_early(["serve", "--port", str(port)])
    client = socket.create_connection(("127.0.0.1", port), timeout=10)  # held by the kernel
    client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    done = threading.Event()

    def run():  # the server and its hub in a thread of their own
        early = listener.take("127.0.0.1", port)  # a gevent socket once `serve` has patched the standard library
        server = pywsgi.WSGIServer(gevent.socket.socket(early.family, early.type, fileno=early.detach()), app, log=None)
        server.start()
        while not done.is_set():
            gevent.sleep(0.01)
        server.stop(timeout=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    finally:
        client.close()
        done.set()
        thread.join(10)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")


def test_another_address_gets_a_socket_of_its_own():
    port, other = free_port(), free_port()
    listener.open_early(["serve", "--port", str(port)])
    sock = listener.take("127.0.0.1", other)
    try:
        assert sock.getsockname()[1] == other
    finally:
        sock.close()
    with socket.socket() as probe:  # the early one was closed
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_compiled_templates_are_kept_for_the_next_start(app):
    from meetingday import create_app

    app.jinja_env.get_template("base.html")  # compiled, and kept
    again = create_app(dict(app.config))
    compiled = []
    original = again.jinja_env.compile
    again.jinja_env.compile = lambda *a, **k: compiled.append(a) or original(*a, **k)
    again.jinja_env.get_template("base.html")
    assert compiled == []


def test_a_build_folder_that_cannot_be_written_only_loses_the_template_cache(app, tmp_path, monkeypatch, caplog):
    """A read-only checkout: the server starts and draws its pages, compiling templates each
    start. (Under a regular file no folder can be made, even by root.)"""
    from meetingday import app as factory

    blocker = tmp_path / "build"
    blocker.write_text("")
    monkeypatch.setattr(factory, "TEMPLATE_CACHE", blocker / "templates")
    again = factory.create_app(dict(app.config))
    assert again.jinja_env.bytecode_cache is None
    assert "compiled templates not kept" in caplog.text
    assert again.jinja_env.get_template("base.html")

    # a folder that stops being writable after the start: the template is drawn, not kept
    cache = tmp_path / "cache"
    monkeypatch.setattr(factory, "TEMPLATE_CACHE", cache)
    again = factory.create_app(dict(app.config))
    cache.rmdir()
    cache.write_text("")  # no file can be opened under it now
    assert again.jinja_env.get_template("base.html")


def test_the_server_starts_without_python_docx(tmp_path):
    code = ("import sys; from meetingday import create_app; create_app(); "
            "print('docx' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                       env=clean_env(tmp_path))
    assert r.stdout.strip() == "False"
