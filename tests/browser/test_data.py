"""
Own your data on a phone: download the JSON, delete the account, sign up again,
import the file, and find the same History; every page of it axe-clean in light and dark.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import Episode, FunctionCheck
from tests.browser.support import NARROW_PHONE, assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD, EpisodeFactory, TriggerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def make_diary(user) -> None:
    now = datetime.now(UTC)
    wine = TriggerFactory(user=user, name="Red wine")
    EpisodeFactory(user=user, sites=["calf-left", "thigh-right"], triggers=["caffeine", wine])
    EpisodeFactory(
        user=user,
        sites=["eyelid-left"],
        started_at=now - timedelta(days=1, minutes=30),
        intensity=3,
        weakness=True,
        notes="Ελληνικά, кириллица 🙂 <b>not bold</b>",
    )
    EpisodeFactory(user=user, sites=["tongue"], started_at=now - timedelta(days=9))
    FunctionCheck.objects.create(user=user, date=now.date(), grip=True, grip_note="jars")


def check_axe(page, what: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"{what} ({scheme})")
    page.emulate_media(color_scheme="light")


def history_text(page, live_server) -> str:
    page.goto(live_server.url + reverse("history"))
    return page.locator("#history-list").inner_text()


def test_download_delete_sign_up_import_same_history(logged_in_page, live_server, user, tmp_path):
    page = logged_in_page
    make_diary(user)
    before = history_text(page, live_server)
    assert "Red wine" in before

    # 1. Download the JSON from Settings.
    page.goto(live_server.url + reverse("settings"))
    check_axe(page, "settings")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download JSON").tap()
    download = info.value
    assert download.suggested_filename.startswith("twitchlog-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert b'"format":"twitchlog"' in saved.read_bytes().replace(b" ", b"")

    # 2. Delete the account: the page offers the download first and asks the password.
    page.get_by_role("link", name="Delete your account…").tap()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    check_axe(page, "delete account")
    page.get_by_label("Your password").fill("wrong")
    page.get_by_role("button", name="Delete my account and data").tap()
    expect(page.locator(".field-errors")).to_contain_text("That is not your password.")
    check_axe(page, "delete account, wrong password")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and data").tap()
    expect(page).to_have_url(live_server.url + reverse("login"))
    expect(page.locator("#messages")).to_contain_text("have been deleted")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert Episode.objects.count() == 0

    # 3. Sign up again.
    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill("alex-again")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").tap()
    expect(page).to_have_url(live_server.url + reverse("log"))

    # 4. Import: a wrong file first, then the download.
    page.goto(live_server.url + reverse("settings"))
    page.get_by_role("link", name="Import a file").tap()
    expect(page.get_by_role("heading", name="Import a Twitchlog file")).to_be_visible()
    check_axe(page, "import")
    bad = tmp_path / "notes.json"
    bad.write_text('{"format": "something else"}')
    page.get_by_label("Twitchlog file (JSON or ZIP)").set_input_files(bad)
    page.get_by_role("button", name="Check the file").tap()
    expect(page.locator(".field-errors")).to_contain_text("This is not a Twitchlog file")
    check_axe(page, "import, bad file")
    page.get_by_label("Twitchlog file (JSON or ZIP)").set_input_files(saved)
    page.get_by_role("button", name="Check the file").tap()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("3 new")
    expect(preview).to_contain_text("adds Red wine")
    check_axe(page, "import preview")
    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "import preview at 360 px")
    page.get_by_role("button", name="Import now").tap()

    expect(page).to_have_url(live_server.url + reverse("history"))
    expect(page.locator("#messages")).to_contain_text(
        "Imported 3 episodes, 1 function check, 1 trigger"
    )
    assert history_text(page, live_server) == before
    new_user = get_user_model().objects.get(username="alex-again")
    assert FunctionCheck.objects.get(user=new_user).grip_note == "jars"


def test_trigger_page_and_settings_are_axe_clean(logged_in_page, live_server, user):
    page = logged_in_page
    make_diary(user)
    page.goto(live_server.url + reverse("settings"))
    page.get_by_role("link", name="Red wine").tap()
    expect(page.get_by_role("heading", name="Your trigger “Red wine”")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 episode in your diary has it.")
    check_axe(page, "trigger page")
    page.get_by_label("New name").fill("Caffeine")
    page.get_by_role("button", name="Rename").tap()
    expect(page.locator(".field-errors")).to_contain_text("already have a trigger")
    check_axe(page, "trigger page with an error")
    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "trigger page at 360 px")
    page.get_by_label("Merge into", exact=True).select_option(label="Stress")
    page.get_by_role("button", name="Merge").tap()
    expect(page.locator("#messages")).to_contain_text("Merged “Red wine” into “Stress”")
    assert_no_horizontal_scroll(page, "settings at 360 px")
    # Hide a built-in from the Log page.
    page.locator("label.chip", has_text="Lack of sleep").tap()
    page.locator(".shown-triggers").get_by_role("button", name="Save").tap()
    expect(page.locator("#messages")).to_contain_text("Saved which triggers")
    assert [t.slug for t in user.profile.hidden_triggers.all()] == ["lack-of-sleep"]
