"""`manage.py purge_deleted` and `manage.py backup`."""

import os
import sqlite3
from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from diary.data import staging
from diary.models import Episode, FunctionCheck
from tests.factories import EpisodeFactory
from tests.helpers import bulk_episodes, records_change


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


@pytest.mark.django_db
def test_purge_deleted_removes_only_what_was_deleted_over_30_days_ago(user, other_user):
    now = timezone.now()
    old = EpisodeFactory(user=user, deleted_at=now - timedelta(days=31))
    recent = EpisodeFactory(user=user, deleted_at=now - timedelta(days=29))
    live = EpisodeFactory(user=other_user)
    old_check = FunctionCheck.objects.create(
        user=other_user, date=date(2026, 1, 5), deleted_at=now - timedelta(days=40)
    )
    kept_check = FunctionCheck.objects.create(user=other_user, date=date(2026, 1, 6))
    out = StringIO()
    with records_change(user), records_change(other_user):
        call_command("purge_deleted", stdout=out)
    assert (
        "Purged 1 episodes, 1 function checks, 0 clip files, 0 abandoned import files, "
        "0 clip files no clip owns." in out.getvalue()
    )
    remaining = set(Episode.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, live.pk} <= remaining
    assert list(FunctionCheck.objects.values_list("pk", flat=True)) == [kept_check.pk]
    assert not FunctionCheck.objects.filter(pk=old_check.pk).exists()


@pytest.mark.django_db
def test_purge_deleted_removes_abandoned_import_files():
    folder = staging.staging_dir()
    stale, fresh = folder / ("a" * 32 + ".json"), folder / ("b" * 32 + ".json")
    stale.write_text("{}")
    fresh.write_text("{}")
    # Times on the app's clock (the file system stamps the machine's, whatever a test pins).
    old, new = (timezone.now() - timedelta(days=2)).timestamp(), timezone.now().timestamp()
    os.utime(stale, (old, old))
    os.utime(fresh, (new, new))
    out = StringIO()
    call_command("purge_deleted", stdout=out)
    assert "1 abandoned import files" in out.getvalue()
    assert not stale.exists()
    assert fresh.exists()


# Committed rows, as in a running app (SQLite's backup waits for an open write transaction);
# serialized_rollback puts the body-site catalogue back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_every_episode(user, tmp_path):
    episodes = bulk_episodes(user, 250)
    EpisodeFactory(user=user, notes="Ελληνικά 🙂")
    target = tmp_path / "backup.sqlite3"
    out = StringIO()
    if connection.vendor != "sqlite":  # a run on PostgreSQL: pg_dump's job
        with pytest.raises(CommandError, match="use pg_dump"):
            call_command("backup", str(target), stdout=out)
        return
    call_command("backup", str(target), stdout=out)
    assert f"Wrote {target}" in out.getvalue()
    restored = sqlite3.connect(target)
    try:
        uuids = {row[0] for row in restored.execute("SELECT uuid FROM diary_episode")}
        notes = restored.execute("SELECT notes FROM diary_episode WHERE notes != ''").fetchall()
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        restored.close()
    expected = {str(u).replace("-", "") for u in Episode.objects.values_list("uuid", flat=True)}
    assert len(expected) == len(episodes) + 1
    assert {u.replace("-", "") for u in uuids} == expected
    assert notes == [("Ελληνικά 🙂",)]


@pytest.mark.django_db
def test_backup_refuses_to_overwrite(tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(target))
    assert target.read_text() == "keep me"


@pytest.mark.django_db
def test_backup_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nope" / "b.sqlite3"))


@pytest.mark.django_db
def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    with mock.patch("diary.data.maintenance.connection") as fake:
        fake.vendor = "postgresql"
        with pytest.raises(CommandError, match="use pg_dump"):
            call_command("backup", str(tmp_path / "b.sqlite3"))
    assert not (tmp_path / "b.sqlite3").exists()
