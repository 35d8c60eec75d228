"""
Settings → Reminders, the devices, "skip today", the public stop link and the appointment on
the Report page: who may see and change what, bad input, and what each write changes.
"""

from __future__ import annotations

import json
from datetime import date, time

import pytest
import time_machine
from django.test import Client

from diary.models import (
    MAX_DEVICES,
    DeliveryStatus,
    PushDevice,
    ReminderDelivery,
    ReminderKind,
    ReminderSettings,
)
from diary.reminders import devices
from diary.reminders.messages import stop_token
from tests.reminder_helpers import CHROME_ON_ANDROID, local

pytestmark = pytest.mark.django_db

PAGE = "/settings/reminders/"
ADD = "/settings/reminders/devices/"
NOON = "2027-06-10 12:00"


def valid(**changes) -> dict:
    data = {"remind_at": "21:00", "function_check_weekday": "6", "by_email": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def add_device(client: Client, subscription: dict, **headers):
    return client.post(
        ADD,
        json.dumps(subscription),
        content_type="application/json",
        headers={"User-Agent": CHROME_ON_ANDROID, **headers},
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", PAGE),
        ("post", PAGE),
        ("post", ADD),
        ("post", "/settings/reminders/skip/"),
        ("post", "/settings/reminders/devices/00000000-0000-0000-0000-000000000000/remove/"),
        ("post", "/report/appointment/"),
    ],
)
def test_anonymous_people_are_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_everything_is_off_until_switched_on(owner_client, user):
    response = owner_client.get(PAGE)
    assert response.status_code == 200
    settings = ReminderSettings.objects.get(user=user)
    switches = ["checkin", "function_check", "appointment", "appointment_check"]
    assert [getattr(settings, name) for name in switches] == [False] * 4
    html = response.text
    assert 'name="checkin"' in html
    assert 'name="checkin" checked' not in html
    assert "No device gets notifications yet." in html


def test_saving_the_choices(owner_client, user):
    response = owner_client.post(
        PAGE,
        valid(checkin="on", function_check="on", function_check_weekday="2", remind_at="20:15"),
    )
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(user=user)
    assert (saved.checkin, saved.function_check, saved.function_check_weekday) == (True, True, 2)
    assert saved.remind_at == time(20, 15)
    page = owner_client.get("/settings/").text
    assert "On: daily check-in, function check on Wednesdays, at 20:15." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (valid(remind_at=""), "remind_at", "Choose a time, e.g. 21:00."),
        (valid(remind_at="25:00"), "remind_at", "Enter a real time, e.g. 14:30."),
        (valid(quiet_from="22:00"), "quiet_until", "Give both ends of the quiet hours"),
        (valid(quiet_from="22:00", quiet_until="22:00"), "quiet_until", "end at another time"),
        (
            valid(quiet_from="20:00", quiet_until="07:00"),
            "remind_at",
            "21:00 is inside your quiet hours (20:00–07:00).",
        ),
        (valid(function_check_weekday="9"), "function_check_weekday", "That is not one of"),
    ],
)
def test_bad_choices_are_explained_and_change_nothing(owner_client, user, data, field, message):
    response = owner_client.post(PAGE, {**data, "checkin": "on"})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not ReminderSettings.objects.get(user=user).checkin


