"""
Two-step login in a phone browser: set it up from Settings with the key the page shows (as an
authenticator app would), save the recovery codes, then log in with the app's code and with a
recovery code. Each page passes axe in light and dark and fits 360 px.
"""

from base64 import b32decode
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from diary.twostep import devices
from tests.browser.support import NARROW_PHONE, assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD
from tests.helpers import app_code, two_step_on

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check_page(page, what: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"{what} ({scheme})")
    page.emulate_media(color_scheme="light")
    assert_no_horizontal_scroll(page, what)


def test_setting_it_up_from_settings(logged_in_page, live_server, user):
    page = logged_in_page
    page.set_viewport_size(NARROW_PHONE)
    page.goto(live_server.url + reverse("settings"))
    page.get_by_role("link", name="Set up two-step login").tap()
    expect(page.get_by_role("heading", name="Set up two-step login")).to_be_visible()
    qr = page.get_by_role("img", name="QR code that adds Twitchlog to an authenticator app")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150  # big enough to scan from a screen
    page.get_by_text("Can’t scan it? Type the key instead").tap()
    check_page(page, "two-step set-up")

    # What an app does with the typed key: the key alone gives the code.
    key = page.locator("#twostep-secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    page.get_by_label("The 6-digit code your app shows").fill(code)
    page.get_by_role("button", name="Turn on two-step login").tap()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Two-step login is on.")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    check_page(page, "recovery codes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a text file").tap()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code in text for code in codes.all_inner_texts())
    page.get_by_role("button", name="I have saved them").tap()
    expect(page.get_by_text("On.", exact=True)).to_be_visible()
    expect(page.get_by_text("10 recovery codes left.", exact=False)).to_be_visible()
    assert devices.is_on(user)


def test_a_wrong_first_code_is_explained_on_the_page(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("twostep-setup"))
    page.get_by_label("The 6-digit code your app shows").fill("12345")
    page.get_by_role("button", name="Turn on two-step login").tap()
    error = page.get_by_text("Type the 6 digits your authenticator app shows, e.g. 123456.")
    expect(error).to_be_visible()
    field = page.get_by_label("The 6-digit code your app shows")
    expect(field).to_have_attribute("aria-invalid", "true")
    check_page(page, "two-step set-up with an error")
    assert not devices.is_on(user)


def log_in_with_password(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("login") + "?next=/trends/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()


def test_logging_in_with_the_code_and_with_a_recovery_code(page, live_server, user):
    device, recovery = two_step_on(user)
    page.set_viewport_size(NARROW_PHONE)
    log_in_with_password(page, live_server, user)
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    field = page.get_by_label("The 6-digit code from your authenticator app")
    expect(field).to_be_focused()
    check_page(page, "login code")
    field.fill(app_code(device))
    page.get_by_role("button", name="Log in").tap()
    expect(page).to_have_url(live_server.url + "/trends/")

    page.context.clear_cookies()
    log_in_with_password(page, live_server, user)
    page.get_by_role("link", name="Lost your phone? Use a recovery code").tap()
    expect(page.get_by_role("heading", name="Use a recovery code")).to_be_visible()
    check_page(page, "login recovery code")
    page.get_by_label("One of your recovery codes").fill(devices.shown(recovery[0]))
    page.get_by_role("button", name="Log in").tap()
    expect(page).to_have_url(live_server.url + "/trends/")
    expect(page.locator("#messages")).to_contain_text("You logged in with a recovery code; 9 left")
    page.wait_for_load_state("networkidle")
