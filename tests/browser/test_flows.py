"""
The flows a person does on a phone: sign up, log, edit, delete and undo, filter history.
Each checks what the person sees and what ends up in the database.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import Episode
from tests.browser.support import figure_area, in_viewport, site_codes
from tests.factories import PASSWORD, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_signup_presets_time_zone_from_browser_and_lands_on_log(page, live_server):
    page.goto(live_server.url + reverse("signup"))
    # The form's own default is UTC; the browser context runs in Europe/London.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    page.get_by_label("Username").fill("alex")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").tap()

    expect(page).to_have_url(live_server.url + reverse("log"))
    expect(page.get_by_role("heading", name="Log a twitch")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Welcome to Twitchlog")
    expect(page.locator("#episode-list")).to_contain_text("Nothing logged yet")
    user = get_user_model().objects.get(username="alex")
    assert user.profile.timezone == "Europe/London"


def test_log_three_episodes(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    front = page.get_by_role("group", name="Front of the body")
    log_button = page.get_by_role("button", name="Log twitch")
    flash = page.locator("#log-status .flash")

    # 1. The common case, three taps: site, site, Log — all on the first screen.
    thigh, calf = figure_area(page, "Front", "Left thigh"), figure_area(page, "Back", "Left calf")
    assert in_viewport(page, thigh)
    assert in_viewport(page, calf)
    thigh.tap()
    calf.tap()
    expect(thigh).to_have_attribute("aria-pressed", "true")
    expect(calf).to_have_attribute("aria-pressed", "true")
    expect(log_button).to_have_text("Log twitch — Left thigh, Left calf")
    assert page.evaluate("() => window.scrollY") == 0
    assert in_viewport(page, log_button), "the sticky Log button is on screen after picking sites"
    log_button.tap()

    expect(flash).to_contain_text("Left thigh, Left calf")
    first = Episode.objects.get(user=user)
    assert site_codes(first) == {"thigh-left", "calf-left"}
    assert first.duration == timedelta(seconds=5)
    assert first.timezone == "Europe/London"
    assert abs(first.started_at - timezone.now()) < timedelta(minutes=1)
    assert page.url == live_server.url + reverse("log"), "logged without a page load"
    # The form is fresh again, the figure with it, and the episode tops today's list.
    expect(page.locator('#log-form input[name="sites"]:checked')).to_have_count(0)
    expect(front.get_by_role("button", name="Left thigh")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.locator("#episode-list .episode").first).to_contain_text("Left thigh, Left calf")

    # 2. A head site through the closer view of the face, with more details.
    front.get_by_role("button", name="Face and head: show closer").tap()
    page.get_by_role("group", name="Face and head").get_by_role("button", name="Right eyelid").tap()
    page.get_by_role("button", name="Back to the whole body").tap()
    head = front.get_by_role("button", name="Face and head, 1 chosen: show closer")
    expect(head).to_be_visible()
    page.get_by_label("~1 min").tap()
    page.get_by_label("Mild").tap()
    page.get_by_label("Caffeine").tap()
    log_button.tap()

    expect(flash).to_contain_text("Right eyelid")
    expect(flash).to_be_in_viewport()  # logged from far down the page: brought back into view
    second = Episode.objects.for_user(user).newest_first().first()
    assert second != first
    assert site_codes(second) == {"eyelid-right"}
    assert second.duration == timedelta(minutes=1)
    assert second.intensity == 2
    assert [t.slug for t in second.triggers.all()] == ["caffeine"]
    expect(page.locator("#episode-list .episode").first).to_contain_text("Right eyelid")

    # 3. "Same as last time" repeats the sites and triggers, with the time set to now.
    page.get_by_role("link", name="Same as last time").tap()
    eyelid = page.locator('#log-form input[name="sites"][value="eyelid-right"]')
    expect(eyelid.first).to_be_checked()
    expect(page.get_by_label("Caffeine")).to_be_checked()
    expect(page.get_by_label("A few seconds")).to_be_checked()
    log_button.tap()

    expect(flash).to_contain_text("Right eyelid")
    assert Episode.objects.for_user(user).count() == 3
    third = Episode.objects.for_user(user).newest_first().first()
    assert third not in (first, second)
    assert site_codes(third) == {"eyelid-right"}
    assert [t.slug for t in third.triggers.all()] == ["caffeine"]
    assert third.duration == timedelta(seconds=5)
    rows = page.locator("#episode-list .episode")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Caffeine")
    expect(rows.nth(2)).to_contain_text("Left thigh, Left calf")


def test_edit_episode_from_today_list(logged_in_page, live_server, user):
    episode = EpisodeFactory(user=user, sites=["thigh-left", "calf-left"])
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    page.locator(f"#episode-{episode.uuid} .episode-main").tap()

    expect(page.get_by_role("heading", name="Edit episode")).to_be_visible()
    front = page.get_by_role("group", name="Front of the body")
    back = page.get_by_role("group", name="Back of the body")
    expect(front.get_by_role("button", name="Left thigh")).to_have_attribute("aria-pressed", "true")
    expect(back.get_by_role("button", name="Left calf")).to_have_attribute("aria-pressed", "true")
    # The thigh is drawn in both views: untapping it on the back shows on the front too.
    back.get_by_role("button", name="Left thigh").tap()
    expect(front.get_by_role("button", name="Left thigh")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.get_by_text("More details").tap()
    page.get_by_label("Notes").fill("After a long run <b>not bold</b>")
    page.get_by_role("button", name="Save changes").tap()

    expect(page).to_have_url(live_server.url + reverse("log"))
    expect(page.locator("#messages")).to_contain_text("Saved your changes")
    row = page.locator(f"#episode-{episode.uuid}")
    expect(row.locator(".episode-sites")).to_have_text("Left calf")
    expect(row).to_contain_text("Notes")
    episode.refresh_from_db()
    assert site_codes(episode) == {"calf-left"}
    assert episode.notes == "After a long run <b>not bold</b>"


def test_delete_then_undo(logged_in_page, live_server, user):
    kept = EpisodeFactory(user=user, sites=["forearm-right"])
    doomed = EpisodeFactory(
        user=user, sites=["calf-left"], started_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    row = page.locator(f"#episode-{doomed.uuid}")
    row.get_by_role("button", name="Delete episode").tap()

    expect(row).to_contain_text("Deleted the episode")
    undo = row.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    doomed.refresh_from_db()
    assert doomed.deleted_at is not None
    assert list(Episode.objects.for_user(user)) == [kept]

    undo.tap()
    expect(row.locator(".episode-sites")).to_have_text("Left calf")
    doomed.refresh_from_db()
    assert doomed.deleted_at is None
    page.reload()
    expect(page.locator("#episode-list .episode")).to_have_count(2)


def test_history_filters(logged_in_page, live_server, user):
    now = datetime.now(UTC)
    calf = EpisodeFactory(
        user=user, sites=["calf-left"], triggers=["caffeine"], started_at=now - timedelta(days=3)
    )
    EpisodeFactory(
        user=user, sites=["thigh-right"], triggers=["stress"], started_at=now - timedelta(days=20)
    )
    EpisodeFactory(
        user=user,
        sites=["eyelid-left", "calf-right"],
        triggers=["caffeine"],
        started_at=now - timedelta(days=40),
    )
    page = logged_in_page
    page.goto(live_server.url + reverse("history"))
    results = page.locator("#history-results")
    expect(results).to_contain_text("3 episodes")

    page.get_by_label("Body site").select_option("calf-left")
    expect(results).to_contain_text("1 episode")
    expect(results.locator(".episode")).to_have_count(1)
    expect(results.locator(f"#episode-{calf.uuid}")).to_be_visible()
    assert "site=calf-left" in page.url

    page.get_by_label("Body site").select_option("")
    page.get_by_label("Trigger").select_option("caffeine")
    expect(results).to_contain_text("2 episodes")
    assert Episode.objects.for_user(user).filter(triggers__slug="caffeine").count() == 2

    page.get_by_label("Body site").select_option("region:bulbar")
    expect(results).to_contain_text("1 episode")
    expect(results).to_contain_text("Left eyelid, Right calf")

    page.get_by_label("From").fill((now - timedelta(days=10)).date().isoformat())
    page.get_by_label("Body site").select_option("")
    expect(results).to_contain_text("1 episode")
    expect(results.locator(f"#episode-{calf.uuid}")).to_be_visible()
