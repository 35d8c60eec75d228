"""
"About your twitching" on a phone: reached from the report page, answered with a thumb (month,
year, chips, a few words), back on the report page with the answers in its card and in the
preview of page 1; axe finds nothing, light or dark, and nothing scrolls sideways at 360 px.
Also Trends for a diary under a week old: one plain panel, no charts. With --screenshots the
pages are saved to docs/ for the README.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import Profile
from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_broken_words,
    assert_no_horizontal_scroll,
)
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def snap(request, page, name: str) -> None:
    png = page.screenshot(animations="disabled", caret="hide")
    assert png.startswith(b"\x89PNG")
    if request.config.getoption("--screenshots"):
        (DOCS / name).write_bytes(png)


def test_about_your_twitching_from_the_report_page(logged_in_page, live_server, user):
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(days=3))
    page = logged_in_page
    page.goto(live_server.url + reverse("report"))
    card = page.locator("#about")
    card.get_by_role("link", name="Answer a few questions").tap()
    expect(page.get_by_role("heading", name="About your twitching", level=1)).to_be_visible()

    page.get_by_label("Month").select_option("3")
    page.get_by_label("Year").fill("2026")
    going_on = page.get_by_role("group", name="What was going on then?")
    going_on.get_by_label("Stress").tap()
    going_on.get_by_label("Hard exercise").tap()
    page.get_by_label("What makes it better?").fill("Stretching the calf")
    page.get_by_role("group", name="Has your weight changed since it began?").get_by_label(
        "No change"
    ).tap()
    relatives = page.get_by_role("group", name="nerve or muscle condition")
    relatives.get_by_label("Not sure").tap()
    page.get_by_label("Medicines and supplements").fill(
        "Magnesium glycinate 300 mg at night (since March), no prescription medicines"
    )
    page.get_by_label("Blood tests").fill("April: CK normal, the GP said")
    page.get_by_role("button", name="Save").tap()

    expect(page).to_have_url(live_server.url + reverse("report") + "#about")
    expect(card).to_contain_text("March 2026; at the time: stress, hard exercise")
    expect(card).to_contain_text("Magnesium glycinate 300 mg at night")
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text("About your twitching")
    expect(preview).to_contain_text("April: CK normal, the GP said")
    # On a phone each question sits above its answer: none breaks mid-word ("supplement-s").
    assert_no_broken_words(preview.locator(".about-summary dt"), "the preview's questions")
    profile = Profile.objects.get(user=user)
    assert profile.weight_change == "no_change"
    assert profile.relatives == "not_sure"

    # Changing an answer: the form opens with what was saved.
    card.get_by_role("link", name="Change your answers").tap()
    expect(page.get_by_label("Year")).to_have_value("2026")
    expect(page.get_by_label("Stress")).to_be_checked()


def test_about_a_mistake_is_a_message_next_to_its_field(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("about"))
    page.get_by_label("Month").select_option("5")
    page.get_by_label("Medicines and supplements").fill("Vitamin D")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need a second look")
    year = page.get_by_label("Year")
    expect(year).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_started_year-errors")).to_have_text(
        "Add the year too, or leave the month empty."
    )
    expect(page.get_by_label("Medicines and supplements")).to_have_value("Vitamin D")
    assert Profile.objects.get(user=user).answers() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_about_page_is_accessible_and_fits_a_phone(
    logged_in_page, live_server, user, scheme, request
):
    page = logged_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + reverse("about"))
    page.get_by_label("Month").select_option("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("group", name="What was going on then?").get_by_label("Stress").tap()
    assert_accessible(page, f"the about page ({scheme})")
    page.evaluate("() => window.scrollTo(0, 0)")
    snap(request, page, f"screenshot-about{'' if scheme == 'light' else '-dark'}.png")
    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "the about page at 360 px")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_new_diary_gets_one_plain_panel_on_trends(
    logged_in_page, live_server, user, scheme, request
):
    now = datetime.now(UTC)
    for days in (0, 1, 2):
        EpisodeFactory(user=user, started_at=now - timedelta(days=days, minutes=5))
    page = logged_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + reverse("trends"))
    panel = page.locator(".young-panel")
    expect(panel).to_contain_text("After a week of logging you will see:")
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.get_by_text("Not enough days to compare yet")).to_have_count(0)
    assert_accessible(page, f"trends for a new diary ({scheme})")
    assert_no_horizontal_scroll(page, "trends for a new diary")
    panel.evaluate("(p) => window.scrollTo(0, p.offsetTop - 330)")
    snap(request, page, f"screenshot-trends-new{'' if scheme == 'light' else '-dark'}.png")
