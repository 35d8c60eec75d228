"""
The body map on the Log page: every area is a real button for a catalogue site (or opens a closer
view), at least 44 x 44 px on a 390 px phone, left is on the left, the map and the checkboxes
(which are what gets posted) agree whichever one the person uses, and the common cases take the
taps they should. Also the Log page without JavaScript, where the checkbox list works alone.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import BodySite, Episode
from tests.browser.conftest import log_in
from tests.browser.support import (
    NARROW_PHONE,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    figure_area,
    site_codes,
)
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every area of the map that is on screen now (the figures, or one open closer view).
AREAS_JS = """() => [...document.querySelectorAll('[data-body-figure] .bm-area')]
  .filter((el) => el.getClientRects().length && el.getBoundingClientRect().width > 0)
  .map((el) => {
    const box = el.getBoundingClientRect();
    return {
      group: el.closest('svg').getAttribute('aria-label')
        || document.getElementById(el.closest('svg').getAttribute('aria-labelledby')).textContent,
      role: el.getAttribute('role'),
      label: el.getAttribute('aria-label'),
      pressed: el.getAttribute('aria-pressed'),
      site: el.dataset.site || null,
      detail: el.dataset.detail || null,
      x: box.x, y: box.y, width: box.width, height: box.height,
    };
  })"""
DETAILS = {
    "Face and head": "Face and head",
    "Left hand": "Left hand",
    "Right hand": "Right hand",
    "Left foot": "Left foot",
    "Right foot": "Right foot",
}


def opener(page, view: str, name: str):
    """The area of a figure that opens a closer view, e.g. ("Front", "Left hand")."""
    return page.get_by_role("group", name=f"{view} of the body").get_by_role(
        "button", name=f"{name}: show closer"
    )


def test_every_area_is_a_big_enough_named_button(logged_in_page, live_server):
    """All areas, on the figures and in every closer view: >= 44 x 44 px at 390 px wide."""
    page = logged_in_page
    assert page.viewport_size == PHONE
    page.goto(live_server.url + reverse("log"))
    names = dict(BodySite.objects.values_list("code", "name"))
    seen = page.evaluate(AREAS_JS)
    assert {a["group"] for a in seen} == {"Front of the body", "Back of the body"}
    for name in DETAILS:
        opener(page, "Front", name).tap()
        panel = page.locator("[data-detail-panel]:visible")
        expect(panel.get_by_role("heading", name=name)).to_be_visible()
        in_detail = page.evaluate(AREAS_JS)
        assert {a["group"] for a in in_detail} == {name}, "the closer view replaces the figures"
        seen += in_detail
        panel.get_by_role("button", name="Back to the whole body").tap()
        expect(opener(page, "Front", name)).to_be_focused()

    assert all(a["role"] == "button" for a in seen)
    for area in seen:
        if area["site"]:
            assert area["label"] == names[area["site"]], area
            assert area["pressed"] == "false", area
        else:
            assert area["label"].endswith(": show closer"), area
    assert {a["site"] for a in seen if a["site"]} == set(names), "every site is on the map"
    too_small = [a for a in seen if a["width"] < 44 or a["height"] < 44]
    assert not too_small, too_small
    # No two areas overlap: a tap lands on one site only.
    for group in {a["group"] for a in seen}:
        boxes = [a for a in seen if a["group"] == group]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (
                    a["x"] + a["width"] <= b["x"] + 0.5
                    or b["x"] + b["width"] <= a["x"] + 0.5
                    or a["y"] + a["height"] <= b["y"] + 0.5
                    or b["y"] + b["height"] <= a["y"] + 0.5
                )
                assert apart, (a, b)


def test_left_is_on_the_left_in_both_views(logged_in_page, live_server):
    """The front is drawn like a mirror and the back as seen from behind: left on the left."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    areas = page.evaluate(AREAS_JS)
    for view in ("Front of the body", "Back of the body"):
        in_view = {a["site"]: a for a in areas if a["group"] == view and a["site"]}
        pairs = [code for code in in_view if code.endswith("-left")]
        assert len(pairs) >= 7
        for left in pairs:
            right = in_view[left.replace("-left", "-right")]
            assert in_view[left]["x"] + in_view[left]["width"] <= right["x"], (view, left)
        figure = page.get_by_role("group", name=view)
        expect(figure.locator("text.bm-side").first).to_have_text("Left")
        expect(figure.locator("text.bm-side").last).to_have_text("Right")


