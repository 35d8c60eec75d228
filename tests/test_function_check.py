"""
The function check: a dated checklist of concrete tasks, each "new or worse?" (since the
previous check, or lately on the first), answered yes, no or left "not sure" (unknown, never
"no"), saved for the person, editable, listed on /report/ with a quiet weekly suggestion.
Wording follows docs/wording.md: tasks, never "do you feel weak?".
"""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.forms import FunctionCheckForm
from diary.models import FUNCTION_TASKS, FunctionCheck
from tests.helpers import field_errors

pytestmark = pytest.mark.django_db


def local_today(user) -> date:
    return timezone.now().astimezone(user.profile.zone).date()


def check_data(**answers) -> dict:
    """POST data with every task "No" unless given, e.g. check_data(grip="True")."""
    data = dict.fromkeys(FUNCTION_TASKS, "False")
    data.update(answers)
    return data


@pytest.mark.calendar
def test_function_check_new_form_asks_about_concrete_tasks(owner_client, user):
    response = owner_client.get(reverse("function-check-new"))
    assert response.status_code == 200
    html = response.content.decode()
    for task in FUNCTION_TASKS.values():
        assert task.replace("&", "&amp;") in html
    # The first check has no "last check" to compare with.
    assert "new or worse lately" in html
    assert "since your last check" not in html
    # docs/wording.md: concrete tasks, never a question about feeling weak.
    assert "feel weak" not in html.lower()
    assert "weakness" not in html.lower()
    form = response.context["form"]
    assert form["date"].value() == local_today(user)
    # Unanswered to start with: "Not sure" chosen, never "No".
    assert all(form[name].value() == "" for name in FUNCTION_TASKS)
    assert len(re.findall(r'value="" id="[^"]+" checked', html)) == len(FUNCTION_TASKS)
    assert not re.search(r'value="(True|False)" id="[^"]+" checked', html)


def test_function_check_after_a_check_asks_since_that_one(owner_client, user):
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 8))
    html = owner_client.get(reverse("function-check-new")).content.decode()
    assert "new or worse since your last check</strong> on 8 Mar 2026" in html
    assert "lately" not in html


def test_function_check_keeps_unanswered_tasks_unknown(owner_client, user):
    data = {"date": local_today(user).isoformat(), "grip": "True", "speech": "False", "walking": ""}
    assert owner_client.post(reverse("function-check-new"), data).status_code == 302
    check = FunctionCheck.objects.get()
    assert (check.grip, check.speech) == (True, False)
    assert [name for name in FUNCTION_TASKS if getattr(check, name) is None] == [
        name for name in FUNCTION_TASKS if name not in ("grip", "speech")
    ]
    assert check.answered == 2
    # Opened again, an unanswered task shows "Not sure", an answered one its answer.
    form = owner_client.get(reverse("function-check-edit", args=[check.uuid])).context["form"]
    assert (form["walking"].value(), form["speech"].value()) == ("", False)


def test_function_check_saves_the_answers_for_the_user(owner_client, user):
    day = local_today(user)
    data = check_data(
        date=day.isoformat(),
        grip="True",
        grip_note="Struggled with a jar lid",
        stairs="True",
        note="Otherwise fine",
    )
    response = owner_client.post(reverse("function-check-new"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("report") + "#function-check"
    check = FunctionCheck.objects.get()
    assert check.user == user
    assert check.date == day
    assert check.grip
    assert check.stairs
    assert not check.walking
    assert check.note == "Otherwise fine"
    assert check.changes == [
        ("Going up or down stairs", ""),
        ("Grip: opening jars, doing up buttons, turning keys", "Struggled with a jar lid"),
    ]


def test_function_check_edit_updates_the_same_row(owner_client, user):
    check = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), walking=True)
    url = reverse("function-check-edit", args=[check.uuid])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["walking"].value() is True
    assert "Function check of 1 March 2026" in response.content.decode()
    response = owner_client.post(url, check_data(date="2026-03-01", speech="True"))
    assert response.status_code == 302
    check.refresh_from_db()
    assert not check.walking
    assert check.speech
    assert FunctionCheck.objects.count() == 1


def test_function_check_note_line_breaks_count_once(owner_client, user):
    """Sent as CRLF, counted by the browser as one character each: within the limit."""
    note = "Tired legs\n" * 90 + "on stairs"  # 999 characters in the textarea
    data = check_data(date=local_today(user).isoformat(), note=note.replace("\n", "\r\n"))
    assert owner_client.post(reverse("function-check-new"), data).status_code == 302
    assert FunctionCheck.objects.get().note == note


