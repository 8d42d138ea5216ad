"""The QR code on an invitation, read by an ordinary QR reader, opens that person's pass.

Chromium draws the code (the inline SVG on the printed invitation, and the pass's own
qr.svg); zxing-cpp reads the screenshot, as a phone camera app would."""
from __future__ import annotations

import io

import zxingcpp  # an ordinary QR reader (in the test extra)
from PIL import Image

from meetingday.models import Role
from tests.browser.fixtures import connected, login
from tests.conftest import make_user

PUBLIC = "http://hoitruong.local:5000"  # PUBLIC_BASE_URL of the test app


def decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def person(meeting, name: str):
    return next(p for p in meeting.invitees if p.full_name == name)


def assert_opens_pass(client, url: str, invitee) -> None:
    assert url == f"{PUBLIC}/d/{invitee.active_token.token}"
    response = client.get(url.removeprefix(PUBLIC))
    assert response.status_code == 200
    assert invitee.full_name in response.text
    assert invitee.meeting.title in response.text


def test_invitation_qr_opens_that_persons_pass(new_page, demo_meeting, client):
    make_user("kiemthu", Role.ADMIN)
    loc, other = person(demo_meeting, "Nguyễn Văn Lộc"), person(demo_meeting, "Nguyễn Văn Công")
    page = new_page()
    login(page, "kiemthu")
    page.goto(f"/meetings/{demo_meeting.id}/invitations")
    # The printed size (36 mm at 96 dpi, about 136 px), as a phone camera sees the paper.
    qr = page.locator(f"#invitation-{loc.id} .qr svg")
    texts = decode(qr.screenshot())
    assert texts == [f"{PUBLIC}/d/{loc.active_token.token}"]
    assert_opens_pass(client, texts[0], loc)
    assert texts != decode(page.locator(f"#invitation-{other.id} .qr svg").screenshot())


def test_pass_qr_svg_opens_the_same_pass(new_page, demo_meeting, client):
    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    token = loc.active_token.token
    page = new_page({"width": 360, "height": 740})
    page.goto(f"/d/{token}")
    connected(page)  # the page's regions reloaded once connected
    texts = decode(page.locator(".pass-qr img").screenshot())
    assert texts == [f"{PUBLIC}/d/{token}"]
    assert_opens_pass(client, texts[0], loc)

    response = page.goto(f"/d/{token}/qr.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert decode(page.locator("svg").screenshot()) == [f"{PUBLIC}/d/{token}"]


def test_decoder_rejects_a_blank_image():
    """The reader really reads: a blank picture gives no text (so the tests above can fail)."""
    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, format="PNG")
    assert decode(blank.getvalue()) == []
