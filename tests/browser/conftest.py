"""Chromium tests of the screens: the browser, a live server per app, login, screenshots.

The fixtures live in fixtures.py; helpers such as login() are imported from there."""
from tests.browser.fixtures import LAPTOP, PHONE, _live_servers, browser, live_server, login, new_page, page, shot  # noqa: F401
