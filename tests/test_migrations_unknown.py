"""
The migrations that made "seen under the skin" and the function-check answers questions that
may stay unanswered: an empty tick box becomes unknown (never "no"), a saved "No" of a function
check stays "no", and the day summaries are rebuilt with the twitch details. Both reverse.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("diary", "0010_profile_uuid_unique")]
AFTER = [("diary", "0012_function_check_unanswered")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_tick_box_left_empty_becomes_unknown_and_saved_no_stays_no():
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    Episode = apps.get_model("diary", "Episode")
    FunctionCheck = apps.get_model("diary", "FunctionCheck")
    user = User.objects.create(username="before")
    started = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for visible in (True, False, False):
        Episode.objects.create(
            user=user,
            started_at=started,
            timezone="UTC",
            local_date=date(2026, 3, 2),
            duration=timedelta(seconds=5),
            visible=visible,
            pattern="single",
        )
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 2), grip=True)  # the rest: "No"

    apps = migrate(AFTER)
    Episode = apps.get_model("diary", "Episode")
    seen = sorted(Episode.objects.values_list("visible", flat=True), key=str)
    assert seen == [None, None, True]
    [summary] = apps.get_model("diary", "DaySummary").objects.all()
    assert summary.counts["visible"] == {"yes": 1}  # of 1 answered, not "1 of 3"
    assert summary.counts["patterns"] == {"single": 3}
    check = apps.get_model("diary", "FunctionCheck").objects.get()
    assert (check.grip, check.walking, check.breathing) == (True, False, False)

    # Back: unknown is an empty tick box again, an unanswered task "no".
    check.speech = None
    check.save()
    apps = migrate(BEFORE)
    assert sorted(apps.get_model("diary", "Episode").objects.values_list("visible", flat=True)) == [
        False,
        False,
        True,
    ]
    assert apps.get_model("diary", "FunctionCheck").objects.get().speech is False
    migrate(migrate_to_latest())


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
