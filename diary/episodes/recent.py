"""
The Log page's latest episodes, in one plain-SQL query.

The list is built again after every write, and the ORM's building of its query (five
subqueries: rows.with_row_names) cost more than running it. This is the same query written
out: each episode with the same columns with_row_names adds, so rows.episode_row shows it alike.
Its subqueries run for the episodes shown alone: the latest are chosen first (SQLite ran them
for every episode of the 7 days before it sorted them).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections

from diary.episodes.rows import BUILTIN, SEP
from diary.models import Clip, Episode, Trigger

# The aggregate that joins a column's values with a separator, by database.
JOIN_NAMES = {"sqlite": "GROUP_CONCAT", "postgresql": "STRING_AGG"}


@cache
def recent_sql(vendor: str) -> str:
    """The query for one database: parameters are clip status (3), SEP, BUILTIN, SEP, the
    user's id, the first local date and how many."""
    join = JOIN_NAMES[vendor]
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    episodes = quote(Episode._meta.db_table)
    clips = quote(Clip._meta.db_table)
    sites = quote(Episode.sites.through._meta.db_table)
    site_table = quote(Episode.sites.field.related_model._meta.db_table)
    triggers = quote(Episode.triggers.through._meta.db_table)
    trigger_table = quote(Trigger._meta.db_table)
    ready_clips = f"FROM {clips} c WHERE c.episode_id = e.id AND c.status = %s"
    first_clip = f"{ready_clips} ORDER BY c.created_at ASC, c.id ASC LIMIT 1"
    return (
        f"SELECT e.*, (SELECT COUNT(*) {ready_clips}) AS row_clips, "
        f"(SELECT c.uuid {first_clip}) AS row_clip, "
        f"(SELECT c.kind {first_clip}) AS row_clip_kind, "
        f"(SELECT {join}(s.code, %s) FROM {sites} es "
        f"INNER JOIN {site_table} s ON s.id = es.bodysite_id "
        "WHERE es.episode_id = e.id) AS row_sites, "
        f"(SELECT {join}(CASE WHEN t.user_id IS NULL THEN %s || t.slug ELSE t.name END, %s) "
        f"FROM {triggers} et INNER JOIN {trigger_table} t ON t.id = et.trigger_id "
        "WHERE et.episode_id = e.id) AS row_triggers "
        # The latest first, then their names and clips: for those shown alone.
        f"FROM (SELECT * FROM {episodes} "
        "WHERE user_id = %s AND deleted_at IS NULL AND local_date >= %s "
        "ORDER BY started_at DESC, id DESC LIMIT %s) e "
        "ORDER BY e.started_at DESC, e.id DESC"
    )


def recent_episodes(user, first: date, limit: int) -> list[Episode]:
    """
    `user`'s episodes (not deleted) on local dates from `first` on, newest first, at most
    `limit`: as with_row_names(Episode.objects.for_user(user).on_local_dates(first, None)
    .newest_first())[:limit] gives them.
    """
    db = connections[DEFAULT_DB_ALIAS]
    ready = Clip.Status.READY.value
    params = [ready, ready, ready, SEP, BUILTIN, SEP, user.pk]
    params += [db.ops.adapt_datefield_value(first), limit]
    episodes = list(Episode.objects.raw(recent_sql(db.vendor), params))
    for episode in episodes:
        # A plain query's uuid is the database's own form (text on SQLite).
        if episode.row_clip is not None and not isinstance(episode.row_clip, UUID):
            episode.row_clip = UUID(episode.row_clip)
    return episodes
