"""Static files for phones on weak Wi-Fi: pages link versioned names, served precompressed and
cached for a year; plain names still answer and are revalidated; pages are compressed too."""
from __future__ import annotations

import gzip
import re

import brotli

from meetingday import static_files
from meetingday.config import ROOT
from meetingday.services import checkin, hallcode

STATIC_URL = re.compile(r"""(?:src|href|data-reader-src)="(/static/[^"]+)\"""")
VERSIONED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(?:js|css)$")


def _pass_page(client, meeting):
    token = meeting.invitees[0].active_token.token
    return token, client.get(f"/d/{token}")


def test_the_pass_page_links_versioned_static_files_served_compressed_and_immutable(app, demo_meeting):
    client = app.test_client()
    _token, page = _pass_page(client, demo_meeting)
    urls = STATIC_URL.findall(page.text)
    assert len(urls) >= 8 and all(VERSIONED.match(u) for u in urls), urls
    for url in urls:
        source = (ROOT / "static" / re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url[len("/static/"):])).read_bytes()
        plain = client.get(url)
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers and plain.data == source
        assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        gz = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})  # plain HTTP: what Chromium offers
        assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == source, url
        assert gz.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in gz.headers["Vary"]
        br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})  # over HTTPS
        assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == source, url


def test_a_plain_static_name_still_answers_and_is_revalidated(app):
    client = app.test_client()
    r = client.get("/static/css/app.css")
    assert r.status_code == 200 and r.data == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert r.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/app.css", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_pages_and_fragments_are_compressed_when_the_browser_accepts_it(app, demo_meeting):
    client = app.test_client()
    token, page = _pass_page(client, demo_meeting)
    assert "Content-Encoding" not in page.headers
    zipped = client.get(f"/d/{token}", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip" and len(zipped.data) < len(page.data) / 2
    assert gzip.decompress(zipped.data).decode().count("/static/") == page.text.count("/static/")
    assert zipped.headers["Cache-Control"] == "private, no-store"  # the pass stays out of caches


def test_the_pass_page_reloads_its_regions_in_one_request(app, demo_meeting):
    client = app.test_client()
    token, page = _pass_page(client, demo_meeting)
    assert 'data-live-regions="?part=all"' in page.text
    every = client.get(f"/d/{token}?part=all")
    regions = re.findall(r'<section id="([\w-]+)"[^>]*hx-swap-oob="true"', every.text)
    live = re.findall(r'<section id="([\w-]+)"[^>]*data-live-src=', page.text)
    assert regions == live == ["pass-confirm", "pass-checkin", "pass-now", "pass-speak", "pass-closing",
                               "pass-queue", "pass-programme"]
    assert every.headers["Cache-Control"] == "private, no-store"


def test_the_hall_page_loads_the_qr_reader_only_when_the_camera_starts(app, demo_meeting):
    checkin.open_checkin(demo_meeting, actor="test")
    page = app.test_client().get(hallcode.path_for(demo_meeting.id))
    assert page.status_code == 200
    assert "jsQR" not in " ".join(re.findall(r"<script[^>]*>", page.text))
    reader = re.search(r'data-reader-src="([^"]+)"', page.text).group(1)
    assert re.match(r"^/static/vendor/jsqr/jsQR\.[0-9a-f]{12}\.js$", reader)


def test_a_changed_file_gets_a_new_name_and_the_old_one_stays(tmp_path):
    source, target = tmp_path / "static", tmp_path / "build"
    (source / "js").mkdir(parents=True)
    (source / "js" / "a.js").write_text("var a = 1;\n" * 200)
    (source / "refresh.sh").write_text("#!/bin/sh\n")
    first = static_files.build(source, target)
    assert list(first) == ["js/a.js"]  # scripts for people, not for browsers, are not versioned
    built = target / first["js/a.js"]
    assert {p.name for p in built.parent.iterdir()} == {built.name, built.name + ".gz", built.name + ".br"}
    stamp = built.stat().st_mtime_ns
    assert static_files.build(source, target) == first and built.stat().st_mtime_ns == stamp  # not rewritten
    (source / "js" / "a.js").write_text("var a = 2;\n" * 200)
    second = static_files.build(source, target)
    assert second["js/a.js"] != first["js/a.js"] and built.exists()  # a page still open keeps its file
