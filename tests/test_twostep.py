"""
Two-step login: setting it up (QR code, first code, recovery codes shown once), logging in
with and without the second step, recovery codes used once, and turning it off.
"""

from __future__ import annotations

import re
from html import escape
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from diary.twostep import devices, pending
from tests.factories import PASSWORD, UserFactory
from tests.helpers import app_code, field_errors, two_step_on
from tests.test_fuzz import BAD_VALUES, assert_no_500

pytestmark = pytest.mark.django_db

SETUP = "/settings/two-step/"
CODES = "/settings/two-step/codes/"
CODE_PAGE = "/accounts/login/code/"


def logged_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def password_step(client, user, password=PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data, REMOTE_ADDR="198.51.100.7")


def code_step(client, code, recovery=False):
    url = CODE_PAGE + ("?with=recovery" if recovery else "")
    return client.post(url, {"code": code}, REMOTE_ADDR="198.51.100.7")


def html(response) -> str:
    return response.content.decode()


# --- setting it up ---


def test_settings_offers_it_while_off(owner_client):
    page = html(owner_client.get("/settings/"))
    assert "Two-step login" in page
    assert "Off." in page
    assert f'href="{SETUP}"' in page


def test_setup_page_shows_a_qr_code_and_the_key_for_typing(owner_client, user):
    page = html(owner_client.get(SETUP))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'role="img" aria-label="QR code that adds Twitchlog to an authenticator app"' in page
    assert devices.secret_for_typing(device) in page
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", devices.secret_for_typing(device))
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    # A reload shows the same key: the app may already hold it.
    owner_client.get(SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert "issuer=Twitchlog" in device.config_url
    assert f'href="{escape(device.config_url)}"' in page  # on the phone itself: tap, not scan
    assert not devices.is_on(user)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Please type the code."),
        ("12345", "Type the 6 digits your authenticator app shows, e.g. 123456."),
        ("abcdefgh", "Type the 6 digits your authenticator app shows, e.g. 123456."),
        ("١٢٣٤٥٦", "Type the 6 digits your authenticator app shows, e.g. 123456."),
    ],
)
def test_setup_refuses_a_code_of_the_wrong_shape(owner_client, user, code, message):
    owner_client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = owner_client.post(SETUP, {"device": device.pk, "code": code})
    assert response.status_code == 200
    assert field_errors(response, "code") == [message]
    assert not devices.is_on(user)


def test_setup_refuses_a_wrong_code_and_changes_nothing(owner_client, user):
    owner_client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = owner_client.post(SETUP, {"device": device.pk, "code": wrong})
    assert response.status_code == 200
    assert field_errors(response, "code") == [devices.WRONG_APP]
    assert not devices.is_on(user)
    assert not StaticDevice.objects.filter(user=user).exists()
    assert devices.secret_for_typing(device) in html(response)  # the same QR code, to retry


def test_setup_with_the_right_code_turns_it_on_and_shows_the_codes_once(owner_client, user):
    owner_client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = owner_client.post(SETUP, {"device": device.pk, "code": f" {app_code(device)} "})
    assert response.status_code == 302
    assert response["Location"] == CODES
    assert devices.is_on(user)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == devices.RECOVERY_CODES == 10

    page = html(owner_client.get(CODES))
    assert "Two-step login is on." in page
    shown = set(re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page))
    assert {code.replace("-", "") for code in shown} == tokens

    text = owner_client.get("/settings/two-step/recovery-codes.txt")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in text["Content-Disposition"]
    assert "no-store" in text["Cache-Control"]
    assert {line for line in text.content.decode().splitlines() if "-" in line[4:5]} == shown

    # "I have saved them": gone from the session, never shown again.
    assert owner_client.post(CODES)["Location"] == "/settings/"
    assert owner_client.get(CODES)["Location"] == "/settings/"
    assert owner_client.get("/settings/two-step/recovery-codes.txt")["Location"] == "/settings/"
    settings_page = html(owner_client.get("/settings/"))
    assert "<strong>On.</strong>" in settings_page
    assert "10 recovery codes left." in settings_page


def test_setup_logs_out_other_devices_but_not_this_one(client, user):
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"device": device.pk, "code": app_code(device)}, follow=True)
    assert "You are logged out on your other devices." in html(response)
    assert logged_in(client)
    assert not logged_in(phone)
    assert not logged_in(laptop)


@pytest.mark.parametrize("bogus", ["", "x", "-1", "99999999999999999999", "1e3"])
def test_setup_with_a_bogus_device_changes_nothing(owner_client, user, bogus):
    owner_client.get(SETUP)
    response = owner_client.post(SETUP, {"device": bogus, "code": "123456"}, follow=True)
    assert response.status_code == 200
    assert "That set-up page was out of date." in html(response)
    assert not devices.is_on(user)