def test_figure_fits_a_360_px_phone(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size(NARROW_PHONE)
    page.goto(live_server.url + reverse("log"))
    box = page.locator("[data-body-figure]").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= NARROW_PHONE["width"]
    assert_no_horizontal_scroll(page, "log page at 360 px")


def test_one_site_and_log_is_two_taps(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    taps = 0
    figure_area(page, "Front", "Left forearm").tap()
    taps += 1
    log_button = page.get_by_role("button", name="Log twitch")
    # The choice is named on the Log button itself, never hidden under the sticky bar.
    expect(log_button).to_have_text("Log twitch — Left forearm")
    log_button.tap()
    taps += 1
    expect(page.locator("#log-status")).to_contain_text("Left forearm")
    assert taps == 2
    assert site_codes(Episode.objects.get(user=user)) == {"forearm-left"}


def test_an_eyelid_is_three_taps_and_undo_stays(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    opener(page, "Front", "Face and head").tap()
    face = page.get_by_role("group", name="Face and head")
    face.get_by_role("button", name="Left eyelid").tap()
    expect(face.get_by_role("button", name="Left eyelid")).to_have_attribute("aria-pressed", "true")
    head = page.locator('.bm-views .bm-area[data-detail="face"]').first  # hidden behind the view
    expect(head).to_have_attribute("aria-label", "Face and head, 1 chosen: show closer")
    page.get_by_role("button", name="Log twitch — Left eyelid").tap()  # the third tap

    status = page.locator("#log-status")
    expect(status).to_contain_text("Logged")
    expect(status).to_contain_text("Left eyelid")
    episode = Episode.objects.get(user=user)
    assert site_codes(episode) == {"eyelid-left"}
    # The form starts afresh, the map back on the whole body with nothing chosen.
    expect(page.get_by_role("group", name="Front of the body")).to_be_visible()
    expect(page.locator('#log-form input[name="sites"]:checked')).to_have_count(0)
    expect(opener(page, "Front", "Face and head")).to_have_count(1)
    # The Undo is still there 10 s later (a person reads, looks up, then decides).
    page.wait_for_timeout(10_500)
    undo = status.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    undo.tap()
    expect(page.locator(f"#episode-{episode.uuid}")).to_contain_text("Deleted the episode")
    expect(status).to_be_empty()
    episode.refresh_from_db()
    assert episode.deleted_at is not None


def test_two_sites_and_log_is_three_taps(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    figure_area(page, "Front", "Left thigh").tap()
    figure_area(page, "Back", "Left calf").tap()
    page.get_by_role("button", name="Log twitch — Left thigh, Left calf").tap()
    expect(page.locator("#log-status")).to_contain_text("Left thigh, Left calf")
    assert site_codes(Episode.objects.get(user=user)) == {"thigh-left", "calf-left"}


def test_map_chips_and_list_stay_in_step(logged_in_page, live_server, user):
    EpisodeFactory(user=user, sites=["calf-left"])  # gives a "Left calf" chip among the recent ones
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    calf = figure_area(page, "Back", "Left calf")
    recent_calf = page.locator(".quick-sites").get_by_label("Left calf")
    listed = page.locator("details.all-sites")

    # The map starts from the form: nothing chosen, and the long list folded away.
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

    # A recent chip shows on the map (and ticks the list's box too).
    recent_calf.tap()
    expect(calf).to_have_attribute("aria-pressed", "true")
    expect(listed.get_by_label("Left calf")).to_be_checked()

    # A box ticked in the list shows on the map; both views where the site is drawn twice.
    page.get_by_text("All body sites").tap()
    listed.get_by_label("Right thigh").tap()
    for view in ("Front", "Back"):
        expect(figure_area(page, view, "Right thigh")).to_have_attribute("aria-pressed", "true")
    listed.get_by_label("Right thumb").tap()
    expect(opener(page, "Front", "Right hand, 1 chosen")).to_have_count(1)
    expect(page.locator("[data-selected-sites]")).to_have_text(
        "— Left calf, Right thumb, Right thigh"
    )

    # What is posted is what the map shows.
    page.get_by_role("button", name="Log twitch").tap()
    expect(page.locator("#log-status")).to_contain_text("Right thumb")
    newest = Episode.objects.for_user(user).newest_first().first()
    assert site_codes(newest) == {"calf-left", "thigh-right", "thumb-right"}
    expect(calf).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-selected-sites]")).to_have_text("")


def test_keyboard_reaches_the_list_without_tabbing_through_the_map(logged_in_page, live_server):
    """The whole map is one Tab stop; the arrow keys move within it."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    head = opener(page, "Front", "Face and head")
    head.focus()
    page.keyboard.press("ArrowRight")
    expect(figure_area(page, "Front", "Neck")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("details.all-sites > summary")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(figure_area(page, "Front", "Neck")).to_be_focused()  # it remembers the last one
    # A closer view opens with Enter and closes with Escape, focus back where it was.
    page.keyboard.press("Home")
    expect(head).to_be_focused()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("group", name="Face and head").get_by_role("button").first
    ).to_be_focused()
    page.keyboard.press("Escape")
    expect(head).to_be_focused()


def test_map_and_closer_views_have_no_axe_violations(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    figure_area(page, "Front", "Left thigh").tap()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"body map ({scheme})")
        opener(page, "Front", "Left hand").tap()
        assert_accessible(page, f"closer view of the left hand ({scheme})")
        page.get_by_role("button", name="Back to the whole body").tap()


def test_log_page_works_without_javascript(browser, browser_context_args, live_server, user):
    """Without JavaScript the map is hidden; the list, "Same as last time" and Undo work."""
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

        # The confirmation's Undo takes the log back.
        page.locator("#messages").get_by_role("button", name="Undo").tap()
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


def test_the_log_bar_covers_the_map_edge_to_edge_at_320_px(logged_in_page, live_server):
    """The map scrolls under the sticky Log bar: none of it shows beside the bar."""
    page = logged_in_page
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(live_server.url + reverse("log"))
    bar = page.locator("#log-form .sticky-actions").bounding_box()
    views = page.locator("[data-body-figure] .bm-views").bounding_box()
    assert bar["x"] <= views["x"]
    assert bar["x"] + bar["width"] >= views["x"] + views["width"]
    assert_no_horizontal_scroll(page, "log page at 320 px")
