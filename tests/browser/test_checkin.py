"""
The daily check-in on a phone: the Log page's card from chips to saved without a reload
(yesterday first, then today), the check-in pages and the comparisons on Trends, axe-clean in
light and dark, no sideways scrolling at 360 px.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from diary.models.checkins import DayLog
from tests.browser.support import NARROW_PHONE, assert_accessible, assert_no_horizontal_scroll
from tests.test_exposures import known_effect_diary

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def local_today(user):
    return timezone.now().astimezone(user.profile.zone).date()


def chip(card, question: str, answer: str):
    # The whole label: "No" must not also find "Not sure".
    exact = re.compile(rf"^\s*{re.escape(answer)}\s*$")
    return card.get_by_role("group", name=question).locator("label.chip", has_text=exact)


def assert_accessible_light_and_dark(page, what: str) -> None:
    backgrounds = set()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        backgrounds.add(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
        assert_accessible(page, f"{what} ({scheme})")
    assert len(backgrounds) == 2, "the dark colour scheme took effect"


def test_today_card_chips_to_saved_without_a_reload(logged_in_page, live_server, user):
    page = logged_in_page
    today = local_today(user)
    page.goto(live_server.url + "/")
    card = page.locator("#today-card")
    assert "How was yesterday?" in card.locator("h2").inner_text()
    assert_accessible_light_and_dark(page, "the Log page with the check-in card")
    page.evaluate("() => { window.notReloaded = true; }")

    for question, answer in [
        ("Sleep last night", "5–6 h"),
        ("Caffeine drinks", "3"),
        ("Stress", "High"),
        ("Hard exercise", "No"),
    ]:
        label = chip(card, question, answer)
        label.tap()
        assert label.locator("input").is_checked()
    card.get_by_role("button", name="Save check-in").tap()
    page.locator("#today-card .flash").wait_for()
    assert f"Saved your check-in for {today - timedelta(days=1):%A}." in card.inner_text()
    assert "How is today going?" in card.locator("h2").inner_text()
    assert page.evaluate("() => window.notReloaded === true"), "saved without a reload"
    saved = DayLog.objects.get(user=user)
    assert saved.date == today - timedelta(days=1)
    assert (saved.sleep, saved.caffeine, saved.stress, saved.hard_exercise) == (5, 3, "high", False)
    assert (saved.alcohol, saved.unwell) == (None, None)  # not answered: unknown

    # Today next: one chip, saved; the card keeps showing today's answer.
    chip(card, "Alcohol", "None").tap()
    card.get_by_role("button", name="Save check-in").tap()
    page.locator("#today-card .flash", has_text="for today").wait_for()
    assert DayLog.objects.get(user=user, date=today).alcohol == 0
    assert chip(card, "Alcohol", "None").locator("input").is_checked()
    assert_accessible_light_and_dark(page, "the check-in card after saving")

    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "the Log page with the check-in card at 360 px")


def test_card_works_without_javascript(browser, live_server, user):
    from tests.browser.conftest import log_in

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        log_in(context, live_server, user)
        page = context.new_page()
        page.goto(live_server.url + "/")
        card = page.locator("#today-card")
        chip(card, "Felt unwell", "Yes").click()
        card.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(live_server.url + "/")
        assert "Saved your check-in for" in page.locator("#messages").inner_text()
        assert DayLog.objects.get(user=user).unwell is True
    finally:
        context.close()


def test_checkin_pages_and_comparisons_are_accessible(logged_in_page, live_server, user, settings):
    settings.CHARTJS_URL = "local"  # no network here: the bundled Chart.js, no CDN attempt
    known_effect_diary(user, days=70)
    page = logged_in_page
    day = local_today(user) - timedelta(days=3)
    for path, what in [
        ("/checkins/", "the check-in list"),
        (f"/checkins/{day.isoformat()}/", "a day's check-in"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible_light_and_dark(page, what)
        page.set_viewport_size(NARROW_PHONE)
        assert_no_horizontal_scroll(page, f"{what} at 360 px")
        page.set_viewport_size({"width": 390, "height": 844})

    # The edit page: take an answer back with "Not sure", save, and it is unknown again.
    page.goto(live_server.url + f"/checkins/{day.isoformat()}/")
    form = page.locator("form.checkin-form")
    form.get_by_role("group", name="Caffeine drinks").locator(
        "label.chip", has_text="Not sure"
    ).tap()
    form.get_by_role("button", name="Save check-in").tap()
    page.wait_for_url(live_server.url + "/checkins/")
    assert DayLog.objects.get(user=user, date=day).caffeine is None

    page.goto(live_server.url + "/trends/?weeks=12")
    section = page.locator("section.comparisons")
    assert "On days with 3 or more caffeine drinks you logged on average" in section.inner_text()
    section.locator("details.comparison-numbers > summary").tap()
    assert_accessible_light_and_dark(page, "Trends with the comparisons")