def test_another_persons_device_cannot_be_confirmed(owner_client, user, other_user):
    theirs = devices.app_being_set_up(other_user)
    response = owner_client.post(SETUP, {"device": theirs.pk, "code": app_code(theirs)})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert not theirs.confirmed
    assert not devices.is_on(user)
    assert not devices.is_on(other_user)


def test_setup_sent_twice_is_answered_kindly(owner_client, user):
    owner_client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    data = {"device": device.pk, "code": app_code(device)}
    first = owner_client.post(SETUP, data)
    second = owner_client.post(SETUP, data)
    assert first["Location"] == second["Location"] == CODES
    assert StaticDevice.objects.filter(user=user).count() == 1
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_setup_page_while_on_goes_back_to_settings(owner_client, user):
    two_step_on(user)
    response = owner_client.get(SETUP, follow=True)
    assert "Two-step login is already on." in html(response)
    assert TOTPDevice.objects.filter(user=user).count() == 1


# --- logging in ---


def test_without_two_step_the_password_logs_straight_in(client, user):
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in(client)


def test_with_two_step_the_password_alone_does_not_log_in(client, user):
    two_step_on(user)
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    assert not logged_in(client)
    page = html(client.get(CODE_PAGE))
    assert user.username in page
    assert "6-digit code" in page
    assert 'href="/accounts/login/code/?with=recovery"' in page
    assert not logged_in(client)


def test_the_right_code_logs_in_and_goes_to_next(client, user):
    device, _ = two_step_on(user)
    password_step(client, user, next_url="/trends/")
    response = code_step(client, app_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/trends/"
    assert logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert pending.KEY not in client.session


def test_a_wrong_code_does_not_log_in_and_counts_as_a_failed_login(client, user):
    device, _ = two_step_on(user)
    password_step(client, user)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert field_errors(response, "code") == [devices.WRONG_APP]
    assert not logged_in(client)
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_a_mistyped_code_is_explained_and_not_counted(client, user):
    two_step_on(user)
    password_step(client, user)
    response = code_step(client, "12 34")
    assert field_errors(response, "code") == [devices.BAD_SHAPE]
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_a_code_is_not_accepted_twice(client, user):
    device, _ = two_step_on(user)
    code = app_code(device)
    password_step(client, user)
    assert code_step(client, code).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, user)
    response = code_step(client, code)
    assert field_errors(response, "code") == [devices.WRONG_APP]
    assert not logged_in(client)


def test_the_next_code_logs_in_again(client, user):
    device, _ = two_step_on(user)
    password_step(client, user)
    assert code_step(client, app_code(device)).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, user)
    assert code_step(client, app_code(device, steps_ahead=1)).status_code == 302
    assert logged_in(client)


def test_a_recovery_code_works_once(client, user):
    _, codes = two_step_on(user)
    password_step(client, user)
    response = code_step(client, devices.shown(codes[0]).upper(), recovery=True)
    assert response.status_code == 302
    page = html(client.get("/"))
    assert "You logged in with a recovery code; 9 left, each good once." in page
    assert devices.recovery_codes_left(user) == 9

    again = Client()
    password_step(again, user)
    response = code_step(again, codes[0], recovery=True)
    assert field_errors(response, "code") == [devices.WRONG_RECOVERY]
    assert not logged_in(again)
    # django-otp slows tries after a miss; a second later, another unused code works.
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    assert code_step(again, codes[1], recovery=True).status_code == 302


def test_the_recovery_page_asks_for_letters(client, user):
    two_step_on(user)
    password_step(client, user)
    page = html(client.get(CODE_PAGE + "?with=recovery"))
    assert "One of your recovery codes" in page
    assert 'inputmode="numeric"' not in page
    assert 'href="/accounts/login/code/"' in page


def test_the_right_code_right_after_a_miss_goes_through(client, user):
    """
    django-otp wants a second between a wrong code and the next try. Someone who mistyped and
    at once typed the right code (or had it filled in) is let in, not told to wait and type it
    again: so short a wait is waited out.
    """
    device, _ = two_step_on(user)
    password_step(client, user)
    code_step(client, f"{(int(app_code(device)) + 1) % 1_000_000:06d}")
    response = code_step(client, app_code(device))
    assert response.status_code == 302
    assert logged_in(client)


