"""
The daily check-in: the Log page's card (htmx and plain POST, yesterday first, double taps),
the list and edit pages, another user's check-ins, bad input, and export/import dicts.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from diary.checkins.saving import save_day_log
from diary.data.checkins import daylog_from_dict, daylog_to_dict
from diary.models import DayLog
from tests.factories import UserFactory
from tests.helpers import HTMX, records_change

pytestmark = pytest.mark.django_db


def local_today(user) -> date:
    return timezone.now().astimezone(user.profile.zone).date()


def card_data(**answers) -> dict:
    """POST data as the card sends it: prefixed answers, the card flag and where to go back."""
    data = {"card": "1", "next": "/"}
    data.update({f"day-{name}": value for name, value in answers.items()})
    return data


def card_html(response) -> str:
    html = response.content.decode()
    start = html.index('<section id="today-card"')
    return html[start : html.index("</section>", start)]


# --- The trio ---


def test_checkins_anonymous_redirected_to_login(client):
    for url in ("/checkins/", "/checkins/2026-01-01/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    client.post("/checkins/2026-01-01/", card_data(caffeine="2"))
    assert not DayLog.objects.exists()


def test_checkins_owner_sees_their_check_ins(owner_client, user):
    day = local_today(user) - timedelta(days=3)
    save_day_log(user, day, {"caffeine": 3, "stress": "high", "note": "Deadline week"})
    response = owner_client.get("/checkins/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/checkins/{day.isoformat()}/"' in html
    # Each answer its own pair, not one run of "·"-separated text.
    answers = "<div><dt>Caffeine drinks</dt><dd>3</dd></div><div><dt>Stress</dt><dd>High</dd></div>"
    assert answers in html
    assert "Deadline week" in html


def test_checkins_another_users_are_never_shown_or_editable(owner_client, user, other_user):
    day = local_today(user) - timedelta(days=1)
    save_day_log(other_user, day, {"caffeine": 4, "note": "Not yours"})
    assert "Not yours" not in owner_client.get("/checkins/").content.decode()
    # Their date is just an empty day for this user: the form shows nothing of theirs.
    page = owner_client.get(f"/checkins/{day.isoformat()}/").content.decode()
    assert "Not yours" not in page
    assert 'value="4" id="id_day-caffeine_4" checked' not in page
    owner_client.post(f"/checkins/{day.isoformat()}/", {"day-caffeine": "0"})
    theirs = DayLog.objects.get(user=other_user)
    assert (theirs.caffeine, theirs.note) == (4, "Not yours")
    assert DayLog.objects.get(user=user).caffeine == 0


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "20260101", "2999-01-01"])
def test_checkin_edit_bad_or_future_date_is_404(owner_client, day):
    assert owner_client.get(f"/checkins/{day}/").status_code == 404
    assert owner_client.post(f"/checkins/{day}/", {"day-caffeine": "1"}).status_code == 404
    assert not DayLog.objects.exists()


def test_checkin_list_goes_to_another_day(owner_client, user):
    response = owner_client.get("/checkins/?day=2026-03-01")
    assert response.status_code == 302
    assert response["Location"] == "/checkins/2026-03-01/"
    response = owner_client.get("/checkins/?day=nonsense", follow=True)
    assert "Pick a date up to today." in response.content.decode()


# --- The card on the Log page ---


@pytest.mark.calendar
def test_card_offers_yesterday_first(owner_client, user):
    today = local_today(user)
    yesterday = today - timedelta(days=1)
    html = card_html(owner_client.get("/"))
    assert "How was yesterday?" in html
    assert f'action="/checkins/{yesterday.isoformat()}/"' in html
    assert f'href="/checkins/{today.isoformat()}/?next=/"' in html  # "Today instead"
    # htmx attributes use the valid data-hx-* spelling only.
    assert 'data-hx-post="' in html
    assert " hx-" not in html


@pytest.mark.calendar
def test_card_htmx_save_returns_the_card_for_today(owner_client, user):
    today = local_today(user)
    yesterday = today - timedelta(days=1)
    response = owner_client.post(
        f"/checkins/{yesterday.isoformat()}/",
        card_data(sleep="5", caffeine="3", stress="high", hard_exercise="True"),
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="today-card"' in html
    assert f"Saved your check-in for {yesterday:%A}." in html
    assert "How is today going?" in html
    assert f'action="/checkins/{today.isoformat()}/"' in html
    day_log = DayLog.objects.get(user=user)
    assert (day_log.date, day_log.sleep, day_log.caffeine) == (yesterday, 5, 3)
    assert (day_log.stress, day_log.hard_exercise) == ("high", True)
    # Unanswered stays unknown, never "no".
    assert (day_log.alcohol, day_log.unwell, day_log.new_medicine) == (None, None, None)


@pytest.mark.calendar
def test_card_plain_post_redirects_back(owner_client, user):
    today = local_today(user)
    response = owner_client.post(f"/checkins/{today.isoformat()}/", card_data(alcohol="0"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert DayLog.objects.get(user=user, date=today).alcohol == 0
    page = owner_client.get("/")
    html = card_html(page)
    # Today has a check-in: the card shows it, with its answer ticked.
    assert "How is today going?" in html
    assert 'value="0" id="id_day-alcohol_0" checked' in html
    assert "Saved your check-in for" in page.content.decode()


def test_card_saved_answers_show_and_update(owner_client, user):
    today = local_today(user)
    save_day_log(user, today, {"caffeine": 1})
    html = card_html(owner_client.get("/"))
    assert 'value="1" id="id_day-caffeine_1" checked' in html
    owner_client.post(
        f"/checkins/{today.isoformat()}/", card_data(caffeine="2", unwell="False"), headers=HTMX
    )
    day_log = DayLog.objects.get(user=user)
    assert (day_log.caffeine, day_log.unwell) == (2, False)


def test_card_double_post_is_one_check_in(owner_client, user):
    today = local_today(user)
    for _ in range(2):
        response = owner_client.post(
            f"/checkins/{today.isoformat()}/", card_data(caffeine="4"), headers=HTMX
        )
        assert response.status_code == 200
    assert DayLog.objects.filter(user=user).count() == 1


def test_save_day_log_recovers_from_a_racing_insert(user, monkeypatch):
    """The second of two simultaneous taps finds no row, then loses the insert: it updates."""
    today = local_today(user)
    DayLog.objects.create(user=user, date=today, caffeine=1)
    real_first = DayLog.objects.none().__class__.first
    calls = []

    def first_sees_nothing(self):
        calls.append(1)
        return None if len(calls) == 1 else real_first(self)

    monkeypatch.setattr(DayLog.objects.none().__class__, "first", first_sees_nothing)
    _day_log, created = save_day_log(user, today, {"caffeine": 3})
    assert not created
    assert DayLog.objects.get(user=user).caffeine == 3
    with pytest.raises(IntegrityError):
        DayLog.objects.create(user=user, date=today)


def test_every_save_records_the_change(user):
    with records_change(user):
        save_day_log(user, local_today(user), {"stress": "low"})
    with records_change(user):
        save_day_log(user, local_today(user), {"stress": "medium"})


def test_card_bad_answer_is_refused_next_to_the_field(owner_client, user):
    today = local_today(user)
    response = owner_client.post(
        f"/checkins/{today.isoformat()}/", card_data(caffeine="7", stress="extreme"), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_day-caffeine-errors"' in html
    assert "Pick one of the answers shown." in html
    assert not DayLog.objects.exists()


def test_medicine_named_with_no_is_refused(owner_client, user):
    today = local_today(user)
    response = owner_client.post(
        f"/checkins/{today.isoformat()}/", {"day-new_medicine": "False", "day-medicine": "X"}
    )
    assert response.status_code == 200
    assert "You answered No: clear the name, or answer Yes." in response.content.decode()
    assert not DayLog.objects.exists()
    owner_client.post(f"/checkins/{today.isoformat()}/", {"day-medicine": "Salbutamol"})
    day_log = DayLog.objects.get()
    assert (day_log.new_medicine, day_log.medicine) == (True, "Salbutamol")


def test_edit_page_can_take_an_answer_back(owner_client, user):
    day = local_today(user) - timedelta(days=4)
    save_day_log(user, day, {"caffeine": 2, "stress": "low"})
    page = owner_client.get(f"/checkins/{day.isoformat()}/").content.decode()
    assert "Not sure" in page
    assert 'value="" id="id_day-sleep_5" checked' in page  # unanswered shows as "Not sure"
    response = owner_client.post(
        f"/checkins/{day.isoformat()}/", {"day-caffeine": "", "day-stress": "low"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/checkins/"
    day_log = DayLog.objects.get()
    assert (day_log.caffeine, day_log.stress) == (None, "low")


def test_card_offers_not_sure_and_takes_an_answer_back(owner_client, user):
    """The card offers "Not sure" as the day's page does, chosen while unanswered."""
    today = local_today(user)
    save_day_log(user, today, {"stress": "high"})
    html = card_html(owner_client.get("/"))
    assert 'value="" id="id_day-stress_3"' in html  # a fourth chip after Low, Medium, High
    assert 'value="" id="id_day-sleep_5" checked>' in html  # unanswered
    assert 'value="high" id="id_day-stress_2" checked' in html
    owner_client.post(f"/checkins/{today.isoformat()}/", card_data(stress=""))
    assert DayLog.objects.get().stress is None


@pytest.mark.now("2026-06-30T23:30+00:00")  # 11:30 on 1 July in Auckland
def test_local_date_is_the_profile_zones_today(client):
    """At 23:30 UTC it is already tomorrow in Auckland: the card asks about that day's eve."""
    user = UserFactory(timezone="Pacific/Auckland")
    client.force_login(user)
    html = card_html(client.get("/"))
    assert 'action="/checkins/2026-06-30/"' in html  # yesterday there
    assert "Tuesday 30 June" in html
    assert client.get("/checkins/2026-07-01/").status_code == 200
    assert client.get("/checkins/2026-07-02/").status_code == 404


# --- The model ---


def test_day_log_answers_in_words(user):
    day_log, _ = save_day_log(
        user,
        date(2026, 3, 1),
        {"sleep": 8, "hard_exercise": True, "unwell": False, "new_medicine": True},
    )
    assert str(day_log) == "Check-in on 2026-03-01"
    assert day_log.answers == [
        ("Sleep last night", "8 h or more"),
        ("Hard exercise", "Yes"),
        ("Felt unwell (cold, flu, stomach bug)", "No"),
        ("New or changed medicine", "Yes"),
    ]
    day_log.medicine = "Sertraline"
    assert day_log.answers[-1] == ("New or changed medicine", "Yes: Sertraline")


def test_day_logs_on_open_ended_dates(user):
    for day in (date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 9)):
        save_day_log(user, day, {})
    mine = DayLog.objects.for_user(user)
    assert mine.on_dates(None, date(2026, 3, 5)).count() == 2
    assert mine.on_dates(date(2026, 3, 5), None).count() == 2
    assert mine.on_dates(None, None).count() == 3


# --- Export and import ---


def test_daylog_dict_round_trip(user, other_user):
    day_log, _ = save_day_log(
        user,
        date(2026, 3, 1),
        {"sleep": 4, "caffeine": 0, "hard_exercise": False, "medicine": "", "note": "ok"},
    )
    data = daylog_to_dict(day_log)
    assert data == {
        "date": "2026-03-01",
        "sleep": 4,
        "caffeine": 0,
        "stress": None,
        "hard_exercise": False,
        "alcohol": None,
        "unwell": None,
        "new_medicine": None,
        "medicine": "",
        "note": "ok",
    }
    copy = daylog_from_dict(other_user, data)
    assert copy.pk is None
    assert copy.user == other_user
    assert daylog_to_dict(copy) == data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2026-13-01"}, "date"),
        ({"date": "2026-03-01", "sleep": 3}, "sleep"),
        ({"date": "2026-03-01", "caffeine": "2"}, "caffeine"),
        ({"date": "2026-03-01", "caffeine": True}, "caffeine"),
        ({"date": "2026-03-01", "stress": "extreme"}, "stress"),
        ({"date": "2026-03-01", "unwell": 1}, "unwell"),
        ({"date": "2026-03-01", "note": 5}, "note"),
        ({"date": "2026-03-01", "note": "x" * 501}, "note"),
        ({"date": "2026-03-01", "medicine": "a\x00b"}, "medicine"),
    ],
)
def test_daylog_from_dict_refuses_what_the_model_would_not_hold(user, data, field):
    with pytest.raises(ValidationError) as caught:
        daylog_from_dict(user, data)
    assert field in caught.value.message_dict


