"""Chromium tests of the screens: the browser, a live server per app, login, screenshots.

The fixtures live in fixtures.py so that tests/test_qr.py can use the same ones."""
from tests.browser.fixtures import LAPTOP, PHONE, _live_servers, browser, live_server, login, new_page, page, shot  # noqa: F401
