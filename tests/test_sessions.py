"""Sessions end server-side; the SQLite file is private; persistent connections keep the PRAGMAs."""

import stat

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client

from diary.lib.sessions import end_all_sessions
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_logging_out_deletes_the_session_on_the_server(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, replayed, is no longer a login.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/")["Location"] == "/accounts/login/?next=/"


@pytest.mark.django_db
def test_end_all_sessions_logs_a_person_out_everywhere_and_no_one_else(user, other_user):
    phone, laptop, theirs = Client(), Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    theirs.force_login(other_user)
    Client().get("/accounts/login/")  # an anonymous session, if any, stays too
    assert end_all_sessions(user) == 2
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert theirs.get("/").status_code == 200
    assert end_all_sessions(user) == 0


@pytest.mark.django_db
def test_end_all_sessions_with_no_sessions_at_all():
    assert end_all_sessions(UserFactory()) == 0


@pytest.fixture
def unblocked(django_db_blocker):
    """Connections of our own to files in tmp_path (not the test database)."""
    with django_db_blocker.unblock():
        yield


def file_database(path) -> DatabaseWrapper:
    """A connection made by Django from the project's own SQLite settings, to `path`."""
    config = {**settings.DATABASES["default"], "NAME": str(path)}
    if config["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite-only settings (file mode, WAL); `make test` runs them on SQLite")
    return DatabaseWrapper(config, alias="file-probe")


def test_the_sqlite_file_and_its_wal_are_readable_by_the_owner_only(tmp_path, unblocked):
    database = tmp_path / "diary.sqlite3"
    connection = file_database(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE probe (x)")
            cursor.execute("INSERT INTO probe VALUES (1)")
        for path in (database, tmp_path / "diary.sqlite3-wal", tmp_path / "diary.sqlite3-shm"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        connection.close()


def test_an_existing_world_readable_file_is_closed_up_on_connect(tmp_path, unblocked):
    database = tmp_path / "old.sqlite3"
    database.touch(mode=0o644)
    connection = file_database(database)
    try:
        connection.ensure_connection()
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
    finally:
        connection.close()


def test_connections_persist_with_health_checks():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_every_new_connection_gets_wal_and_synchronous_normal(tmp_path, unblocked):
    """Persistent connections must not mean only the first one is set up."""
    for n in range(2):
        connection = file_database(tmp_path / "pragmas.sqlite3")
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal", n
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone()[0] == 1, n  # NORMAL
        finally:
            connection.close()


@pytest.mark.django_db
def test_pages_are_compressed_for_browsers_that_ask(owner_client):
    plain = owner_client.get("/")
    compressed = owner_client.get("/", headers={"Accept-Encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain
