"""Settings that silently do nothing when misplaced are asserted here."""

import pytest
from django.db import connection

from diary.checks import check_cache_tables

ONLY_ON_SQLITE = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite-only settings (WAL, IMMEDIATE); PostgreSQL has neither and needs neither",
)


@ONLY_ON_SQLITE
@pytest.mark.django_db
def test_sqlite_uses_wal_and_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


@ONLY_ON_SQLITE
def test_sqlite_file_database_switches_to_wal(tmp_path):
    """The in-memory test database cannot use WAL, so check a real file with the same options."""
    import sqlite3

    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    db = sqlite3.connect(tmp_path / "wal.sqlite3")
    db.executescript(options["init_command"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_healthz_is_public(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_migrate_creates_the_cache_table(db):
    """The test database is made by `migrate` alone; the rate limits' table comes with it."""
    assert "twitchlog_cache" in connection.introspection.table_names()


def test_deploy_check_finds_a_missing_cache_table(db, settings):
    assert check_cache_tables(None, databases=["default"]) == []
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "diary.lib.cache.DatabaseCache", "LOCATION": "not_created"},
    }
    [error] = check_cache_tables(None, databases=["default"])
    assert error.id == "twitchlog.E002"
    assert "'not_created'" in error.msg


def test_a_trusted_proxy_that_is_no_address_stops_the_app_at_start():
    """Else every request would fail reading the client address."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "TRUSTED_PROXIES": "127.0.0.1,10.0.0.300"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: '10.0.0.300' does not appear to be" in result.stderr