def test_a_retry_right_after_several_misses_is_asked_to_wait(client, user):
    """After three misses the wait is 4 s: too long to hold the page, so the person is asked."""
    device, _ = two_step_on(user)
    password_step(client, user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = code_step(client, app_code(device))
    assert field_errors(response, "code") == [devices.WAIT]
    assert not logged_in(client)


def test_repeated_wrong_codes_pause_logging_in(client, user):
    device, _ = two_step_on(user)
    password_step(client, user)
    limit = django_settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        response = code_step(client, f"{(int(app_code(device)) + 1 + n) % 1_000_000:06d}")
    assert response.status_code == 429
    assert "Logging in is paused for a while" in html(response)
    # The half-done login is gone: after the pause, it starts again from the password.
    assert client.get(CODE_PAGE)["Location"] == "/accounts/login/"
    assert not logged_in(client)


def test_the_code_page_without_a_password_first_goes_to_login(client):
    response = client.get(CODE_PAGE, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Please log in with your password first" in html(response)


def test_the_code_step_expires(client, user):
    device, _ = two_step_on(user)
    password_step(client, user)
    later = pending.time.time() + pending.LASTS_SECONDS + 1
    with mock.patch.object(pending.time, "time", return_value=later):
        response = code_step(client, app_code(device))
    assert response["Location"] == "/accounts/login/"
    assert not logged_in(client)


def test_a_half_done_login_is_only_for_its_own_account(client, user, other_user):
    two_step_on(user)
    _, theirs = two_step_on(other_user)
    password_step(client, user)
    response = code_step(client, theirs[0], recovery=True)
    assert field_errors(response, "code") == [devices.WRONG_RECOVERY]
    assert devices.recovery_codes_left(other_user) == 10


def test_the_admin_login_cannot_skip_the_code(client, user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert client.post("/admin/login/", {"username": user.username, "password": PASSWORD})[
        "Location"
    ].startswith("/accounts/login/")


# --- recovery codes and turning it off ---


def test_new_recovery_codes_need_the_password_and_replace_the_old(owner_client, user):
    _, old = two_step_on(user)
    response = owner_client.post("/settings/two-step/new-codes/", {"password": "nope"})
    assert field_errors(response, "password") == ["That is not your password. Nothing was changed."]
    assert devices.recovery_codes_left(user) == 10
    response = owner_client.post("/settings/two-step/new-codes/", {"password": PASSWORD})
    assert response["Location"] == CODES
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10
    assert not new & set(old)
    page = html(owner_client.get(CODES))
    assert "New recovery codes made. The old ones no longer work." in page


def test_turning_it_off_needs_the_password(owner_client, client, user):
    two_step_on(user)
    response = owner_client.post("/settings/two-step/off/", {"password": ""})
    assert field_errors(response, "password") == ["Please enter your password."]
    assert devices.is_on(user)
    response = owner_client.post("/settings/two-step/off/", {"password": PASSWORD}, follow=True)
    assert "Two-step login is off." in html(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    anonymous = Client()
    assert password_step(anonymous, user)["Location"] == "/"


def test_off_and_new_codes_pages_while_off_go_to_settings(owner_client):
    for url in ("/settings/two-step/off/", "/settings/two-step/new-codes/"):
        assert owner_client.get(url)["Location"] == "/settings/"
        assert owner_client.post(url, {"password": PASSWORD})["Location"] == "/settings/"


def test_the_pages_need_a_login(client):
    for url in (SETUP, CODES, "/settings/two-step/off/", "/settings/two-step/new-codes/"):
        assert client.get(url)["Location"].startswith("/accounts/login/?next=")


def test_deleting_the_account_removes_the_devices(owner_client, user):
    two_step_on(user)
    owner_client.post("/settings/delete/", {"password": PASSWORD})
    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()


def test_another_person_sees_none_of_it(client, user, other_user):
    two_step_on(user)
    client.force_login(other_user)
    assert "Off." in html(client.get("/settings/"))
    assert client.get(CODES)["Location"] == "/settings/"
    assert client.get("/settings/two-step/off/")["Location"] == "/settings/"


def test_a_new_account_has_it_off():
    assert not devices.is_on(UserFactory())


# --- bad input ---


@pytest.mark.parametrize("recovery", [False, True])
def test_bad_codes_at_login_are_never_a_500(client, user, recovery):
    two_step_on(user)
    password_step(client, user)
    for value in [*BAD_VALUES, ["1", "2"]]:
        TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
        StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
        AccessAttempt.objects.all().delete()
        assert_no_500(code_step(client, value, recovery=recovery))
    assert_no_500(client.post(CODE_PAGE, {}))
    assert not logged_in(client)


@pytest.mark.parametrize("url", ["/settings/two-step/off/", "/settings/two-step/new-codes/"])
def test_bad_passwords_on_the_two_step_pages_are_never_a_500(owner_client, user, url):
    _, codes = two_step_on(user)
    for value in BAD_VALUES:
        assert_no_500(owner_client.post(url, {"password": value}))
    assert devices.is_on(user)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == codes
