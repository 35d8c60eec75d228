"""
The body figure on the Log page: every area is a real, big-enough button for a catalogue site,
left is on the left, and the figure and the checkboxes (which are what gets posted) agree whichever
one the person uses. Also the Log page without JavaScript, where the checkbox list works alone.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import BodySite, Episode, Region
from tests.browser.conftest import log_in
from tests.browser.support import (
    NARROW_PHONE,
    assert_no_horizontal_scroll,
    figure_area,
    site_codes,
)
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AREAS_JS = """() => [...document.querySelectorAll('[data-body-figure] .body-area')].map((el) => {
  const box = el.getBoundingClientRect();
  return {
    view: el.closest('svg').getAttribute('aria-label'),
    role: el.getAttribute('role'),
    tabindex: el.getAttribute('tabindex'),
    label: el.getAttribute('aria-label'),
    pressed: el.getAttribute('aria-pressed'),
    site: el.dataset.site || null,
    head: el.dataset.headSites || null,
    x: box.x, y: box.y, width: box.width, height: box.height,
  };
})"""


def test_every_area_is_a_named_button_for_a_catalogue_site(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    areas = page.evaluate(AREAS_JS)
    names = dict(BodySite.objects.values_list("code", "name"))
    drawn = {area["site"] for area in areas if area["site"]}
    head = {code for area in areas if area["head"] for code in area["head"].split()}

    assert all(area["role"] == "button" and area["tabindex"] == "0" for area in areas)
    for area in areas:
        if area["site"]:
            assert area["label"] == names[area["site"]], area
            assert area["pressed"] == "false", area
    bulbar = set(BodySite.objects.filter(region=Region.BULBAR).values_list("code", flat=True))
    assert head == bulbar, "the head leads to every head and face site"
    assert drawn | head == set(names), "every site can be reached from the figure"
    assert {a["view"] for a in areas} == {"Front of the body", "Back of the body"}
    # Big enough to hit with a thumb (WCAG 2.2 target size: 24 px) on a 390 px phone.
    too_small = [a for a in areas if a["width"] < 24 or a["height"] < 24]
    assert not too_small, too_small


def test_left_is_on_the_left_in_both_views(logged_in_page, live_server):
    """The front is drawn like a mirror and the back as seen from behind: left on the left."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    areas = page.evaluate(AREAS_JS)
    for view in ("Front of the body", "Back of the body"):
        in_view = {a["site"]: a for a in areas if a["view"] == view and a["site"]}
        pairs = [code for code in in_view if code.endswith("-left")]
        assert len(pairs) >= 10
        for left in pairs:
            right = in_view[left.replace("-left", "-right")]
            assert in_view[left]["x"] + in_view[left]["width"] <= right["x"], (view, left)
        figure = page.get_by_role("group", name=view)
        expect(figure.locator("text.body-lr").first).to_have_text("L")
        expect(figure.locator("text.body-lr").last).to_have_text("R")


