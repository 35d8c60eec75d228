"""
When reminders come, under a pinned clock: the scheduler's round runs every minute (or every
few) across daylight-saving days, midnight, quiet hours and a change of zone, and the local
push service says what each person received and when.

Every test sets its own dates, so none depends on the day it runs.
"""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
import time_machine

from diary.models import DayLog, ReminderSettings
from diary.reminders import delivery, schedule
from tests.reminder_helpers import (
    local,
    person,
    received_at,
    round_at,
    rounds_around,
    run_rounds,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "day", "wall_time", "expected"),
    [
        # New York skips 02:00-03:00 on 14 March 2027: 02:30 does not exist that day.
        ("America/New_York", "2027-03-14", time(2, 30), "2027-03-14 03:00"),
        # London skips 01:00-02:00 on 28 March 2027.
        ("Europe/London", "2027-03-28", time(1, 30), "2027-03-28 02:00"),
        # A time on the hour the clocks jump from comes at the jump, too.
        ("Europe/London", "2027-03-28", time(1, 0), "2027-03-28 02:00"),
    ],
)
def test_a_time_the_clocks_skip_comes_once_at_the_first_minute_after_the_jump(
    push_service, zone, day, wall_time, expected
):
    _, device = person(push_service, zone=zone, at=wall_time)
    # Every minute from 30 minutes before (in real time: up to the jump, then after it).
    rounds_around(local(expected, zone), before=timedelta(minutes=30))
    [message] = push_service.messages(device)
    assert received_at(message, zone) == local(expected, zone)
    assert message.data["url"] == f"/checkins/{day}/"


@pytest.mark.parametrize(
    ("zone", "day", "wall_time"),
    [
        # New York repeats 01:00-02:00 on 7 November 2027, London on 31 October 2027.
        ("America/New_York", "2027-11-07", time(1, 30)),
        ("Europe/London", "2027-10-31", time(1, 30)),
        ("Europe/London", "2027-10-31", time(1, 0)),
    ],
)
def test_a_time_the_clocks_repeat_comes_once_at_its_first_occurrence(
    push_service, zone, day, wall_time
):
    _, device = person(push_service, zone=zone, at=wall_time)
    first = local(f"{day} {wall_time:%H:%M}", zone, fold=0)
    second = local(f"{day} {wall_time:%H:%M}", zone, fold=1)
    # The same wall time an hour later is another instant: every minute of it has a round.
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    rounds_around(first, after=timedelta(hours=1, minutes=40))
    [message] = push_service.messages(device)
    assert received_at(message, zone) == first


def test_an_ordinary_day_brings_the_reminder_at_its_minute(push_service):
    _, device = person(push_service, zone="Europe/London", at=time(21, 0))
    run_rounds(
        local("2027-06-10 20:50", "Europe/London"), local("2027-06-10 23:59", "Europe/London")
    )
    [message] = push_service.messages(device)
    assert received_at(message, "Europe/London") == local("2027-06-10 21:00", "Europe/London")


def test_moving_west_after_the_reminder_brings_no_second_one_that_date(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(21, 0))
    run_rounds(
        local("2027-06-10 20:55", "Europe/London"), local("2027-06-10 21:05", "Europe/London")
    )
    assert len(push_service.messages(device)) == 1
    # At 22:00 in London it is 17:00 in New York, still 10 June: 21:00 there is the same date.
    user.profile.timezone = "America/New_York"
    user.profile.save()
    run_rounds(
        local("2027-06-10 17:00", "America/New_York"),
        local("2027-06-10 23:55", "America/New_York"),
        step=timedelta(minutes=5),
    )
    assert len(push_service.messages(device)) == 1
    # The next date in the new zone has its reminder at 21:00 there.
    run_rounds(
        local("2027-06-11 20:50", "America/New_York"),
        local("2027-06-11 21:10", "America/New_York"),
    )
    later = push_service.messages(device)[1]
    assert received_at(later, "America/New_York") == local("2027-06-11 21:00", "America/New_York")


