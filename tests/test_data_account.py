"""Deleting the account: asks the password, offers the export, leaves nothing behind."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diary.lib.sessions import end_all_sessions
from diary.models import DayLog, Episode, FunctionCheck, Profile, Trigger
from diary.sharing import links
from tests.factories import PASSWORD, EpisodeFactory, TriggerFactory
from tests.helpers import field_errors

pytestmark = pytest.mark.django_db
User = get_user_model()


def rows_referencing(user_pk: int) -> list[str]:
    """Every row in any table (auto-created M2M tables included) that points at the user."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation and field.related_model is User):
                continue
            if field.many_to_many:
                continue  # its through table is walked as a model of its own
            if model.objects.filter(**{field.attname: user_pk}).exists():
                found.append(f"{model._meta.label}.{field.name}")
        if model is User and User.objects.filter(pk=user_pk).exists():
            found.append("auth.User")
    for session in Session.objects.all():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_pk):
            found.append(f"session {session.pk}")
    return found


def full_diary(user) -> None:
    own = TriggerFactory(user=user, name="Alcohol")
    EpisodeFactory(user=user, triggers=[own, "caffeine"], sites=["tongue", "calf-left"])
    EpisodeFactory(user=user, deleted_at=timezone.now())
    FunctionCheck.objects.create(user=user, date=timezone.now().date(), grip=True)
    DayLog.objects.create(user=user, date=timezone.now().date(), caffeine=2)
    links.create(user, first=timezone.now().date(), last=timezone.now().date(), days=1)
    user.profile.hidden_triggers.add(Trigger.objects.get(user=None, slug="stress"))
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Episode),
        object_id="1",
        object_repr="x",
        action_flag=ADDITION,
    )


def test_delete_page_needs_login(client):
    response = client.get(reverse("account-delete"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_delete_page_offers_the_download_first(owner_client):
    html = owner_client.get(reverse("account-delete")).content.decode()
    assert html.index(reverse("export-json")) < html.index('name="password"')
    assert "cannot be undone" in html
    assert "your function checks and daily check-ins, and your share links" in html


def test_delete_with_wrong_password_changes_nothing(owner_client, user):
    full_diary(user)
    response = owner_client.post(reverse("account-delete"), {"password": "nope"})
    assert response.status_code == 200
    assert field_errors(response, "password") == ["That is not your password. Nothing was deleted."]
    assert User.objects.filter(pk=user.pk).exists()
    assert Episode.objects.filter(user=user).count() == 2


def test_delete_removes_every_row_and_every_session(client, user, other_user):
    full_diary(user)
    full_diary(other_user)
    phone, laptop, theirs = Client(), Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    theirs.force_login(other_user)
    pk = user.pk
    assert rows_referencing(pk), "the walk finds the rows before deleting"

    response = phone.post(reverse("account-delete"), {"password": PASSWORD}, follow=True)

    assert rows_referencing(pk) == []
    assert not Profile.objects.filter(user_id=pk).exists()
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("login")
    # Every device is logged out; the other person is not.
    assert laptop.get(reverse("log")).status_code == 302
    assert theirs.get(reverse("log")).status_code == 200
    assert Episode.objects.filter(user=other_user).count() == 2
    assert Trigger.objects.filter(user=other_user).count() == 1
    # Built-in triggers stay for everyone.
    assert Trigger.objects.filter(user=None, slug="stress").exists()


def test_end_all_sessions_only_ends_live_sessions_of_that_user(user, other_user):
    mine, theirs = Client(), Client()
    mine.force_login(user)
    theirs.force_login(other_user)
    Session.objects.create(
        session_key="expired" + "x" * 25,
        session_data=Session.objects.get(pk=mine.session.session_key).session_data,
        expire_date=timezone.now() - timedelta(days=1),
    )
    assert end_all_sessions(user) == 1
    assert theirs.get(reverse("log")).status_code == 200
