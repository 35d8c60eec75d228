"""
The error pages on a phone, as production serves them (DEBUG off): axe-core finds nothing in
light and dark at 320 and 390 px, dark mode takes effect, nothing scrolls sideways. And the
promise of the page after a form's security check failed: going back and sending it again
saves it, without JavaScript's help on the error page itself.

Chromium reports every 4xx/5xx document or request as a console error, and the `page` fixture
fails a test on those; these tests make their own pages that let through only the statuses
they expect.
"""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _get_new_csrf_string
from playwright.sync_api import Page, expect

from diary.models import DayLog, Profile
from diary.sharing import links
from tests.browser.conftest import PLAYWRIGHT_BLOCKED_WORKER, log_in
from tests.browser.support import assert_accessible, assert_no_horizontal_scroll
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.urls_errors"),
]

# Chromium's report of a 4xx/5xx answer, and htmx's.
STATUS_REPORT = re.compile(
    r"(?:Failed to load resource: the server responded with a status of|"
    r"Response Status Error Code) (\d+)"
)


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def open_page(browser, browser_context_args, live_server):
    """
    `open_page(user=None, statuses=())`: a fresh phone browser (logged in as `user`) that fails
    the test on any console problem but the status reports in `statuses`.
    """
    problems: list[str] = []
    contexts = []

    def make(user=None, statuses=()) -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        if user is not None:
            log_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(5_000)

        def on_console(message) -> None:
            status = STATUS_REPORT.match(message.text)
            if message.text == PLAYWRIGHT_BLOCKED_WORKER or (
                status and int(status.group(1)) in statuses
            ):
                return
            if message.type in ("error", "warning"):
                problems.append(f"console.{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def error_urls() -> dict[str, tuple[str, int, bool]]:
    """name -> (URL, status, logged in)."""
    owner = UserFactory()
    day = owner.date_joined.date()
    _, token = links.create(owner, first=day, last=day, days=7)
    links.revoke(links.find(token))
    return {
        "404": ("/no-such-page/", 404, False),
        "404 logged in": ("/no-such-page/", 404, True),
        "403": ("/test-errors/403/", 403, True),
        "400": ("/test-errors/400/", 400, False),
        "500": ("/test-errors/500/", 500, False),
        "closed share link": (f"/s/{token}/", 410, False),
    }


def test_error_pages_are_accessible_in_light_and_dark_at_320_and_390_px(
    open_page, live_server, user
):
    for name, (path, status, logged_in) in error_urls().items():
        page = open_page(user if logged_in else None, statuses=(status,))
        response = page.goto(live_server.url + path)
        assert response.status == status, name
        expect(page.get_by_role("main").get_by_role("heading", level=1)).to_be_visible()
        check_phone_layouts(page, name)


def save_profile(page: Page) -> None:
    page.get_by_role("region", name="Profile").get_by_role("button", name="Save").tap()


def test_csrf_page_is_accessible_in_light_and_dark_at_320_and_390_px(open_page, live_server, user):
    page = open_page(user, statuses=(403,))
    page.goto(live_server.url + "/settings/")
    page.context.clear_cookies(name="csrftoken")
    save_profile(page)
    expect(page.get_by_role("heading", name="That was not saved")).to_be_visible()
    check_phone_layouts(page, "CSRF failure")


def check_phone_layouts(page: Page, name: str) -> None:
    backgrounds = set()
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 844})
        assert_no_horizontal_scroll(page, f"{name} at {width} px")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            backgrounds.add(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
            assert_accessible(page, f"the {name} page ({scheme}, {width} px)")
    assert len(backgrounds) == 2, f"dark mode took effect on the {name} page"


def test_a_form_sent_after_its_token_was_replaced_still_saves(open_page, live_server, user):
    """A login in another tab replaces the token the open page holds: the cookie's is sent."""
    page = open_page(user)
    page.goto(live_server.url + "/settings/")
    page.get_by_label("Display name").fill("Ada Example")
    cookie = {"name": "csrftoken", "value": _get_new_csrf_string(), "url": live_server.url}
    page.context.add_cookies([cookie])
    save_profile(page)
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    assert Profile.objects.get(user=user).display_name == "Ada Example"


def test_after_a_failed_security_check_back_and_send_again_saves(open_page, live_server, user):
    page = open_page(user, statuses=(403,))
    page.goto(live_server.url + "/settings/")
    page.get_by_label("Display name").fill("Ada Example")
    page.context.clear_cookies(name="csrftoken")
    save_profile(page)
    expect(page.get_by_role("heading", name="That was not saved")).to_be_visible()
    assert Profile.objects.get(user=user).display_name == ""
    # What the page says to do: Back, the form still has it, send it again.
    page.go_back()
    expect(page.get_by_label("Display name")).to_have_value("Ada Example")
    save_profile(page)
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    assert Profile.objects.get(user=user).display_name == "Ada Example"


def test_an_htmx_form_refused_by_the_security_check_says_so_and_saves_next_time(
    open_page, live_server, user
):
    page = open_page(user, statuses=(403,))
    page.goto(live_server.url + "/")
    card = page.locator("#today-card")
    card.locator("summary", has_text="Medicine name, note").tap()
    card.get_by_label("Note (optional)").fill("Long day")
    page.context.clear_cookies(name="csrftoken")
    card.get_by_role("button", name="Save check-in").tap()
    problem = card.get_by_role("alert")
    expect(problem).to_contain_text("so nothing was saved. What you entered is still here")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the Log page with a refused check-in ({scheme})")
    assert not DayLog.objects.filter(user=user).exists()
    expect(card.get_by_label("Note (optional)")).to_have_value(
        "Long day"
    )  # still there to send again
    card.get_by_role("button", name="Save check-in").tap()
    expect(card).to_contain_text("Saved your check-in")
    expect(problem).to_have_count(0)
    assert DayLog.objects.get(user=user).note == "Long day"
