"""Security headers on every response, and Secure cookies exactly when the request came over HTTPS.

Flask-Talisman sets, on every Flask response (pages, fragments, JSON, errors): the
Content-Security-Policy below, X-Content-Type-Options, X-Frame-Options and Referrer-Policy.
Static files are answered by WhiteNoise before Flask (static_files.py), which adds the same
headers with ``for_static``.
The policy allows only the app's own scripts and styles: no inline <script>, no on…= handler,
no style= attribute, no <style> element, no eval (htmx runs with allowEval off,
templates/base.html). Scripts may still set element.style.

Two things are decided here rather than by Talisman, because they must follow the scheme of the
request as the trusted proxies report it (PROXY_HOPS, app.behind_proxies): Talisman takes them
from configuration, or from an X-Forwarded-Proto header that any client can send. The hall's
usual set-up is one laptop over plain http on the LAN, where a Secure cookie would never come
back; behind an HTTPS proxy every cookie is Secure and Strict-Transport-Security is sent, on
every response (``by_scheme``, a WSGI middleware, so static files too).
"""
from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # the empty favicon (data:,); QR codes are inline SVG or /d/<token>/qr.svg
    "connect-src": "'self'",  # htmx, and the live socket (same-origin ws: and wss: included)
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",  # no page of the app is shown in a frame
}
# Same-origin requests keep their Referer (Flask-WTF's CSRF check asks for it over HTTPS); no
# other site is ever told a page's address, such as a pass link with its token.
REFERRER_POLICY = "same-origin"
HSTS = "max-age=31536000"  # one year; browsers ignore it on an IP address and over plain http

talisman = Talisman()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a response marked ``same_for_every_cookie``
    (see cookie_independent) does not vary with the Cookie header: a phone's cache may reuse it
    whatever cookies the phone has gained since (the pass's QR code)."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if getattr(response, "same_for_every_cookie", False):
            response.vary.discard("cookie")  # lower case: HeaderSet.remove compares its entries lowered


def cookie_independent(response: Response) -> Response:
    """Mark `response` as the same whatever cookies were sent (see SessionInterface)."""
    response.same_for_every_cookie = True
    return response


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    talisman.init_app(
        app,
        content_security_policy=POLICY,
        frame_options="DENY",
        referrer_policy=REFERRER_POLICY,
        force_https=False,  # plain http on the hall LAN is the default set-up
        strict_transport_security=False,  # below, from the request's own scheme
        session_cookie_secure=False,  # by_scheme, from the request's own scheme
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )


def for_static(headers) -> None:
    """The headers Talisman gives Flask's responses, on a static file WhiteNoise answers."""
    headers["Content-Security-Policy"] = "; ".join(f"{name} {sources}" for name, sources in POLICY.items())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = REFERRER_POLICY


def by_scheme(wsgi_app):
    """WSGI middleware: over HTTPS, every cookie the app sets (the session, Flask-Login's remember
    cookie, the language, the hall visit) is marked Secure and every response carries
    Strict-Transport-Security; over plain http neither. Wrapped inside the proxy fix, so "HTTPS"
    means what the trusted proxies say."""
    def app(environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            headers.append(("Strict-Transport-Security", HSTS))
            return start_response(status, headers, exc_info)
        return wsgi_app(environ, start)
    return app


def _secure(cookie: str) -> str:
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    return cookie if "secure" in attributes else cookie + "; Secure"


def private_page(html: str, status: int = 200) -> Response:
    """A page of a link that is itself a credential (a delegate's pass, a unit's submission link):
    kept out of shared caches, and out of other sites' Referer (the Referrer-Policy above)."""
    return Response(html, status=status, headers={"Cache-Control": "private, no-store"})
