"""
axe-core on the main pages in light and dark colour schemes, and no sideways scrolling at 360 px.
Any axe violation fails the test and is printed with where it is.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    figure_area,
)
from tests.factories import EpisodeFactory, TriggerFactory

OPEN_ALL_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_episodes(user) -> None:
    """Enough variety to show every kind of row: today, earlier, triggers, symptoms, notes."""
    now = datetime.now(UTC)
    own = TriggerFactory(user=user, name="Red wine")
    EpisodeFactory(user=user, sites=["calf-left", "thigh-right"], triggers=["caffeine", own])
    EpisodeFactory(
        user=user,
        sites=["eyelid-left"],
        started_at=now - timedelta(minutes=30),
        intensity=3,
        weakness=True,
        notes="<script>alert(1)</script>",
    )
    EpisodeFactory(user=user, sites=["forearm-right"], started_at=now - timedelta(days=2))


def page_url(name: str, user) -> str:
    if name == "edit":
        return reverse("episode-edit", args=[user.episodes.first().uuid])
    return reverse({"log-empty": "log"}.get(name, name))


@pytest.mark.parametrize("name", ["log-empty", "log", "history", "settings", "episode-edit"])
def test_page_has_no_axe_violations_in_light_and_dark(logged_in_page, live_server, user, name):
    page = logged_in_page
    if name != "log-empty":
        make_episodes(user)
    page.goto(live_server.url + page_url(name.replace("episode-", ""), user))
    if name == "log":
        # The states a person creates: a chosen area on the figure, the folded lists opened.
        figure_area(page, "Back", "Left calf").tap()
        page.locator("details.all-sites > summary").tap()
        page.locator("details.more-details > summary").tap()
    backgrounds = set()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        backgrounds.add(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
        assert_accessible(page, f"{name} ({scheme})")
    assert len(backgrounds) == 2, "the dark colour scheme took effect"


def test_log_page_after_log_and_delete_has_no_axe_violations(logged_in_page, live_server, user):
    """The htmx states: the confirmation after a log and the Undo row after a delete."""
    make_episodes(user)
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    figure_area(page, "Front", "Neck").tap()
    page.get_by_role("button", name="Log twitch").tap()
    page.locator("#log-status .flash").wait_for()
    page.locator("#episode-list .episode").first.get_by_role("button", name="Delete episode").tap()
    page.locator("#episode-list").get_by_role("button", name="Undo").wait_for()
    # The confirmation of that log goes with it: its Undo had nothing left to undo.
    expect(page.locator("#log-status")).to_be_empty()
    assert_accessible(page, "log page after a log and a delete")


def test_pages_fit_360_px_without_sideways_scroll(logged_in_page, live_server, user):
    make_episodes(user)
    page = logged_in_page
    page.set_viewport_size(NARROW_PHONE)
    for name in ("log", "history", "settings", "edit"):
        page.goto(live_server.url + page_url(name, user))
        # Open everything that folds, so the widest state is measured.
        page.evaluate(OPEN_ALL_DETAILS)
        assert_no_horizontal_scroll(page, name)
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("signup"))
    assert_no_horizontal_scroll(page, "signup")
