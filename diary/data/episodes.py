"""
Writing an import's new episodes (diary/data/importer.py plans them): their rows in plain SQL
with the ids they would get, their sites and triggers, and their days' counts for the per-day
summary, taken from the values at hand rather than read back.
"""

from __future__ import annotations

import uuid as uuidlib
import zoneinfo

from django.db import connection

from diary.data.bulk import insert_rows, reserve_ids
from diary.data.validation import EPISODE_VALUES, ParsedEpisode
from diary.models import DETAILS, SYMPTOMS, BodySite, DayTally, Episode

EPISODE_FIELDS = ["uuid", "user", "started_at", "timezone", "local_date", "local_hour", "duration"]


# An episode's answers as its day's summary counts them, from the values the file holds.
ANSWERS = [EPISODE_VALUES.index(name) for name in (*(f for f, _group in DETAILS), *SYMPTOMS)]
INTENSITY = EPISODE_VALUES.index("intensity")


def insert_episodes(
    user_id: int,
    new: list[ParsedEpisode],
    uuids: dict[uuidlib.UUID, uuidlib.UUID | None],
    trigger_ids: dict[str, int],
) -> DayTally:
    """
    Write `new` (under their uuids to write, `uuids`) with their sites and triggers (file slug
    -> trigger id); their days' counts as it goes.
    """
    sites = {
        code: (pk, region)
        for code, pk, region in BodySite.objects.values_list("code", "pk", "region")
    }
    tally = DayTally()
    if not new:
        return tally
    columns = ["id", *EPISODE_FIELDS, *EPISODE_VALUES, "created_at", "updated_at"]
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    # Written with the ids they would get, so that their sites and triggers need not read
    # them back.
    ids = reserve_ids(Episode, len(new))

    def rows():
        """Each episode's row as it is written, counted for its day on the way."""
        for pk, item in zip(ids, new, strict=True):
            zone = zones.get(item.timezone) or zones.setdefault(
                item.timezone, zoneinfo.ZoneInfo(item.timezone)
            )
            local_date, local_hour = Episode.local_date_and_hour(item.started_at, zone)
            values = item.values
            tally.add(
                local_date,
                local_hour,
                item.duration.total_seconds(),
                values[INTENSITY],
                [values[i] for i in ANSWERS],
                [(code, sites[code][1]) for code in item.sites],
                [trigger_ids[slug] for slug in item.triggers],
            )
            yield [
                pk,
                uuids[item.uuid],
                *(user_id, item.started_at, item.timezone, local_date, local_hour),
                item.duration,
                *values,
                item.created_at,
                item.updated_at,
            ]

    # One statement a table, its rows made as it takes them: none of the three lists of
    # 50,000 rows is held whole, and on PostgreSQL the server works through a COPY while the
    # next rows are made.
    with connection.cursor() as cursor:
        insert_rows(Episode, columns, rows(), cursor)
        pairs = zip(ids, new, strict=True)
        sites_rows = ([pk, sites[code][0]] for pk, item in pairs for code in item.sites)
        insert_rows(Episode.sites.through, ["episode", "bodysite"], sites_rows, cursor)
        pairs = zip(ids, new, strict=True)
        trigger_rows = ([pk, trigger_ids[slug]] for pk, item in pairs for slug in item.triggers)
        insert_rows(Episode.triggers.through, ["episode", "trigger"], trigger_rows, cursor)
    return tally