def test_a_device_is_added_with_a_name_a_person_recognises(owner_client, user, push_service):
    subscription = push_service.subscribe()
    response = add_device(owner_client, subscription)
    assert response.status_code == 201
    assert response.json()["name"] == "Chrome on Android"
    device = PushDevice.objects.get(user=user)
    assert device.endpoint == subscription["endpoint"]
    assert device.p256dh == subscription["keys"]["p256dh"]
    page = owner_client.get(PAGE).text
    assert "Chrome on Android" in page
    # Adding the same subscription again (a second tap) keeps one device.
    assert add_device(owner_client, subscription).status_code == 201
    assert PushDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("subscription", "message"),
    [
        ("not json", "That is not a notification subscription."),
        ([], "This browser did not send a notification subscription."),
        ({"endpoint": "https://fcm.googleapis.com/fcm/send/x"}, "did not send a notification"),
        (
            {"endpoint": "http://10.0.0.5/admin", "keys": {"p256dh": "x", "auth": "y"}},
            "not one Twitchlog knows",
        ),
        (
            {"endpoint": "https://evil.example/push", "keys": {"p256dh": "x", "auth": "y"}},
            "not one Twitchlog knows",
        ),
    ],
)
def test_a_subscription_twitchlog_cannot_use_is_refused(owner_client, user, subscription, message):
    body = subscription if isinstance(subscription, str) else json.dumps(subscription)
    response = owner_client.post(ADD, body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushDevice.objects.exists()


def test_keys_that_are_not_a_p256_point_are_refused(owner_client, push_service):
    subscription = push_service.subscribe()
    subscription["keys"]["p256dh"] = "BAAA" + subscription["keys"]["p256dh"][4:]
    response = add_device(owner_client, subscription)
    assert response.status_code == 400
    assert response.json()["error"] == "This browser sent keys Twitchlog cannot read."
    subscription = push_service.subscribe()
    subscription["keys"]["auth"] = "c2hvcnQ"
    assert add_device(owner_client, subscription).status_code == 400
    assert not PushDevice.objects.exists()


def test_a_person_has_at_most_ten_devices(owner_client, user, push_service):
    for _ in range(MAX_DEVICES):
        assert add_device(owner_client, push_service.subscribe()).status_code == 201
    response = add_device(owner_client, push_service.subscribe())
    assert response.status_code == 400
    assert "Remove one of them first" in response.json()["error"]
    assert PushDevice.objects.filter(user=user).count() == MAX_DEVICES


def test_a_browser_subscribed_by_another_account_moves_to_it(
    owner_client, user, other_user, push_service
):
    subscription = push_service.subscribe()
    devices.subscribe(other_user, subscription, user_agent=CHROME_ON_ANDROID)
    assert add_device(owner_client, subscription).status_code == 201
    assert PushDevice.objects.get().user == user


def test_removing_a_device(owner_client, user, other_user, push_service):
    mine = devices.subscribe(user, push_service.subscribe(), user_agent=CHROME_ON_ANDROID)
    theirs = devices.subscribe(other_user, push_service.subscribe(), user_agent=CHROME_ON_ANDROID)
    response = owner_client.post(f"/settings/reminders/devices/{theirs.uuid}/remove/")
    assert response.status_code == 404
    assert PushDevice.objects.filter(pk=theirs.pk).exists()
    response = owner_client.post(f"/settings/reminders/devices/{mine.uuid}/remove/")
    assert response.status_code == 302
    assert not PushDevice.objects.filter(pk=mine.pk).exists()
    # Their devices never show on my page.
    assert str(theirs.uuid) not in owner_client.get(PAGE).text


def test_skip_today_and_back(client, user):
    with time_machine.travel(local(NOON, "Europe/London"), tick=False):
        client.force_login(user)
        client.post("/settings/reminders/skip/")
        skipped = ReminderDelivery.objects.get(user=user)
        assert (skipped.day, skipped.status) == (date(2027, 6, 10), DeliveryStatus.SKIPPED)
        assert "Remind me today after all" in client.get(PAGE).text
        client.post("/settings/reminders/skip/", {"undo": "1"})
        assert not ReminderDelivery.objects.filter(user=user).exists()


def test_skip_today_after_the_reminder_went_out_changes_nothing(client, user):
    ReminderDelivery.objects.create(user=user, day=date(2027, 6, 10), status=DeliveryStatus.SENT)
    with time_machine.travel(local(NOON, "Europe/London"), tick=False):
        client.force_login(user)
        response = client.post("/settings/reminders/skip/", follow=True)
        assert "already been dealt with" in response.text
        client.post("/settings/reminders/skip/", {"undo": "1"})
    assert ReminderDelivery.objects.get(user=user).status == DeliveryStatus.SENT


def stop_url(user, kind) -> str:
    return f"/reminders/stop/{stop_token(user.profile.uuid, kind)}/"


def test_the_stop_link_asks_first_and_changes_nothing_on_opening(user):
    ReminderSettings.objects.create(user=user, checkin=True)
    response = Client().get(stop_url(user, ReminderKind.CHECKIN))
    assert response.status_code == 200
    assert "No more daily check-in reminders" in response.text
    assert ReminderSettings.objects.get(user=user).checkin


def test_the_stop_link_switches_off_that_kind_only_without_logging_in(user, other_user):
    ReminderSettings.objects.create(user=user, checkin=True, function_check=True)
    ReminderSettings.objects.create(user=other_user, checkin=True)
    # Mail programs post to it without any form token (RFC 8058).
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(stop_url(user, ReminderKind.CHECKIN))
    assert response.status_code == 200
    assert "You will get no more daily check-in reminders." in response.text
    mine = ReminderSettings.objects.get(user=user)
    assert (mine.checkin, mine.function_check) == (False, True)
    assert ReminderSettings.objects.get(user=other_user).checkin
    # Tapping it again is harmless.
    assert browser.post(stop_url(user, ReminderKind.CHECKIN)).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "eyJwIjoiMSJ9:AAAA", "a" * 300])