def test_function_check_ignores_a_next_that_is_not_a_path(owner_client, user):
    """A bare word went to redirect(), which looked it up as a view name: a 500."""
    data = check_data(date=local_today(user).isoformat(), next="2026-13-45")
    response = owner_client.post(reverse("function-check-new"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("report") + "#function-check"
    assert FunctionCheck.objects.count() == 1


def test_function_check_views_need_login(client, user):
    check = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    for url in (
        reverse("function-check-new"),
        reverse("function-check-edit", args=[check.uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert client.post(url, check_data(date="2026-03-01")).status_code == 302
    assert FunctionCheck.objects.count() == 1


def test_function_check_of_another_user_is_404(client, user, other_user):
    check = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), grip=True)
    client.force_login(other_user)
    url = reverse("function-check-edit", args=[check.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, check_data(date="2026-03-01")).status_code == 404
    check.refresh_from_db()
    assert check.grip


def test_function_check_second_start_on_a_day_opens_that_days_check(owner_client, user):
    """A second "Do a new check" on the same day edits the day's check instead of refusing it."""
    existing = FunctionCheck.objects.create(user=user, date=local_today(user), grip=True)
    response = owner_client.get(reverse("function-check-new"), follow=True)
    assert response.redirect_chain == [(reverse("function-check-edit", args=[existing.uuid]), 302)]
    html = response.content.decode()
    assert "You already have a check for" in html
    assert "Here it is to change." in html


def test_function_check_new_for_a_given_date_opens_that_days_check(owner_client, user):
    existing = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    response = owner_client.get(reverse("function-check-new") + "?date=2026-03-01&next=/report/")
    assert response["Location"] == (
        reverse("function-check-edit", args=[existing.uuid]) + "?next=%2Freport%2F"
    )
    # A day without one, or a date that is not one, starts a new check.
    assert owner_client.get(reverse("function-check-new") + "?date=2026-03-02").status_code == 200
    assert owner_client.get(reverse("function-check-new") + "?date=2026-02-30").status_code == 200


def test_function_check_posted_for_a_day_that_has_one_updates_it(owner_client, user):
    """Nine answers are never refused because the day already had a check: they replace it."""
    existing = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), walking=True)
    data = check_data(date="2026-03-01", speech="True", note="Second look")
    response = owner_client.post(reverse("function-check-new"), data)
    assert response.status_code == 302
    existing.refresh_from_db()
    assert FunctionCheck.objects.count() == 1
    assert existing.speech
    assert not existing.walking
    assert existing.note == "Second look"


def test_function_check_edit_to_a_date_that_has_one_links_to_it(owner_client, user):
    existing = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    other = FunctionCheck.objects.create(user=user, date=date(2026, 3, 2))
    url = reverse("function-check-edit", args=[other.uuid])
    response = owner_client.post(url, check_data(date="2026-03-01"))
    assert response.status_code == 200
    assert field_errors(response, "date") == [
        "You already have a check for 1 Mar 2026. Edit that one instead."
    ]
    assert reverse("function-check-edit", args=[existing.uuid]) in response.content.decode()
    assert FunctionCheck.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2026-02-30"}, "date", "Enter a real date, e.g. 2026-03-01."),
        ({"date": ""}, "date", "Please fill this in."),
        ({"date": "1850-01-01"}, "date", "That date is before 1900. Check the year."),
        ({"grip": "maybe"}, "grip", "Answer yes, no or not sure."),
        ({"grip": "1"}, "grip", "Answer yes, no or not sure."),
        ({"grip_note": "x" * 201}, "grip_note", None),
        ({"note": "nul\x00"}, "note", "The text contains a NUL character; please remove it."),
    ],
)
def test_function_check_bad_input_is_a_message(owner_client, overrides, field, message):
    data = check_data(date="2026-03-01")
    data.update(overrides)
    response = owner_client.post(reverse("function-check-new"), data)
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [message]
    assert not FunctionCheck.objects.exists()


@pytest.mark.calendar
def test_function_check_future_date_is_refused(owner_client, user):
    tomorrow = local_today(user) + timedelta(days=1)
    response = owner_client.post(reverse("function-check-new"), check_data(date=str(tomorrow)))
    assert field_errors(response, "date") == ["That date is in the future. Check the date."]


def test_function_check_form_edits_keep_their_own_date(user):
    check = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    form = FunctionCheckForm(
        check_data(date="2026-03-01"), instance=check, user=user, today=date(2026, 3, 2)
    )
    assert form.is_valid(), form.errors


def test_latest_in_picks_the_latest_check_within_the_dates(user, other_user):
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 1))
    wanted = FunctionCheck.objects.create(user=user, date=date(2026, 3, 20))
    FunctionCheck.objects.create(user=user, date=date(2026, 4, 2))
    FunctionCheck.objects.create(user=other_user, date=date(2026, 3, 25))
    checks = FunctionCheck.objects.for_user(user)
    assert checks.latest_in(date(2026, 3, 1), date(2026, 3, 31)) == wanted
    assert checks.latest_in(date(2026, 3, 21), date(2026, 3, 31)) is None
    assert checks.latest_in(None, date(2026, 3, 10)).date == date(2026, 3, 1)


def test_report_lists_checks_with_dates_and_links(owner_client, user, other_user):
    mine = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), grip=True, speech=True)
    FunctionCheck.objects.create(user=other_user, date=date(2026, 3, 2))
    html = owner_client.get(reverse("report")).content.decode()
    assert "1 Mar 2026" in html
    assert "2 of 2 answered new or worse" in html
    assert reverse("function-check-edit", args=[mine.uuid]) in html
    assert "2 Mar 2026" not in html


@pytest.mark.parametrize(
    ("days_ago", "line", "suggested"),
    [
        (None, "No check yet. It takes about a minute.", True),
        (0, "Last check: today.", False),
        (1, "Last check: yesterday.", False),
        (6, "Last check: 6 days ago.", False),
        (9, "Last check: 9 days ago.", True),
    ],
)
@pytest.mark.calendar
def test_report_suggests_a_check_once_a_week_quietly(owner_client, user, days_ago, line, suggested):
    if days_ago is not None:
        FunctionCheck.objects.create(user=user, date=local_today(user) - timedelta(days=days_ago))
    response = owner_client.get(reverse("report"))
    html = response.content.decode()
    assert line in html
    assert response.context["suggestion"]["due"] is suggested
    # A suggestion, never a nag: no alert, no modal, no notification.
    section = html[html.index('id="function-check"') :]
    section = section[: section.index("</section>")]
    assert 'role="alert"' not in section
