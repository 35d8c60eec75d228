"""Helpers shared by the server-side tests: valid form data and bulk episode creation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html import unescape

from diary.models import BodySite, DaySummary, Episode, Profile, Trigger, data_changed
from diary.models.summary import summarize

HTMX = {"HX-Request": "true"}


def episode_data(**overrides) -> dict:
    """POST data for the three-tap case (site, Log): now, a few seconds. Override any field."""
    data = {"sites": ["calf-left"], "when": "now", "duration_preset": "5"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def bulk_episodes(
    user,
    count: int,
    *,
    site_codes=("calf-left", "thigh-right"),
    trigger_slugs=("caffeine",),
    start=None,
    spacing=timedelta(minutes=5),
):
    """
    `count` episodes for `user`, `spacing` apart going back from `start` (default: a minute
    ago), each with two sites and a trigger: a handful of queries at any size.
    """
    start = start or datetime.now(UTC) - timedelta(minutes=1)
    zone = user.profile.timezone
    episodes = []
    for i in range(count):
        episode = Episode(
            user=user,
            started_at=start - i * spacing,
            timezone=zone,
            duration=timedelta(seconds=5 + i % 50),
        )
        episode.set_local_fields()  # bulk_create skips save()
        episodes.append(episode)
    created = Episode.objects.bulk_create(episodes)
    sites = list(BodySite.objects.filter(code__in=site_codes))
    through = Episode.sites.through
    through.objects.bulk_create(
        [through(episode_id=e.pk, bodysite_id=s.pk) for e in created for s in sites]
    )
    triggers = list(Trigger.objects.filter(user=None, slug__in=trigger_slugs))
    through = Episode.triggers.through
    through.objects.bulk_create(
        [through(episode_id=e.pk, trigger_id=t.pk) for e in created for t in triggers]
    )
    data_changed(user, {e.local_date for e in created})
    return created


def summary_rows(user) -> list[tuple]:
    """The user's stored day summaries as comparable tuples, by date."""
    return list(
        DaySummary.objects.filter(user=user)
        .order_by("date")
        .values_list("date", "episodes", "seconds", "counts")
    )


def rebuilt_rows(user) -> list[tuple]:
    """The day summaries rebuilt from the episodes, without writing them."""
    return [
        (row.date, row.episodes, row.seconds, row.counts)
        for row in summarize(user.pk, None, Episode, DaySummary)
    ]


@contextmanager
def records_change(user) -> Iterator[None]:
    """
    The block writes `user`'s data the way every write must: the data version moves on (so no
    cached page of theirs survives) and the day summaries equal a rebuild from the episodes.
    """
    before = Profile.objects.get(user=user).data_version
    yield
    assert Profile.objects.get(user=user).data_version > before, "the change was not recorded"
    assert summary_rows(user) == rebuilt_rows(user), "the day summaries were not kept up"


def field_errors(response, field: str) -> list[str]:
    """The messages shown next to a form field (the `id_<field>-errors` block), unescaped."""
    html = response.content.decode()
    match = re.search(rf'<div class="field-errors" id="id_{field}-errors">(.*?)</div>', html, re.S)
    return [unescape(m) for m in re.findall(r"<p>(.*?)</p>", match.group(1))] if match else []


def app_code(device, steps_ahead: int = 0) -> str:
    """The 6 digits an authenticator app shows for `device` now (or `steps_ahead` x 30 s on)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def two_step_on(user) -> tuple:
    """Two-step login turned on for `user` as the set-up page does: (app device, codes)."""
    from diary.twostep import devices

    device = devices.app_being_set_up(user)
    return device, devices.turn_on(device)