def test_a_broken_stop_link_says_so(client, token):
    response = client.post(f"/reminders/stop/{token}/")
    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_the_appointment_is_set_on_the_report_page(client, user):
    with time_machine.travel(local(NOON, "Europe/London"), tick=False):
        client.force_login(user)
        page = client.get("/report/").text
        assert 'name="appointment_date"' in page
        response = client.post(
            "/report/appointment/",
            {"appointment_date": "2027-06-18", "appointment": "on", "appointment_check": "on"},
        )
        assert response.status_code == 302
        saved = ReminderSettings.objects.get(user=user)
        assert (saved.appointment_date, saved.appointment, saved.appointment_check) == (
            date(2027, 6, 18),
            True,
            True,
        )
        assert "Your appointment: Friday, 18 June 2027." in client.get(PAGE).text  # CLDR en_GB


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-06-01", "That date has passed."),
        ("2027-02-30", "Enter a real date"),
        ("\x00", "Enter a real date"),
    ],
)
def test_a_bad_appointment_date_is_explained(client, user, value, message):
    with time_machine.travel(local(NOON, "Europe/London"), tick=False):
        client.force_login(user)
        response = client.post("/report/appointment/", {"appointment_date": value})
    assert response.status_code == 200
    assert message in response.text
    assert ReminderSettings.objects.get(user=user).appointment_date is None


def test_deploy_check_asks_for_the_servers_address_and_contact_for_reminders(settings):
    """Workers have no request: the mail links and the push contact come from settings."""
    from diary.checks import check_reminder_addresses

    settings.DEBUG = False
    settings.SITE_URL = "https://twitchlog.example"
    settings.VAPID_SUBJECT = "mailto:admin@twitchlog.example"
    assert check_reminder_addresses(None) == []
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.VAPID_SUBJECT = "mailto:admin@localhost"
    assert [w.id for w in check_reminder_addresses(None)] == ["twitchlog.W007", "twitchlog.W008"]
    settings.SITE_URL = "http://app.localhost"
    settings.VAPID_SUBJECT = "admin@twitchlog.example"
    assert [w.id for w in check_reminder_addresses(None)] == ["twitchlog.W007", "twitchlog.W008"]
    settings.DEBUG = True
    assert check_reminder_addresses(None) == []


def test_reminders_switched_on_with_nowhere_to_go_say_so(owner_client, user, push_service):
    user.email = ""
    user.save()
    response = owner_client.post(PAGE, valid(checkin="on"), follow=True)
    assert response.redirect_chain[-1][0] == PAGE + "#devices"
    assert "They have nowhere to go yet" in response.text
    # Switched off, or with a device: saved, and nothing more to say.
    response = owner_client.post(PAGE, valid(), follow=True)
    assert "Reminders saved." in response.text
    assert "nowhere to go" not in response.text
    assert add_device(owner_client, push_service.subscribe()).status_code == 201
    response = owner_client.post(PAGE, valid(checkin="on"), follow=True)
    assert "Reminders saved." in response.text
    assert "nowhere to go" not in response.text