def test_daylog_from_dict_refuses_unknown_fields_and_non_objects(user):
    with pytest.raises(ValidationError, match="Unknown check-in fields: mood"):
        daylog_from_dict(user, {"date": "2026-03-01", "mood": "good"})
    with pytest.raises(ValidationError, match="must be an object"):
        daylog_from_dict(user, ["2026-03-01"])


# --- Bad input is never a 500 ---

FUZZ = ["", "\x00", "99999999999999999999", "²", "x" * 5000, "None"]
CARD_FIELDS = [
    "sleep",
    "caffeine",
    "stress",
    "hard_exercise",
    "alcohol",
    "unwell",
    "new_medicine",
    "medicine",
    "note",
]


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_fuzz_checkin_posts(owner_client, user, headers):
    url = f"/checkins/{local_today(user).isoformat()}/"
    for field in [*CARD_FIELDS, "card", "next"]:
        name = field if field in ("card", "next") else f"day-{field}"
        for value in FUZZ:
            response = owner_client.post(
                url, {**card_data(caffeine="1"), name: value}, headers=headers
            )
            assert response.status_code < 500
        response = owner_client.post(url, {name: ["1", "2", "\x00"]}, headers=headers)
        assert response.status_code < 500
    assert DayLog.objects.filter(user=user).count() <= 1


def test_fuzz_checkin_gets(owner_client):
    for value in [*FUZZ, "2026-W09-7", "20260301", "2026-03-01T00:00"]:
        for params in ({"day": value}, {"page": value}):
            assert owner_client.get("/checkins/", params).status_code < 500
        assert owner_client.get(f"/checkins/{value}/").status_code in (404, 301)
    for method in ("put", "patch", "delete"):
        assert getattr(owner_client, method)("/checkins/2026-03-01/").status_code == 405
    assert owner_client.post("/checkins/").status_code == 405


# --- The demo diary's check-ins ---


@pytest.mark.now("2026-12-09T12:00")
def test_demo_check_ins_answer_for_the_demos_days():
    """One seed and one day give one diary (the plan's draws follow the weekdays)."""
    from diary import demo
    from diary.insights import Period
    from diary.insights.exposures import exposure_comparisons

    result = demo.seed_demo(weeks=12, seed=3)
    user = result.user
    logs = DayLog.objects.for_user(user)
    written = logs.count()
    assert 60 <= written <= 84  # most of the 84 days, not all
    # The 84 days to today, whether or not the first of them had an episode.
    assert not logs.filter(date__lt=date(2026, 9, 17)).exists()
    assert not logs.filter(date__gt=date(2026, 12, 9)).exists()
    assert logs.filter(caffeine__isnull=True).exists()  # some questions unanswered
    period = Period(first=result.first, last=date(2026, 12, 9), zone=user.profile.zone)
    found = {c.key: c for c in exposure_comparisons(user, period)}
    # The demo's short nights bring more episodes (x1.8 in its model): the log shows it.
    assert found["short_night"].enough
    assert found["short_night"].ratio > 1
    # Seeding again replaces the demo's check-ins rather than adding to them.
    again = demo.seed_demo(weeks=12, seed=3)
    assert DayLog.objects.count() == DayLog.objects.for_user(again.user).count() == written
