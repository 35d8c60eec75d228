"""
The pinned clock (`--now`, the calendar sweep, the `now` fixture) reaches the live server's
threads and the browser: the Log page says the pinned day is today, and the page's
`Date.now()` and time zone are the pinned instant's.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The test, the server and the browser each take some time; the clock runs on meanwhile.
SLACK = timedelta(seconds=60)


def browser_now(page) -> datetime:
    return datetime.fromtimestamp(page.evaluate("() => Date.now()") / 1000, UTC)


def assert_page_is_at(page, live_server, instant: datetime, zone: str) -> None:
    page.goto(live_server.url + reverse("log"))
    today = instant.astimezone(ZoneInfo(zone))
    expect(page.locator("#today-heading .hint")).to_have_text(f"{today:%A} {today.day} {today:%B}")
    assert instant <= browser_now(page) < instant + SLACK
    assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
    # The browser's own calendar: its local date is the server's "today".
    assert page.evaluate("() => new Date().toDateString()") == today.strftime("%a %b %d %Y")


@pytest.mark.calendar
def test_the_pinned_clock_reaches_the_server_and_the_browser(
    logged_in_page, live_server, user, pinned_point
):
    """Under --now or the sweep, the pinned instant; in a plain run, the real one."""
    expected = pinned_point.instant if pinned_point else datetime.now(UTC)
    assert_page_is_at(logged_in_page, live_server, expected, user.profile.timezone)


def test_now_moves_the_server_and_an_open_browser(page, live_server, user, now):
    """The `now` fixture, called with a page already open, moves that page's clock too."""
    instant = now("2027-07-04T08:15")
    log_in(page.context, live_server, user)
    EpisodeFactory(user=user, started_at=instant - timedelta(minutes=5), sites=["calf-left"])
    assert_page_is_at(page, live_server, instant, "Europe/London")
    expect(page.locator("#today-episodes li")).to_have_count(1)
    later = now("2027-07-05T08:15", tick=False)
    assert_page_is_at(page, live_server, later, "Europe/London")
    expect(page.locator("#today-episodes li")).to_have_count(0)
    assert browser_now(page) >= later


@pytest.mark.browser_context_args(service_workers="allow")
def test_the_service_worker_runs_on_the_pinned_clock(page, live_server, user, now):
    """The worker compares its clock with the server's `Date` header: both are pinned."""
    instant = now("2026-03-08T07:30")
    log_in(page.context, live_server, user)
    page.goto(live_server.url + reverse("log"))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    [worker] = page.context.service_workers
    for clock in ("() => Date.now()", "() => new Date().getTime()"):
        worker_now = datetime.fromtimestamp(worker.evaluate(clock) / 1000, UTC)
        assert instant <= worker_now < instant + SLACK
    assert worker.evaluate("() => new Date(0).getTime()") == 0
