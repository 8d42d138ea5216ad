"""Behind a reverse proxy: each phone is known by its own address, only when told to trust it."""
from __future__ import annotations

from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from meetingday.app import behind_proxies
from meetingday.config import Config


@Request.application
def _echo(request):
    return Response(f"{request.remote_addr} {request.scheme}")


FORWARDED = {"X-Forwarded-For": "192.168.1.57", "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_without_proxies():
    client = Client(behind_proxies(_echo, 0))
    assert client.get("/", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.1"}).text == "10.0.0.1 http"


def test_one_proxy_in_front_gives_the_phones_address():
    client = Client(behind_proxies(_echo, 1))
    assert client.get("/", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.1"}).text == "192.168.1.57 https"
    # A phone cannot pretend to be another by sending its own header through the proxy:
    spoofed = {"X-Forwarded-For": "1.2.3.4, 192.168.1.57"}
    assert client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": "10.0.0.1"}).text.startswith("192.168.1.57 ")


def test_proxy_hops_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("PROXY_HOPS", raising=False)
    assert Config.from_environment(tmp_path)["PROXY_HOPS"] == 0
    monkeypatch.setenv("PROXY_HOPS", "1")
    assert Config.from_environment(tmp_path)["PROXY_HOPS"] == 1
