"""
The same form saved twice: the answer when a concurrent twin has already saved the row (the
race itself is driven against a real server in test_double_taps_server.py).
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from diary.forms import FunctionCheckForm, SignUpForm, TriggerForm
from diary.models import FUNCTION_TASKS, FunctionCheck, Trigger
from diary.views import report as report_views
from tests.helpers import field_errors

pytestmark = pytest.mark.django_db

PASSWORD = "another-long-passphrase-42"


def signup_data(**overrides) -> dict:
    data = {"username": "twin", "password1": PASSWORD, "password2": PASSWORD, "timezone": "UTC"}
    return {**data, **overrides}


def test_a_sign_up_sent_again_logs_in_to_the_account_it_made(client):
    assert client.post("/accounts/signup/", signup_data())["Location"] == "/"
    client.logout()
    again = client.post("/accounts/signup/", signup_data())
    assert again["Location"] == "/"
    assert client.get("/settings/").status_code == 200
    assert User.objects.filter(username="twin").count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"password1": "a-different-passphrase-1", "password2": "a-different-passphrase-1"},
        {"password2": "does-not-match-at-all-2"},
    ],
)
def test_a_taken_username_with_other_passwords_is_just_taken(client, overrides):
    client.post("/accounts/signup/", signup_data())
    client.logout()
    response = client.post("/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 200
    assert "That one is already taken. Please choose another." in field_errors(response, "username")


def test_an_old_account_is_not_taken_for_a_twin(client):
    client.post("/accounts/signup/", signup_data())
    client.logout()
    User.objects.update(date_joined=timezone.now() - timedelta(minutes=5))
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 200
    assert client.get("/settings/").status_code == 302


@pytest.fixture
def race_lost(monkeypatch):
    """Validation passes as if the twin's row were not there yet; the insert then fails."""
    monkeypatch.setattr(SignUpForm, "clean_username", lambda form: form.cleaned_data["username"])
    monkeypatch.setattr(SignUpForm, "validate_unique", lambda form: None)
    monkeypatch.setattr(TriggerForm, "clean_name", lambda form: form.cleaned_data["name"])
    monkeypatch.setattr(FunctionCheckForm, "clean_date", lambda form: form.cleaned_data["date"])
    monkeypatch.setattr(report_views, "existing_check", lambda user, day: None)


def test_a_sign_up_losing_the_insert_race_logs_in_to_the_winner(client, race_lost):
    User.objects.create_user("twin", password=PASSWORD)
    response = client.post("/accounts/signup/", signup_data())
    assert response["Location"] == "/"
    assert User.objects.filter(username="twin").count() == 1


def test_a_sign_up_losing_the_race_to_someone_else_is_told_the_name_is_taken(client, race_lost):
    User.objects.create_user("twin", password="someone-elses-passphrase")
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 200
    assert "That one is already taken. Please choose another." in field_errors(response, "username")


def test_a_trigger_losing_the_insert_race_answers_with_the_winner(owner_client, user, race_lost):
    Trigger.objects.create(user=user, name="Red wine")
    response = owner_client.post("/settings/", {"action": "add-trigger", "name": "Red wine"})
    assert response["Location"] == "/settings/"
    assert Trigger.objects.filter(user=user, slug="red-wine").count() == 1
    assert "Added “Red wine”" in owner_client.get("/settings/").content.decode()


def check_data(day: date) -> dict:
    return {"date": day.isoformat(), **dict.fromkeys(FUNCTION_TASKS, "False")}


def test_a_new_check_losing_the_insert_race_answers_with_the_winner(owner_client, user, race_lost):
    day = date(2026, 11, 2)
    FunctionCheck.objects.create(user=user, date=day, note="the twin")
    response = owner_client.post("/report/checks/new/", check_data(day))
    assert response.status_code == 302
    assert FunctionCheck.objects.get(user=user, date=day).note == "the twin"


def test_an_edit_losing_its_date_to_a_concurrent_check_says_so(owner_client, user, race_lost):
    check = FunctionCheck.objects.create(user=user, date=date(2026, 11, 1))
    FunctionCheck.objects.create(user=user, date=date(2026, 11, 3))
    response = owner_client.post(f"/report/checks/{check.uuid}/", check_data(date(2026, 11, 3)))
    assert response.status_code == 200
    assert field_errors(response, "date") == [
        "You already have a check for 3 Nov 2026. Edit that one instead."
    ]
    check.refresh_from_db()
    assert check.date == date(2026, 11, 1)
