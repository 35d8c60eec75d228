"""Rate limits on sign-up and password reset, the shared cache, reset mail after the response."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache, caches
from django.core.signals import request_finished
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from diary.checks import check_mail_host
from diary.lib import deferred
from diary.views.accounts import password_reset
from twitchlog.settings import cache_from_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "another-long-passphrase-42"


def signup(client, username, address="198.51.100.20"):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, "timezone": "UTC"}
    return client.post("/accounts/signup/", data, REMOTE_ADDR=address)


def test_signup_is_limited_per_address(client, settings, now):
    # Frozen: the limit counts per hour window, which a turning hour would start again.
    now("2026-06-01T12:00", tick=False)
    settings.RATE_SIGNUP = "3/h"
    for n in range(3):
        assert signup(client, f"new{n}").status_code == 302
        client.logout()
    response = signup(client, "new3")
    assert response.status_code == 429
    assert "Too many tries from this network" in response.content.decode()
    assert not User.objects.filter(username="new3").exists()
    assert signup(client, "new3", address="198.51.100.21").status_code == 302


def reset(client, email, address="198.51.100.30"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_address(client, settings, user, mailoutbox, now):
    # Frozen: the limit counts per hour window, which a turning hour would start again.
    now("2026-06-01T12:00", tick=False)
    settings.RATE_PASSWORD_RESET = "2/h"
    assert reset(client, "a@example.com").status_code == 302
    assert reset(client, "b@example.com").status_code == 302
    response = reset(client, "c@example.com")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many tries from this network" in html
    assert 'value="c@example.com"' in html  # what was typed stays in the field


def test_password_reset_mails_one_inbox_at_most_n_times_an_hour(client, settings, user):
    settings.RATE_PASSWORD_RESET_EMAIL = "2/h"
    user.email = "person@example.com"
    user.save()
    answers = [reset(client, "Person@example.com", address=f"203.0.113.{n}") for n in range(4)]
    # The same answer every time (no hint that the limit was reached) but only two mails.
    assert {a["Location"] for a in answers} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 2


def test_reset_mail_is_sent_only_after_the_response(user):
    user.email = "person@example.com"
    user.save()
    request = RequestFactory().post("/accounts/password_reset/", {"email": "person@example.com"})
    request._dont_enforce_csrf_checks = True
    response = password_reset(request)
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent while the response was built
    request_finished.send(sender=None)
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_reset_answers_alike_whether_or_not_the_account_exists(user):
    """Same redirect, same page, and the same database work before the response: none of it
    looks the account up."""
    user.email = "person@example.com"
    user.save()
    answers, queries = [], []
    for n, email in enumerate(["person@example.com", "nobody@example.com"]):
        # From two addresses, so both start their rate-limit counters alike.
        request = RequestFactory().post(
            "/accounts/password_reset/", {"email": email}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        request._dont_enforce_csrf_checks = True
        with CaptureQueriesContext(connection) as captured:
            answers.append(password_reset(request))
        deferred.drop_stale()
        queries.append([q["sql"] for q in captured.captured_queries])
    assert [(a.status_code, a["Location"], a.content) for a in answers] == [
        (302, "/accounts/password_reset/done/", b"")
    ] * 2
    assert len(queries[0]) == len(queries[1])
    assert not any("auth_user" in sql for sql in queries[0] + queries[1])


def test_a_failing_task_after_the_response_is_logged_not_raised(caplog):
    deferred.after_response(lambda: 1 / 0)
    ran = []
    deferred.after_response(lambda: ran.append(True))
    request_finished.send(sender=None)
    assert ran == [True]
    assert "A task run after the response failed" in caplog.text


def test_tasks_of_a_request_that_never_finished_are_dropped():
    ran = []
    deferred.after_response(lambda: ran.append(True))
    deferred.drop_stale()
    request_finished.send(sender=None)
    assert ran == []


# --- The shared cache ---


def test_cache_is_the_database_table_by_default():
    assert caches["default"].__class__.__module__ == "diary.lib.cache"
    cache.set("doors-probe", 41)
    assert cache.incr("doors-probe") == 42
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM twitchlog_cache")
        assert cursor.fetchone()[0] >= 1


def test_cache_incr_of_a_missing_key_is_an_error():
    with pytest.raises(ValueError, match="not found"):
        cache.incr("doors-missing")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://", "diary.lib.cache.DatabaseCache", "twitchlog_cache"),
        ("db://my_cache", "diary.lib.cache.DatabaseCache", "my_cache"),
        ("redis://cache:6379/1", "django.core.cache.backends.redis.RedisCache", None),
        ("rediss://u:p@cache:6380/0", "django.core.cache.backends.redis.RedisCache", None),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
    ],
)
def test_cache_url(url, backend, location):
    config = cache_from_url(url)
    assert config["BACKEND"] == backend
    assert config["LOCATION"] == (url if location is None else location)


def test_cache_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(RuntimeError, match="CACHE_URL must start with"):
        cache_from_url("memcached://cache:11211")


# --- The mail server in production ---


def test_mail_check_fails_in_production_without_a_host(settings):
    settings.DEBUG = False
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}
    }
    assert [error.id for error in check_mail_host(None)] == ["twitchlog.E001"]
    settings.MAILERS["default"]["OPTIONS"]["host"] = "smtp.example"
    assert check_mail_host(None) == []
    settings.DEBUG = True
    settings.MAILERS["default"]["OPTIONS"] = {}
    assert check_mail_host(None) == []


def deploy_check(**env) -> subprocess.CompletedProcess:
    skip = ("EMAIL_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    secret = "deploy-check-" + "a1B2c3D4e5" * 6
    base.update(
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="twitchlog.example",
        SITE_URL="https://twitchlog.example",
        VAPID_SUBJECT="mailto:admin@twitchlog.example",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_fails_without_email_host_and_passes_with_it():
    without = deploy_check()
    assert without.returncode != 0
    assert "twitchlog.E001" in without.stderr + without.stdout
    with_host = deploy_check(EMAIL_HOST="smtp.twitchlog.example")
    assert with_host.returncode == 0, with_host.stderr
