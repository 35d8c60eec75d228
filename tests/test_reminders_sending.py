"""
Sending a reminder: Web Push to each device through a push service on 127.0.0.1 (which checks
the VAPID token and decrypts the payload), mail through an SMTP server on 127.0.0.1, the
delivery row that makes each reminder go out once, and what happens when a channel fails.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from diary.models import (
    DeliveryStatus,
    PushDevice,
    PushKey,
    ReminderDelivery,
    ReminderKind,
    ReminderSettings,
)
from diary.reminders import delivery, devices
from diary.reminders.keys import new_keys
from diary.reminders.messages import compose, read_stop_token, stop_token
from diary.reminders.sending import send_batch
from diary.reminders.tasks import KEEP_DAYS, send_reminders, tidy
from tests.reminder_helpers import CHROME_ON_ANDROID, local, person, round_at

pytestmark = pytest.mark.django_db

EVENING = "2027-06-10 21:00"
NEVER_SAID = re.compile(
    r"miss|streak|in a row|don't forget|forgot|overdue|late|!|risk|diagnos|ALS", re.I
)


def row(user) -> ReminderDelivery:
    return ReminderDelivery.objects.get(user=user)


def test_a_push_reaches_the_device_signed_and_encrypted(push_service):
    user, device = person(push_service)
    round_at(local(EVENING, "Europe/London"))
    [message] = push_service.messages(device)
    assert push_service.refused == []  # the VAPID token verified, the payload decrypted
    assert message.data["title"] == "Today's check-in"
    assert message.data["url"] == "/checkins/2027-06-10/"
    assert message.data["tag"] == "twitchlog-checkin-2027-06-10"
    assert message.data["stopLabel"] == "Stop these reminders"
    assert message.topic == "checkin-20270610"
    assert message.urgency == "normal"
    # Kept by the push service for an offline phone until the person's day ends.
    assert 0 < message.ttl <= 3 * 3600
    saved = row(user)
    assert saved.status == DeliveryStatus.SENT
    assert saved.done == [f"push:{PushDevice.objects.get(user=user).uuid}"]


def test_a_mail_reaches_the_address_with_a_one_click_stop(mail_server, settings):
    settings.SITE_URL = "https://twitchlog.example"
    user, _ = person(email="sam@example.com")
    round_at(local(EVENING, "Europe/London"))
    [mail] = mail_server.messages
    assert mail["To"] == "sam@example.com"
    assert mail["Subject"] == "Today's check-in"
    stop = re.fullmatch(
        r"<(https://twitchlog\.example/reminders/stop/([^/]+)/)>", mail["List-Unsubscribe"]
    )
    assert stop, mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert read_stop_token(stop.group(2)) == (user.profile.uuid, ReminderKind.CHECKIN)
    assert mail["Message-ID"] == (
        f"<reminder-checkin-20270610-{user.profile.uuid}@twitchlog.example>"
    )
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "https://twitchlog.example/checkins/2027-06-10/" in text
    assert stop.group(1) in text
    assert 'href="https://twitchlog.example/checkins/2027-06-10/"' in html
    assert f'href="{stop.group(1)}"' in html
    assert not NEVER_SAID.search(text)
    assert row(user).done == ["mail"]


def test_a_person_with_a_device_and_an_address_gets_both_once(push_service, mail_server):
    user, device = person(push_service, email="sam@example.com")
    for minute in range(5):
        round_at(local(EVENING, "Europe/London") + timedelta(minutes=minute))
    assert len(push_service.messages(device)) == 1
    assert len(mail_server.messages) == 1
    assert sorted(row(user).done) == sorted(["mail", f"push:{user.push_devices.get().uuid}"])


def test_no_mail_when_the_person_said_devices_only(push_service, mail_server):
    user, device = person(push_service, email="sam@example.com")
    ReminderSettings.objects.filter(user=user).update(by_email=False)
    round_at(local(EVENING, "Europe/London"))
    assert len(push_service.messages(device)) == 1
    assert mail_server.messages == []


def test_nobody_without_a_device_or_an_address_is_picked(push_service):
    user, _ = person()
    assert round_at(local(EVENING, "Europe/London")) == 0
    assert not ReminderDelivery.objects.filter(user=user).exists()


def test_a_subscription_the_push_service_reports_gone_is_removed(push_service, mail_server):
    user, device = person(push_service, email="sam@example.com")
    push_service.state.gone.add(push_service.endpoint_id(device))
    round_at(local(EVENING, "Europe/London"))
    assert not PushDevice.objects.filter(user=user).exists()
    assert len(mail_server.messages) == 1
    assert row(user).status == DeliveryStatus.SENT


def test_when_the_only_device_is_gone_nothing_was_sent(push_service):
    user, device = person(push_service)
    push_service.state.gone.add(push_service.endpoint_id(device))
    round_at(local(EVENING, "Europe/London"))
    assert not PushDevice.objects.filter(user=user).exists()
    assert row(user).status == DeliveryStatus.NOT_NEEDED


def test_a_failing_push_service_is_tried_again_later_and_the_mail_is_not_repeated(
    push_service, mail_server
):
    user, device = person(push_service, email="sam@example.com")
    push_service.state.failing.add(push_service.endpoint_id(device))
    start = local(EVENING, "Europe/London")
    round_at(start)
    assert len(mail_server.messages) == 1
    assert push_service.messages(device) == []
    first = row(user)
    assert (first.status, first.done, first.attempts) == (DeliveryStatus.SENDING, ["mail"], 1)
    # Before the claim is stale, the next rounds leave it alone.
    round_at(start + timedelta(minutes=2))
    assert row(user).attempts == 1
    push_service.state.failing.clear()
    round_at(start + delivery.SENDING_TIMEOUT + timedelta(minutes=1))
    assert len(push_service.messages(device)) == 1
    assert len(mail_server.messages) == 1  # the mail had gone: not sent again
    again = row(user)
    assert (again.status, again.attempts) == (DeliveryStatus.SENT, 2)


def test_a_reminder_that_keeps_failing_is_given_up_after_three_tries(push_service):
    user, device = person(push_service)
    push_service.state.failing.add(push_service.endpoint_id(device))
    start = local(EVENING, "Europe/London")
    for attempt in range(5):
        round_at(start + attempt * (delivery.SENDING_TIMEOUT + timedelta(minutes=1)))
    failed = row(user)
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, delivery.MAX_ATTEMPTS)
    tries = [r for r in push_service.refused if r.status == 500]
    assert len(tries) == delivery.MAX_ATTEMPTS


def test_a_claim_is_held_by_one_sender_only(push_service):
    user, _ = person(push_service)
    now = local(EVENING, "Europe/London")
    first = delivery.claim(user.pk, date(2027, 6, 10), ReminderKind.CHECKIN, now=now)
    assert first is not None
    assert delivery.claim(user.pk, date(2027, 6, 10), ReminderKind.CHECKIN, now=now) is None
    # A claim older than the timeout is another sender's to take over, once.
    later = now + delivery.SENDING_TIMEOUT + timedelta(seconds=1)
    second = delivery.claim(user.pk, date(2027, 6, 10), ReminderKind.CHECKIN, now=later)
    assert second is not None
    assert second.token != first.token
    assert delivery.claim(user.pk, date(2027, 6, 10), ReminderKind.CHECKIN, now=later) is None
    # The first sender lost its claim: whatever it records now is refused.
    assert not delivery.channel_done(first, "mail", last=True, now=later)
    assert delivery.channel_done(second, "mail", last=True, now=later)
    assert row(user).status == DeliveryStatus.SENT


def test_a_batch_costs_a_fixed_number_of_queries_per_person(
    push_service, django_assert_max_num_queries
):
    people = [person(push_service)[0] for _ in range(10)]
    # Loading (3) + the key (1) + per person: the claim (savepoint, insert, release) and the
    # one channel's commit.
    with (
        time_machine.travel(local(EVENING, "Europe/London"), tick=False),
        django_assert_max_num_queries(4 + 4 * len(people)),
    ):
        counts = send_batch([p.pk for p in people], date(2027, 6, 10))
    assert counts == {"sent": 10}


def test_a_day_already_settled_is_not_sent_by_a_second_batch(push_service):
    user, device = person(push_service)
    with time_machine.travel(local(EVENING, "Europe/London"), tick=False):
        assert send_batch([user.pk], date(2027, 6, 10)) == {"sent": 1}
        assert send_batch([user.pk], date(2027, 6, 10)) == {"taken": 1}
    assert len(push_service.messages(device)) == 1


@pytest.mark.parametrize("kind", list(ReminderKind))
def test_every_reminder_is_worded_calmly(kind):
    reminder = compose(kind, date(2027, 6, 15), person=uuid.uuid4(), appointment=date(2027, 6, 18))
    for text in (reminder.title, reminder.body):
        assert not NEVER_SAID.search(text), text
        assert not re.search(r"\d+ days?", text), text  # no count of days
    assert len(reminder.topic) <= 32


def test_a_stop_token_cannot_be_altered():
    person_id = uuid.uuid4()
    token = stop_token(person_id, ReminderKind.CHECKIN)
    assert read_stop_token(token) == (person_id, ReminderKind.CHECKIN)
    other = stop_token(uuid.uuid4(), ReminderKind.FUNCTION_CHECK)
    signature = token.split(":", 1)[1]
    assert read_stop_token(other.split(":", 1)[0] + ":" + signature) is None
    assert read_stop_token("") is None
    assert read_stop_token("nonsense") is None


def test_the_vapid_key_pair_is_made_once(capsys):
    call_command("vapid_keys")
    stored = PushKey.objects.get()
    call_command("vapid_keys")
    assert PushKey.objects.get().private_key == stored.private_key
    assert stored.public_key in capsys.readouterr().out


def test_printed_keys_are_not_stored(capsys):
    call_command("vapid_keys", "--print")
    assert not PushKey.objects.exists()
    assert re.search(r"^VAPID_PRIVATE_KEY=[A-Za-z0-9_-]{43}$", capsys.readouterr().out, re.M)


def test_a_key_from_the_environment_signs_the_pushes(push_service, settings):
    keys = new_keys()
    settings.VAPID_PRIVATE_KEY = keys.private
    push_service.state.application_key = keys.public
    _, device = person(push_service)
    round_at(local(EVENING, "Europe/London"))
    assert push_service.refused == []
    assert len(push_service.messages(device)) == 1


def test_a_reminder_switched_on_after_its_time_starts_tomorrow(push_service, client, user):
    device = push_service.subscribe()
    devices.subscribe(user, device, user_agent=CHROME_ON_ANDROID)
    with time_machine.travel(local("2027-06-10 21:30", "Europe/London"), tick=False):
        client.force_login(user)  # a session of that day: one made today would have expired
        response = client.post(
            "/settings/reminders/",
            {"checkin": "on", "remind_at": "21:00", "function_check_weekday": "6"},
        )
        assert response.status_code == 302
    round_at(local("2027-06-10 21:31", "Europe/London"))
    assert push_service.messages(device) == []
    round_at(local("2027-06-11 21:00", "Europe/London"))
    assert len(push_service.messages(device)) == 1


def test_a_reminder_switched_on_before_its_time_comes_today(push_service, client, user):
    device = push_service.subscribe()
    devices.subscribe(user, device, user_agent=CHROME_ON_ANDROID)
    with time_machine.travel(local("2027-06-10 20:30", "Europe/London"), tick=False):
        client.force_login(user)
        client.post(
            "/settings/reminders/",
            {"checkin": "on", "remind_at": "21:00", "function_check_weekday": "6"},
        )
    round_at(local("2027-06-10 21:00", "Europe/London"))
    assert len(push_service.messages(device)) == 1
    assert ReminderSettings.objects.get(user=user).remind_at == time(21, 0)


def test_tidy_drops_old_delivery_rows_and_finished_tasks(task_queue, user):
    with time_machine.travel(local("2027-06-10 03:40", "UTC"), tick=False):
        old = date(2027, 6, 10) - timedelta(days=KEEP_DAYS + 1)
        recent = date(2027, 6, 10) - timedelta(days=KEEP_DAYS)
        for day in (old, recent):
            ReminderDelivery.objects.create(user=user, day=day, status=DeliveryStatus.SENT)
        done = send_reminders.enqueue([user.pk], "2027-06-01")
        DBTaskResult.objects.filter(id=done.id).update(
            status="SUCCESSFUL", finished_at=local("2027-06-08 12:00", "UTC")
        )
        waiting = send_reminders.enqueue([user.pk], "2027-06-10")
        tidy.call()
    assert list(ReminderDelivery.objects.values_list("day", flat=True)) == [recent]
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [waiting.id]
