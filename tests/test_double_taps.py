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


# --- A twin that arrives after the first has answered (lib/once.py answered_once) ---

TOKEN = "a-form-token-0123456789"


def test_a_twin_of_add_trigger_is_answered_as_the_first(owner_client, user):
    data = {"action": "add-trigger", "name": "Red wine", "once": TOKEN}
    first = owner_client.post("/settings/", data)
    twin = owner_client.post("/settings/", data)
    assert (twin.status_code, twin["Location"]) == (first.status_code, first["Location"])
    html = owner_client.get("/settings/").content.decode()
    assert html.count("Added “Red wine” to your triggers.") == 1
    assert "already have a trigger" not in html
    assert Trigger.objects.filter(user=user, slug="red-wine").count() == 1


@pytest.mark.parametrize("action", ["delete", "merge"])
def test_a_twin_of_delete_or_merge_is_answered_as_the_first_not_404(owner_client, user, action):
    beer = Trigger.objects.create(user=user, name="Beer", slug="beer")
    ale = Trigger.objects.create(user=user, name="Ale", slug="ale")
    data = {"action": action, "into": ale.pk, "once": TOKEN}
    first = owner_client.post(f"/settings/triggers/{beer.pk}/", data)
    twin = owner_client.post(f"/settings/triggers/{beer.pk}/", data)
    assert twin.status_code == first.status_code == 302
    assert twin["Location"] == first["Location"]
    message = "Deleted “Beer”." if action == "delete" else "Merged “Beer” into “Ale”"
    assert owner_client.get("/settings/").content.decode().count(message) == 1


def test_a_form_shown_again_is_a_new_request(owner_client, user):
    """Another token (the form shown again) is judged on its own: the name is taken now."""
    owner_client.post("/settings/", {"action": "add-trigger", "name": "Tea", "once": TOKEN})
    again = {"action": "add-trigger", "name": "Tea", "once": TOKEN[::-1]}
    response = owner_client.post("/settings/", again)
    assert response.status_code == 200
    assert field_errors(response, "name") == ["You already have a trigger with that name."]


def test_a_same_day_check_twin_is_answered_as_the_first(owner_client, user):
    data = {**check_data(date(2026, 11, 4)), "once": TOKEN}
    first = owner_client.post("/report/checks/new/", data)
    twin = owner_client.post("/report/checks/new/", data)
    assert twin.status_code == first.status_code == 302
    assert twin["Location"] == first["Location"]
    assert FunctionCheck.objects.filter(user=user).count() == 1


def test_tokens_are_per_person(client, user, other_user):
    """Someone else's token is no twin of theirs: nothing of one person's answer reaches another."""
    client.force_login(user)
    client.post("/settings/", {"action": "add-trigger", "name": "Mine", "once": TOKEN})
    client.force_login(other_user)
    response = client.post("/settings/", {"action": "add-trigger", "name": "Theirs", "once": TOKEN})
    assert response.status_code == 302
    assert Trigger.objects.filter(user=other_user, name="Theirs").exists()
    assert "Added “Theirs”" in client.get("/settings/").content.decode()
