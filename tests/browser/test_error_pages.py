"""
The error pages on a phone, as production serves them (DEBUG off): axe-core finds nothing in
light and dark at 320 and 390 px, dark mode takes effect, nothing scrolls sideways.

Chromium reports every 4xx/5xx document or request as a console error, and the `page` fixture
fails a test on those; these tests make their own pages that let through only the statuses
they expect.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

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
