"""Accounts: sign-up (and switching it off), log in and out, password change, settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from diary.models import Profile, Trigger
from tests.factories import PASSWORD, TriggerFactory
from tests.helpers import field_errors

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-42"


def signup_data(**overrides) -> dict:
    data = {
        "username": "newcomer",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "timezone": "America/Chicago",
    }
    data.update(overrides)
    return data


# --- Sign-up ---


def test_signup_page_is_public(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Create an account" in html
    assert "data-autodetect-timezone" in html
    assert '<option value="Europe/London">Europe/London</option>' in html


def test_signup_creates_user_with_profile_zone_and_logs_in(client):
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="newcomer")
    assert Profile.objects.get(user=user).timezone == "America/Chicago"
    page = client.get("/")
    assert page.status_code == 200
    assert "Welcome to Twitchlog." in page.content.decode()
    assert page.wsgi_request.user == user


def test_signup_invalid_shows_errors_and_creates_nothing(client):
    response = client.post(
        "/accounts/signup/", signup_data(password2="different-passphrase", timezone="Nowhere/Land")
    )
    assert response.status_code == 200
    assert field_errors(response, "password2")
    assert field_errors(response, "timezone")
    assert not User.objects.exists()


def test_signup_says_what_it_asks_and_why(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "An e-mail address lets you reset a forgotten password" in html
    assert "E-mail (optional)" in html
    assert "Your name for the report (optional)" in html
    assert "Printed on your doctor summary." in html
    # The password rules sit next to the password field, in our words.
    rules = html.index("At least 8 characters.")
    assert html.index('id="id_password1"') < rules < html.index('id="id_password2"')


def test_signup_keeps_the_name_for_the_report(client):
    client.post("/accounts/signup/", signup_data(display_name="  Sam Doe "))
    assert Profile.objects.get(user__username="newcomer").display_name == "Sam Doe"


@pytest.mark.parametrize(
    ("password", "words"),
    [("short1", "too short"), ("password123", "too common"), ("84736291057", "entirely numeric")],
)
def test_signup_password_problems_show_next_to_the_password(client, password, words):
    response = client.post("/accounts/signup/", signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert any(words in error for error in field_errors(response, "password1"))
    assert not field_errors(response, "password2")
    assert not User.objects.exists()


def test_signup_duplicate_username_refused(client, user):
    response = client.post("/accounts/signup/", signup_data(username=user.username))
    assert response.status_code == 200
    assert field_errors(response, "username") == [
        "That one is already taken. Please choose another."
    ]
    assert User.objects.count() == 1


def test_signup_when_logged_in_goes_to_log(owner_client):
    assert owner_client.get("/accounts/signup/")["Location"] == "/"


def test_signup_switched_off_is_404(client, settings):
    settings.SIGNUP_ENABLED = False
    assert client.get("/accounts/signup/").status_code == 404
    assert client.post("/accounts/signup/", signup_data()).status_code == 404
    assert not User.objects.exists()
    assert "Create an account" not in client.get("/accounts/login/").content.decode()


def test_login_page_links_to_signup_when_enabled(client):
    assert 'href="/accounts/signup/"' in client.get("/accounts/login/").content.decode()


# --- Log in, log out ---


def test_login_then_redirect_to_next(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "next": "/episodes/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/episodes/"
    assert client.get("/episodes/").status_code == 200


def test_login_defaults_to_the_log_page(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/"


def test_login_wrong_password_is_a_clear_error(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_login_refuses_an_offsite_next(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_login_page_when_logged_in_goes_to_log(owner_client):
    assert owner_client.get("/accounts/login/")["Location"] == "/"


def test_logout_needs_post_and_ends_the_session(owner_client):
    assert owner_client.get("/accounts/logout/").status_code == 405
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert owner_client.get("/")["Location"] == "/accounts/login/?next=/"


def test_logout_button_on_every_page(owner_client, user):
    html = owner_client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert f"Log out ({user.username})" in html


# --- Password change and reset ---


def test_password_change_needs_login(client):
    response = client.get("/accounts/password_change/")
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"


def test_password_change_then_log_in_with_the_new_one(owner_client, client, user):
    response = owner_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    done = owner_client.get(response["Location"]).content.decode()
    assert "Your password has been changed." in done
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert owner_client.get("/").status_code == 200  # still logged in here


def test_password_change_wrong_old_password(owner_client, user):
    response = owner_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert field_errors(response, "old_password")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_is_public_and_sends_a_link(client, user, mailoutbox):
    user.email = "person@example.com"
    user.save()
    assert client.get("/accounts/password_reset/").status_code == 200
    response = client.post("/accounts/password_reset/", {"email": "person@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


# --- Settings ---


def test_settings_anonymous_redirected(client):
    assert client.get("/settings/")["Location"] == "/accounts/login/?next=/settings/"


def test_settings_owner_sees_profile_and_own_triggers_only(owner_client, user, other_user):
    user.profile.display_name = "Sam"
    user.profile.save()
    TriggerFactory(user=user, name="Red wine")
    TriggerFactory(user=other_user, name="Their trigger")
    html = owner_client.get("/settings/").content.decode()
    assert 'value="Sam"' in html
    assert '<option value="Europe/London" selected>' in html
    assert '<span class="trigger-name">Red wine</span>' in html
    assert "Their trigger" not in html


def test_settings_saves_display_name_and_timezone(owner_client, user):
    response = owner_client.post(
        "/settings/",
        {"action": "profile", "display_name": "Sam Patel", "timezone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.timezone) == ("Sam Patel", "Asia/Tokyo")
    assert "Settings saved." in owner_client.get("/settings/").content.decode()


def test_settings_unknown_timezone_is_a_clear_error(owner_client, user):
    response = owner_client.post(
        "/settings/", {"action": "profile", "display_name": "Sam", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert field_errors(response, "timezone") == [
        "That is not one of the options here. Please pick one from the list."
    ]
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.timezone) == ("", "Europe/London")


def test_settings_display_name_markup_and_nul(owner_client, user):
    response = owner_client.post(
        "/settings/", {"action": "profile", "display_name": "a\x00b", "timezone": "UTC"}
    )
    assert field_errors(response, "display_name") == [
        "The text contains a NUL character; please remove it."
    ]
    owner_client.post(
        "/settings/", {"action": "profile", "display_name": "<b>Sam</b>", "timezone": "UTC"}
    )
    html = owner_client.get("/settings/").content.decode()
    assert "<b>Sam</b>" not in html
    assert 'value="&lt;b&gt;Sam&lt;/b&gt;"' in html


def test_settings_adds_own_trigger(owner_client, user):
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": " Red  wine "})
    assert response["Location"] == "/settings/"
    trigger = Trigger.objects.get(user=user)
    assert (trigger.name, trigger.slug) == ("Red wine", "red-wine")
    assert "Added “Red wine” to your triggers." in owner_client.get("/settings/").content.decode()


@pytest.mark.parametrize(
    ("name", "slug"), [("Кофе", "кофе"), ("Καφές", "καφές"), ("Café", "cafe"), ("Straße", "straße")]
)
def test_settings_adds_own_trigger_in_any_script(owner_client, user, name, slug):
    """Greek or Cyrillic names were refused: the ASCII slug of "Кофе" is empty."""
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": name})
    assert response["Location"] == "/settings/"
    trigger = Trigger.objects.get(user=user)
    assert (trigger.name, trigger.slug) == (name, slug)


def test_settings_own_triggers_differing_only_in_non_latin_letters(owner_client, user):
    """The ASCII slug of both is "2": "Чай 2" was refused as a duplicate of "Кофе 2"."""
    TriggerFactory(user=user, name="Кофе 2")
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": "Чай 2"})
    assert response["Location"] == "/settings/"
    assert sorted(Trigger.objects.filter(user=user).values_list("slug", flat=True)) == [
        "кофе-2",
        "чай-2",
    ]


@pytest.mark.parametrize("name", ["Alcohol", "ALCOHOL", "Caffeine", "lack of sleep"])
def test_settings_duplicate_trigger_refused(owner_client, user, name):
    TriggerFactory(user=user, name="Alcohol")
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": name})
    assert response.status_code == 200
    assert field_errors(response, "name") == ["You already have a trigger with that name."]
    assert Trigger.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Please fill this in."),
        ("x" * 41, "That is too long: at most 40 characters (it has 41)."),
        ("a\x00b", "The text contains a NUL character; please remove it."),
        ("%%%", "Use letters or numbers in the trigger's name."),
    ],
)
def test_settings_bad_trigger_name(owner_client, user, name, message):
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": name})
    assert response.status_code == 200
    assert message in field_errors(response, "name")
    assert not Trigger.objects.filter(user=user).exists()


def test_settings_unknown_action_changes_nothing(owner_client, user):
    response = owner_client.post("/settings/", {"action": "delete-everything"})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=user.pk).exists()


@pytest.mark.calendar
def test_settings_new_zone_changes_which_day_is_today(owner_client, user):
    """After moving to Tokyo, the log page's "today" follows Tokyo's calendar."""
    owner_client.post(
        "/settings/", {"action": "profile", "display_name": "", "timezone": "Asia/Tokyo"}
    )
    response = owner_client.get("/")
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    assert response.context["today"] == today


# --- Liveness ---


def test_healthz_public_and_reveals_nothing(client, user):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405
