"""A staff member changes their own password, from their name at the top of every staff page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from meetingday.models import Role
from tests.browser.fixtures import PHONE, login
from tests.conftest import PASSWORD, make_user


def test_changing_ones_own_password(new_page, app, shot):
    make_user("letan", Role.DOOR)
    page = new_page(PHONE)  # door staff work from a phone or a tablet
    login(page, "letan")

    page.get_by_role("link", name="Letan").click()
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    page.fill("#current_password", PASSWORD)
    page.fill("#new_password", "mat-khau-moi-2024")
    page.fill("#new_password_again", "mat-khau-khac-2024")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field .error")).to_have_text("Hai lần nhập mật khẩu mới không giống nhau.")
    shot(page, "password-refused")

    page.fill("#current_password", PASSWORD)
    page.fill("#new_password", "mat-khau-moi-2024")
    page.fill("#new_password_again", "mat-khau-moi-2024")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#flash")).to_contain_text("Đã đổi mật khẩu.")
    shot(page, "password-changed")
