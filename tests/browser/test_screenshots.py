"""
Phone screenshots of the Log page for the README: `make screenshots` (pytest --screenshots) writes
docs/screenshot-log-empty.png and docs/screenshot-log.png. Without the option the same pages are
built, checked and photographed, but nothing is written.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import PHONE, assert_no_horizontal_scroll, figure_area, in_viewport
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def snap(request, page):
    """Take a phone screenshot of the page; save it under docs/ only with --screenshots."""

    def take(name: str) -> None:
        assert page.viewport_size == PHONE
        png = page.screenshot(animations="disabled", caret="hide")
        assert png.startswith(b"\x89PNG")
        assert len(png) > 10_000
        if request.config.getoption("--screenshots"):
            (DOCS / name).write_bytes(png)

    return take


def test_screenshot_log_empty(logged_in_page, live_server, snap):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    expect(page.get_by_role("heading", name="Log a twitch")).to_be_visible()
    expect(page.locator("[data-body-figure]")).to_be_visible()
    expect(page.get_by_role("button", name="Log twitch")).to_be_visible()
    assert_no_horizontal_scroll(page, "empty log page")
    snap("screenshot-log-empty.png")


def test_screenshot_log_with_data(logged_in_page, live_server, user, snap):
    now = datetime.now(UTC)
    for days, minutes, sites, triggers in [
        (0, 20, ["calf-left"], ["caffeine"]),
        (0, 95, ["calf-left", "thigh-left"], []),
        (1, 60, ["eyelid-right"], ["lack-of-sleep", "caffeine"]),
        (2, 30, ["calf-left"], ["intense-exercise"]),
        (3, 45, ["forearm-right"], ["stress"]),
    ]:
        EpisodeFactory(
            user=user,
            sites=sites,
            triggers=triggers,
            started_at=now - timedelta(days=days, minutes=minutes),
        )
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    expect(page.locator(".quick-sites .chip")).to_have_count(4)
    # Mid-way through the common case: two sites chosen, the Log button within reach.
    figure_area(page, "Front", "Right forearm").tap()
    figure_area(page, "Back", "Left calf").tap()
    log_button = page.get_by_role("button", name="Log twitch")
    expect(log_button).to_have_text("Log twitch — Left calf, Right forearm")
    assert in_viewport(page, log_button)
    # The whole map is on the first screen, above the sticky Log bar: no scrolling for a site.
    figure = page.locator(".bm-views").bounding_box()
    assert figure["y"] + figure["height"] <= page.locator(".sticky-actions").bounding_box()["y"]
    assert_no_horizontal_scroll(page, "log page with data")
    snap("screenshot-log.png")


def test_screenshot_log_dark_with_the_face_up_close(logged_in_page, live_server, user, snap):
    EpisodeFactory(user=user, sites=["eyelid-left"], triggers=["lack-of-sleep"])
    page = logged_in_page
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + reverse("log"))
    page.get_by_role("group", name="Front of the body").get_by_role(
        "button", name="Face and head: show closer"
    ).tap()
    face = page.get_by_role("group", name="Face and head")
    face.get_by_role("button", name="Left eyelid").tap()
    log_button = page.get_by_role("button", name="Log twitch")
    expect(log_button).to_have_text("Log twitch — Left eyelid")
    assert in_viewport(page, face.get_by_role("button", name="Throat"))
    assert in_viewport(page, log_button)
    assert_no_horizontal_scroll(page, "log page, face up close")
    snap("screenshot-log-dark.png")