def test_figure_fits_a_360_px_phone(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size(NARROW_PHONE)
    page.goto(live_server.url + reverse("log"))
    box = page.locator("[data-body-figure]").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= NARROW_PHONE["width"]
    assert_no_horizontal_scroll(page, "log page at 360 px")


def test_figure_chips_and_list_stay_in_step(logged_in_page, live_server, user):
    EpisodeFactory(user=user, sites=["calf-left"])  # gives a "Left calf" chip among the recent ones
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    calf = figure_area(page, "Back", "Left calf")
    recent_calf = page.locator(".quick-sites").get_by_label("Left calf")
    listed = page.locator("details.all-sites")

    # The figure starts from the form: nothing chosen, and the long list folded away.
    expect(listed).not_to_have_attribute("open", "")
    expect(calf).to_have_attribute("aria-pressed", "false")

    # Keyboard: Enter and Space toggle, like a button.
    calf.focus()
    page.keyboard.press("Enter")
    expect(calf).to_have_attribute("aria-pressed", "true")
    expect(recent_calf).to_be_checked()
    expect(listed.get_by_label("Left calf")).to_be_checked()
    page.keyboard.press(" ")
    expect(calf).to_have_attribute("aria-pressed", "false")
    expect(listed.get_by_label("Left calf")).not_to_be_checked()
    assert page.evaluate("() => window.scrollY") == 0, "Space did not scroll the page"

    # A recent chip shows on the figure (and ticks the list's box too).
    recent_calf.tap()
    expect(calf).to_have_attribute("aria-pressed", "true")
    expect(listed.get_by_label("Left calf")).to_be_checked()

    # A box ticked in the list shows on the figure; both views where the site is drawn twice.
    page.get_by_text("All body sites").tap()
    listed.get_by_label("Right thigh").tap()
    for view in ("Front", "Back"):
        expect(figure_area(page, view, "Right thigh")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-selected-sites]")).to_have_text("Chosen: Left calf, Right thigh")

    # What is posted is what the figure shows.
    page.get_by_role("button", name="Log twitch").tap()
    expect(page.locator("#log-panel .flash")).to_contain_text("Right thigh, Left calf")
    newest = Episode.objects.for_user(user).newest_first().first()
    assert site_codes(newest) == {"calf-left", "thigh-right"}
    # After htmx swaps in a fresh form the figure is wired up again.
    fresh_calf = figure_area(page, "Back", "Left calf")
    expect(fresh_calf).to_have_attribute("aria-pressed", "false")
    fresh_calf.tap()
    expect(page.locator(".quick-sites").get_by_label("Left calf")).to_be_checked()


def test_log_page_works_without_javascript(browser, browser_context_args, live_server, user):
    """Without JavaScript the figure is hidden; the list, "Same as last time" and Undo work."""
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        log_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(5_000)
        page.goto(live_server.url + reverse("log"))
        expect(page.locator("[data-body-figure]")).to_be_hidden()
        # Nothing to repeat yet.
        expect(page.get_by_role("link", name="Same as last time")).to_have_count(0)
        listed = page.locator("details.all-sites")
        expect(listed).to_have_attribute("open", "")  # first visit: the full list is the picker
        listed.get_by_label("Left forearm").tap()
        listed.get_by_label("Right forearm").tap()
        page.get_by_label("Stress").tap()
        page.get_by_role("button", name="Log twitch").tap()

        expect(page.locator("#messages")).to_contain_text("Logged")
        first = Episode.objects.get(user=user)
        assert site_codes(first) == {"forearm-left", "forearm-right"}
        expect(page.locator("#episode-list .episode")).to_have_count(1)

        page.get_by_role("link", name="Same as last time").tap()
        expect(page).to_have_url(live_server.url + reverse("log") + "?repeat=last")
        expect(listed.get_by_label("Left forearm")).to_be_checked()
        expect(page.get_by_label("Stress")).to_be_checked()
        page.get_by_role("button", name="Log twitch").tap()

        expect(page.locator("#episode-list .episode")).to_have_count(2)
        second = Episode.objects.for_user(user).exclude(pk=first.pk).get()
        assert site_codes(second) == {"forearm-left", "forearm-right"}
        assert [t.slug for t in second.triggers.all()] == ["stress"]
        assert abs(second.started_at - first.started_at) < timedelta(minutes=1)

        page.locator(f"#episode-{second.uuid}").get_by_role("button", name="Delete episode").tap()
        expect(page.locator("#messages")).to_contain_text("Episode deleted")
        expect(page.locator("#episode-list .episode")).to_have_count(1)
        second.refresh_from_db()
        assert second.deleted_at is not None
        page.locator("#messages").get_by_role("button", name="Undo").tap()
        expect(page.locator("#messages")).to_contain_text("Episode restored")
        expect(page.locator("#episode-list .episode")).to_have_count(2)
        second.refresh_from_db()
        assert second.deleted_at is None
    finally:
        context.close()