def test_a_zone_change_before_the_time_moves_the_reminder_to_the_new_zone(push_service):
    user, device = person(push_service, zone="America/New_York", at=time(21, 0))
    # At noon in New York on 10 June the person lands in Tokyo (01:00 on 11 June there).
    with time_machine.travel(local("2027-06-10 12:00", "America/New_York"), tick=False):
        user.profile.timezone = "Asia/Tokyo"
        user.profile.save()
    run_rounds(
        local("2027-06-10 12:00", "America/New_York"),
        local("2027-06-11 23:55", "Asia/Tokyo"),
        step=timedelta(minutes=5),
    )
    [message] = push_service.messages(device)
    # Not at 21:00 in New York (10:00 in Tokyo), but at 21:00 in Tokyo.
    assert received_at(message, "Asia/Tokyo") == local("2027-06-11 21:00", "Asia/Tokyo")
    assert message.data["url"] == "/checkins/2027-06-11/"


def test_a_midnight_reminder_belongs_to_the_day_it_starts(push_service):
    _, device = person(push_service, zone="Europe/London", at=time(0, 0))
    run_rounds(
        local("2027-06-10 23:50", "Europe/London"), local("2027-06-11 00:10", "Europe/London")
    )
    [message] = push_service.messages(device)
    assert received_at(message, "Europe/London") == local("2027-06-11 00:00", "Europe/London")
    assert message.data["url"] == "/checkins/2027-06-11/"


def test_a_day_ends_at_midnight_a_late_round_does_not_send_yesterdays_reminder(push_service):
    _, device = person(push_service, zone="Europe/London", at=time(23, 59))
    # No round between 23:55 and 00:05: the scheduler was down over midnight.
    round_at(local("2027-06-10 23:55", "Europe/London"))
    run_rounds(
        local("2027-06-11 00:05", "Europe/London"), local("2027-06-11 00:30", "Europe/London")
    )
    assert push_service.messages(device) == []


def test_a_late_round_catches_up_the_same_day(push_service):
    _, device = person(push_service, zone="Europe/London", at=time(21, 0))
    round_at(local("2027-06-10 21:40", "Europe/London"))
    round_at(local("2027-06-10 21:41", "Europe/London"))
    [message] = push_service.messages(device)
    assert received_at(message, "Europe/London") == local("2027-06-10 21:40", "Europe/London")


def test_quiet_hours_hold_a_late_reminder_until_they_end(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(6, 30))
    ReminderSettings.objects.filter(user=user).update(quiet_from=time(6, 45), quiet_until=time(8))
    # The rounds between 06:30 and 06:45 were lost; the next ones fall in the quiet hours.
    run_rounds(
        local("2027-06-10 06:45", "Europe/London"), local("2027-06-10 08:10", "Europe/London")
    )
    [message] = push_service.messages(device)
    assert received_at(message, "Europe/London") == local("2027-06-10 08:00", "Europe/London")


def test_a_reminder_held_past_the_catch_up_does_not_come_that_day(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(6, 30))
    ReminderSettings.objects.filter(user=user).update(quiet_from=time(6, 45), quiet_until=time(9))
    run_rounds(
        local("2027-06-10 06:45", "Europe/London"),
        local("2027-06-10 12:00", "Europe/London"),
        step=timedelta(minutes=5),
    )
    assert push_service.messages(device) == []


def test_quiet_hours_across_midnight(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(21, 0))
    ReminderSettings.objects.filter(user=user).update(quiet_from=time(22), quiet_until=time(7))
    round_at(local("2027-06-10 22:30", "Europe/London"))
    round_at(local("2027-06-10 23:59", "Europe/London"))
    assert push_service.messages(device) == []
    round_at(local("2027-06-11 21:00", "Europe/London"))
    assert len(push_service.messages(device)) == 1


def test_a_day_with_a_check_in_gets_no_check_in_reminder(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(21, 0))
    DayLog.objects.create(user=user, date=date(2027, 6, 10))
    run_rounds(
        local("2027-06-10 20:59", "Europe/London"), local("2027-06-10 21:10", "Europe/London")
    )
    assert push_service.messages(device) == []
    round_at(local("2027-06-11 21:00", "Europe/London"))
    [message] = push_service.messages(device)
    assert message.data["url"] == "/checkins/2027-06-11/"


