"""
What a person sees right after they tap something (UX review): an error they cannot miss, focus
that does not vanish after an htmx swap, no scolding before they had a chance to type, and a
confirmation on screen.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import in_viewport
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_error_far_up_the_form_is_brought_into_view(logged_in_page, live_server, user):
    """Tapping Log twitch from far down the form: the "choose a site" message was off screen."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.get_by_role("button", name="Log twitch").tap()

    error = page.locator("#id_sites-errors")
    expect(error).to_contain_text("Choose at least one body site")
    expect(error).to_be_focused()
    expect(error).to_be_in_viewport()


def test_edit_page_error_is_on_screen_after_the_reload(logged_in_page, live_server, user):
    """A full page load (the edit form posts without htmx) opens at the top, the error far below."""
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    page = logged_in_page
    page.goto(live_server.url + reverse("episode-edit", args=[episode.uuid]))
    page.locator("label.chip", has_text="Exact").tap()
    page.get_by_label("Exact duration").fill("0")
    page.get_by_role("button", name="Save changes").tap()

    error = page.locator("#id_duration_amount-errors")
    expect(error).to_contain_text("at least 1 second")
    expect(error).to_be_focused()
    assert in_viewport(page, error)


def test_undo_puts_focus_back_on_the_row(logged_in_page, live_server, user):
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    row = page.locator(f"#episode-{episode.uuid}")
    row.get_by_role("button", name="Delete episode").tap()
    row.get_by_role("button", name="Undo").tap()

    expect(row.locator(".episode-main")).to_be_focused()


def test_load_more_continues_the_day_and_keeps_focus(logged_in_page, live_server, user):
    """30 episodes on one day span two pages of 25: one heading for the day, not two."""
    start = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    start -= timedelta(days=2)
    for minute in range(30):
        EpisodeFactory(user=user, sites=["calf-left"], started_at=start + timedelta(minutes=minute))
    page = logged_in_page
    page.goto(live_server.url + reverse("history"))
    episodes = page.locator("#history-list li.episode")
    expect(episodes).to_have_count(25)
    page.get_by_role("link", name="Load more").tap()

    expect(episodes).to_have_count(30)
    expect(page.locator("#history-list li.day-heading")).to_have_count(1)
    expect(episodes.nth(25).locator(".episode-main")).to_be_focused()


def test_report_waits_for_the_date_before_checking_it(logged_in_page, live_server, user):
    """Choosing "Since a date" used to answer at once with "Enter the first day" in red."""
    page = logged_in_page
    page.goto(live_server.url + reverse("report"))
    preview = page.locator("#report-preview")
    expect(preview.get_by_role("button", name="Download PDF")).to_be_visible()

    page.get_by_label("Since a date").tap()
    page.get_by_label("From", exact=True).wait_for()
    page.wait_for_timeout(300)  # time for a request, had one been sent
    expect(preview.get_by_role("alert")).to_have_count(0)

    since = timezone.now().astimezone(user.profile.zone).date() - timedelta(days=14)
    page.get_by_label("From", exact=True).fill(str(since))
    expect(page).to_have_url(live_server.url + reverse("report") + f"?range=since&from={since}&to=")
    expect(preview).to_contain_text("15 days")


def test_saved_notes_are_confirmed_on_screen_and_in_the_preview(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("report"))
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text("None yet.")
    notes = page.locator("#report-notes")
    notes.get_by_label("Questions to ask your doctor").fill("Do I need an EMG?")
    notes.get_by_role("button", name="Save notes").tap()

    status = notes.get_by_role("status")
    expect(status).to_have_text("Saved your appointment notes.")
    expect(status).to_be_focused()
    expect(status).to_be_in_viewport()
    expect(preview).to_contain_text("Printed as you wrote them")


def test_undo_under_the_log_button_leaves_the_page_where_it_is(logged_in_page, live_server, user):
    """The deleted row is in the list far below the map: the page does not scroll to it."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    page.locator('[data-body-figure] .bm-area[data-site="calf-left"]').first.tap()
    page.locator("#log-form .log-button").tap()
    status = page.locator("#log-status")
    status.get_by_role("button", name="Undo").wait_for()
    before = page.evaluate("() => window.scrollY")
    status.get_by_role("button", name="Undo").tap()
    expect(page.locator("li.episode.is-deleted")).to_have_count(1)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.scrollY") == before
    expect(page.locator("#log-form .log-button")).to_be_focused()


def test_a_rows_delete_focuses_its_undo(logged_in_page, live_server, user):
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    row = page.locator(f"#episode-{episode.uuid}")
    row.get_by_role("button", name="Delete episode").tap()
    expect(row.get_by_role("button", name="Undo")).to_be_focused()
