"""Security headers on every kind of response; Secure cookies and HSTS exactly when behind HTTPS.

The browser side (every screen works under the policy) is checked by every test in tests/browser:
its fixtures fail a test whose page reports a Content-Security-Policy violation."""
from __future__ import annotations

import pytest

from meetingday.app import behind_proxies
from tests.conftest import PASSWORD, form_csrf, make_user, page_csrf

FROM_HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.168.1.57"}

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    parts = (part.split() for part in response.headers["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.fixture()
def token(demo_meeting):
    return next(p.active_token.token for p in demo_meeting.invitees if p.active_token)


@pytest.fixture()
def proxied(app, monkeypatch):
    """The app as `PROXY_HOPS=1` builds it: one trusted proxy in front."""
    monkeypatch.setattr(app, "wsgi_app", behind_proxies(app.wsgi_app, 1))
    return app


def every_kind(client, token: str, headers: dict | None = None) -> dict:
    headers = headers or {}
    return {
        "page": client.get("/login", headers=headers),
        "htmx fragment": client.get(f"/d/{token}?part=programme", headers={"HX-Request": "true", **headers}),
        "static file": client.get("/static/js/app.js", headers=headers),
        "JSON": client.get("/healthz", headers=headers),
        "error page": client.get("/khong-co-trang-nay", headers=headers),
        "pass page": client.get(f"/d/{token}", headers=headers),
    }


def test_every_kind_of_response_carries_the_security_headers(client, token):
    for kind, response in every_kind(client, token).items():
        assert response.status_code == (404 if kind == "error page" else 200), kind
        assert policy(response) == POLICY, kind  # no 'unsafe-inline', no 'unsafe-eval'
        assert response.headers["X-Content-Type-Options"] == "nosniff", kind
        assert response.headers["X-Frame-Options"] == "DENY", kind
        # Never "no-referrer": over HTTPS, Flask-WTF refuses a POST without a same-origin Referer.
        assert response.headers["Referrer-Policy"] == "same-origin", kind
        assert "Strict-Transport-Security" not in response.headers, kind  # plain http


def test_behind_https_every_response_has_hsts(proxied, token):
    for kind, response in every_kind(proxied.test_client(), token, FROM_HTTPS_PROXY).items():
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", kind
        assert response.headers["X-Frame-Options"] == "DENY", kind


def _log_in(client, headers: dict) -> list[str]:
    """Log in with "remember me"; the Set-Cookie headers of the answer."""
    make_user("vanphong")
    token = form_csrf(client.get("/login", headers=headers).text)
    response = client.post("/login", headers={**headers, "Referer": "https://localhost/login"},
                           data={"username": "vanphong", "password": PASSWORD,
                                 "remember": "y", "csrf_token": token})
    assert response.status_code == 302, response.text
    cookies = response.headers.getlist("Set-Cookie")
    cookies += client.get("/lang/en", headers=headers).headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} >= {"session", "remember_token", "lang"}
    return cookies


def _secure(cookie: str) -> bool:
    return "secure" in [part.strip().lower() for part in cookie.split(";")[1:]]


def test_cookies_are_secure_behind_https(proxied):
    client = proxied.test_client()
    cookies = _log_in(client, FROM_HTTPS_PROXY)
    assert all(_secure(c) for c in cookies), cookies
    assert "Strict-Transport-Security" in client.get("/", headers=FROM_HTTPS_PROXY).headers


def test_cookies_are_not_secure_over_plain_http(client):
    # The hall LAN: one laptop at http://192.168.x.x. A Secure cookie would never come back.
    cookies = _log_in(client, {})
    assert not any(_secure(c) for c in cookies), cookies


def test_a_client_cannot_claim_https_without_a_trusted_proxy(client):
    """Without PROXY_HOPS, X-Forwarded-Proto is anyone's word: no Secure cookie, no HSTS."""
    cookies = _log_in(client, FROM_HTTPS_PROXY)
    assert not any(_secure(c) for c in cookies), cookies
    assert "Strict-Transport-Security" not in client.get("/login", headers=FROM_HTTPS_PROXY).headers


def test_the_pass_page_can_post_behind_https(proxied, token):
    """The phone sends the Referer its page's policy allows; Flask-WTF needs one over HTTPS."""
    client = proxied.test_client()
    page = client.get(f"/d/{token}", headers=FROM_HTTPS_PROXY)
    response = client.post(f"/d/{token}/speak", data={"item": "0"},
                           headers={**FROM_HTTPS_PROXY, "Referer": f"https://localhost/d/{token}",
                                    "X-CSRFToken": page_csrf(page.text),
                                    "Accept": "application/json"})
    assert response.json["error"] != "csrf", response.json
