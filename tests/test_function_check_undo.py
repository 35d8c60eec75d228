"""Deleting a function check with Undo."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from diary.data import export
from diary.models import FunctionCheck
from tests.factories import UserFactory
from tests.helpers import records_change

# The data here lies on fixed dates of 2026: the clock is pinned after them.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-01T12:00")]


@pytest.fixture
def check(user):
    return FunctionCheck.objects.create(user=user, date=date(2026, 11, 2), grip=True)


def test_delete_check_hides_it_and_offers_undo(owner_client, user, check):
    with records_change(user):
        response = owner_client.post(reverse("function-check-delete", args=[check.uuid]))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.deleted_at is not None
    page = owner_client.get(response.url).content.decode()
    assert "Deleted the function check of" in page
    assert reverse("function-check-restore", args=[check.uuid]) in page
    assert f'href="{reverse("function-check-edit", args=[check.uuid])}"' not in page
    assert owner_client.get(reverse("function-check-edit", args=[check.uuid])).status_code == 404
    assert export.chunks_text(export.iter_json(user)).count(str(check.uuid)) == 0


def test_undo_restores_the_check(owner_client, check):
    check.soft_delete()
    response = owner_client.post(reverse("function-check-restore", args=[check.uuid]))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.deleted_at is None


def test_undo_refuses_when_that_day_has_a_new_check(owner_client, user, check):
    check.soft_delete()
    FunctionCheck.objects.create(user=user, date=check.date, note="new one")
    response = owner_client.post(reverse("function-check-restore", args=[check.uuid]), follow=True)
    assert "Not restored: you already have a check for" in response.content.decode()
    check.refresh_from_db()
    assert check.deleted_at is not None


def test_a_deleted_check_does_not_block_a_new_one_that_day(owner_client, user, check):
    check.soft_delete()
    response = owner_client.post(
        reverse("function-check-new"),
        {
            "date": "2026-11-02",
            **{
                f"{t}": "False"
                for t in (
                    "walking",
                    "stairs",
                    "grip",
                    "dropping",
                    "handwriting",
                    "speech",
                    "chewing",
                    "swallowing",
                    "breathing",
                )
            },
        },
    )
    assert response.status_code == 302
    assert FunctionCheck.objects.for_user(user).count() == 1


@pytest.mark.parametrize("view", ["function-check-delete", "function-check-restore"])
def test_check_delete_and_restore_trio(owner_client, check, view):
    url = reverse(view, args=[check.uuid])
    assert Client().post(url).status_code == 302
    intruder = Client()
    intruder.force_login(UserFactory())
    assert intruder.post(url).status_code == 404
    assert owner_client.get(url).status_code == 405
    check.refresh_from_db()
    assert check.deleted_at is None