def test_the_weekly_function_check_comes_on_its_weekday_only(push_service):
    _, device = person(
        push_service,
        zone="Europe/London",
        at=time(19, 0),
        function_check=True,
        function_check_weekday=2,  # Wednesday
    )
    for day in range(7, 14):  # Monday 7 to Sunday 13 June 2027
        round_at(local(f"2027-06-{day:02d} 19:00", "Europe/London"))
    [message] = push_service.messages(device)
    assert received_at(message, "Europe/London").date() == date(2027, 6, 9)
    assert message.data["title"] == "Weekly function check"
    assert message.data["url"] == "/report/checks/new/"


def test_an_appointment_brings_a_nudge_three_days_before_and_the_summary_the_day_before(
    push_service,
):
    _, device = person(
        push_service,
        zone="Europe/London",
        at=time(18, 0),
        checkin=True,
        appointment_date=date(2027, 6, 18),
        appointment=True,
        appointment_check=True,
    )
    for day in range(14, 19):
        round_at(local(f"2027-06-{day} 18:00", "Europe/London"))
    by_day = {
        received_at(m, "Europe/London").date().day: m.data for m in push_service.messages(device)
    }
    # One a day; the appointment's two take the place of the check-in on their days.
    assert sorted(by_day) == [14, 15, 16, 17, 18]
    assert by_day[15]["title"] == "Before your appointment on Friday 18 June"
    assert by_day[15]["url"] == "/report/checks/new/"
    assert by_day[17]["body"] == "Your summary for tomorrow is ready to look over."
    assert by_day[17]["url"] == "/report/"
    assert {by_day[d]["title"] for d in (14, 16, 18)} == {"Today's check-in"}


def test_skip_today_closes_today_only(push_service):
    user, device = person(push_service, zone="Europe/London", at=time(21, 0))
    with time_machine.travel(local("2027-06-10 12:00", "Europe/London"), tick=False):
        assert delivery.skip(user, date(2027, 6, 10))
    run_rounds(
        local("2027-06-10 20:58", "Europe/London"), local("2027-06-10 21:05", "Europe/London")
    )
    assert push_service.messages(device) == []
    round_at(local("2027-06-11 21:00", "Europe/London"))
    assert len(push_service.messages(device)) == 1


def test_people_in_other_zones_come_at_their_own_time(push_service):
    london = person(push_service, zone="Europe/London", at=time(21, 0))[1]
    auckland = person(push_service, zone="Pacific/Auckland", at=time(21, 0))[1]
    run_rounds(
        local("2027-06-10 08:50", "UTC"), local("2027-06-10 20:10", "UTC"), timedelta(minutes=10)
    )
    [in_london] = push_service.messages(london)
    [in_auckland] = push_service.messages(auckland)
    assert received_at(in_london, "Europe/London") == local("2027-06-10 21:00", "Europe/London")
    assert received_at(in_auckland, "Pacific/Auckland") == local(
        "2027-06-10 21:00", "Pacific/Auckland"
    )


@pytest.mark.parametrize(
    ("start", "end", "at", "quiet"),
    [
        (time(22), time(7), time(23, 30), True),
        (time(22), time(7), time(6, 59), True),
        (time(22), time(7), time(7), False),  # the end is not quiet any more
        (time(22), time(7), time(21, 59), False),
        (time(13), time(15), time(13), True),
        (time(13), time(15), time(15), False),
        (time(13), time(15), time(9), False),
    ],
)
def test_quiet_hours_read_the_same_in_python_and_in_the_rounds_query(
    push_service, start, end, at, quiet
):
    """Two guards: the round's query leaves quiet people out, and the sender checks again."""
    user, _ = person(push_service, zone="Europe/London", at=time(0, 0))
    ReminderSettings.objects.filter(user=user).update(quiet_from=start, quiet_until=end)
    reminders = ReminderSettings.objects.get(user=user)
    assert reminders.is_quiet(at) is quiet
    instant = local(f"2027-06-10 {at:%H:%M}", "Europe/London")
    # Due all day but for the quiet hours (a catch-up window as wide as the day).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("diary.reminders.schedule.CATCH_UP", timedelta(days=1))
        _, due = schedule.due_in("Europe/London", instant)
    assert (user.pk in due) is not quiet
