"""One e-mail address, one account: sign-up, the database index, older shared addresses."""

from __future__ import annotations

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from diary.checks import check_one_account_per_email
from diary.models.accounts import EMAIL_INDEX_SQL, has_email_index
from tests.helpers import field_errors

pytestmark = pytest.mark.django_db

PASSWORD = "another-long-passphrase-42"
migration = importlib.import_module("diary.migrations.0014_one_account_per_email")


def sign_up(client, username: str, email: str, address: str = "198.51.100.40"):
    data = {
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "email": email,
        "timezone": "UTC",
    }
    return client.post("/accounts/signup/", data, REMOTE_ADDR=address)


def test_sign_up_refuses_an_address_another_account_uses_in_any_case(client):
    assert sign_up(client, "first", "Sam@Example.com").status_code == 302
    response = sign_up(Client(), "second", "sam@example.COM")
    assert response.status_code == 200
    assert field_errors(response, "email") == [
        "Another account uses this address. Log in to that one (Forgot your password? lets "
        "you reset it), or leave the address empty."
    ]
    assert not User.objects.filter(username="second").exists()
    # Without an address, any number of accounts.
    assert sign_up(Client(), "third", "").status_code == 302
    assert sign_up(Client(), "fourth", "").status_code == 302


def test_the_database_keeps_one_account_per_address():
    assert has_email_index()
    User.objects.create_user("one", email="pat@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("two", email="PAT@example.com")
    User.objects.create_user("three", email="")
    User.objects.create_user("four", email="")


class Editor:
    """What the migration's functions use of a schema editor."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def settle_constraints() -> None:
    """PostgreSQL creates no index on a table with deferred checks pending in the transaction
    (a test's); `migrate` and the command run outside one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def shared(db):
    """An older database: the index not there yet, and one address on three accounts."""
    migration.drop_index(None, Editor())
    now = timezone.now()
    users = [
        User.objects.create_user(f"pat{n}", email=email, password=PASSWORD)
        for n, email in enumerate(["pat@example.com", "Pat@example.com", "PAT@EXAMPLE.COM"])
    ]
    User.objects.filter(pk=users[0].pk).update(last_login=now - timedelta(days=3))
    User.objects.filter(pk=users[1].pk).update(last_login=now - timedelta(hours=1))
    User.objects.filter(pk=users[2].pk).update(
        last_login=None, date_joined=now - timedelta(days=30)
    )
    yield users
    # Put the test database back as migrate made it.
    User.objects.filter(pk__in=[u.pk for u in users]).delete()
    settle_constraints()
    with connection.cursor() as cursor:
        cursor.execute(EMAIL_INDEX_SQL)


def test_the_migration_does_not_fail_on_shared_addresses_and_check_deploy_says_so(shared, capsys):
    settle_constraints()
    migration.add_index(None, Editor())
    assert "1 e-mail address(es) are used by more than one account" in capsys.readouterr().out
    assert not has_email_index()
    [warning] = check_one_account_per_email(None)
    assert warning.id == "twitchlog.W005"
    assert "1 e-mail address(es)" in warning.msg


def test_a_reset_mails_only_the_most_recently_active_account(shared, client):
    response = client.post("/accounts/password_reset/", {"email": "pat@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "pat1" in mail.outbox[0].body  # logged in an hour ago; the others longer ago


def test_the_command_lists_shared_addresses_then_adds_the_index(shared):
    out = StringIO()
    call_command("one_account_per_email", stdout=out)
    assert "pat@example.com: pat1, pat0, pat2 (most recently active first)" in out.getvalue()
    assert not has_email_index()
    User.objects.filter(username__in=["pat0", "pat2"]).update(email="")
    settle_constraints()
    out = StringIO()
    call_command("one_account_per_email", stdout=out)
    assert "Every e-mail address belongs to one account at most" in out.getvalue()
    assert has_email_index()
    assert check_one_account_per_email(None) == []
