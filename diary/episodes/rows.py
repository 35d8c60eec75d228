"""
One episode as a list row (Log page, History, after Undo), built in Python.

A row is one format_html call (as _html, which escapes alike for less) with URLs built from a
prefix reversed once: the template version (an include with `{% url %}`, `{% csrf_token %}` and
date filters per row) cost about 0.4 ms a row, most of the Log page's time. The markup is the
same for every list.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from datetime import datetime
from functools import cache
from threading import Lock
from urllib.parse import quote
from uuid import UUID

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from diary.lib.formats import clock_time, short_weekday_date
from diary.lib.fragments import csrf_slot
from diary.lib.text import duration_words
from diary.models import Clip, Episode
from diary.models.sites import catalogue_codes, site_name
from diary.models.triggers import trigger_label

_UUID = UUID(int=0)
# Between names in one aggregated column. The forms fold every run of whitespace, this one
# included (str.split), into a space, so no name holds it.
SEP = "\x1f"
# Before a built-in trigger's slug in that column (its name is shown in the active language).
BUILTIN = "\x1e"

DELETE_ICON = mark_safe(
    '<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" '
    'd="M9 3h6l1 2h4v2H4V5h4l1-2Zm-3 6h12l-1 12H7L6 9Zm4 2v8h2v-8h-2Zm4 0v8h2v-8h-2Z"/></svg>'
)


NOTE_ICON = mark_safe(
    '<svg aria-hidden="true" viewBox="0 0 24 24" width="14" height="14"><path fill="currentColor" '
    'd="M4 17.2V20h2.8l8.3-8.3-2.8-2.8L4 17.2Zm13.7-7.6a1 1 0 0 0 0-1.4l-1.9-1.9a1 1 0 0 0-1.4 '
    '0l-1.4 1.4 2.8 2.8 1.9-1.9Z"/></svg>'
)


@cache
def url_template(name: str) -> str:
    """The URL of `name` for one episode, with "{}" where its uuid goes (reversed once)."""
    return reverse(name, args=[_UUID]).replace(str(_UUID), "{}")


def episode_url(name: str, uuid: UUID) -> str:
    return url_template(name).format(uuid)


def clip_thumb_url(uuid: UUID) -> str:
    return url_template("clip-thumb").format(uuid)


def with_clips(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """
    The episodes with how many ready videos and photos each has, and the first one's uuid and
    kind (its thumbnail shows in the row): columns of the same query, no query per row.
    """
    ready = Clip.objects.filter(episode=OuterRef("pk"), status=Clip.Status.READY)
    first = ready.order_by("created_at", "id")
    return episodes.annotate(
        row_clips=Subquery(ready.order_by().values("episode").annotate(n=Count("id")).values("n")),
        row_clip=Subquery(first.values("uuid")[:1]),
        row_clip_kind=Subquery(first.values("kind")[:1]),
    )


def with_row_names(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """
    The episodes with their site codes and trigger names in two columns of the same query: a
    list is then one query, not three (the episodes and a prefetch each for sites and triggers);
    and their videos and photos (with_clips). A built-in trigger comes as its slug, to be named
    in the active language.
    """
    names = Episode.sites.through.objects.filter(episode=OuterRef("pk")).order_by()
    triggers = Episode.triggers.through.objects.filter(episode=OuterRef("pk")).order_by()
    trigger_name = Case(
        When(trigger__user__isnull=True, then=Concat(Value(BUILTIN), "trigger__slug")),
        default="trigger__name",
        output_field=CharField(),
    )
    return with_clips(episodes).annotate(
        row_sites=Subquery(
            names.values("episode").annotate(n=StringAgg("bodysite__code", Value(SEP))).values("n")
        ),
        row_triggers=Subquery(
            triggers.values("episode").annotate(n=StringAgg(trigger_name, Value(SEP))).values("n")
        ),
    )


def with_names(episode: Episode, sites, triggers) -> Episode:
    """
    `episode` with its site codes and trigger names as with_row_names() gives them (a built-in
    trigger as its slug), from the BodySite and Trigger rows it was just saved with: its row
    without reading it back.
    """
    episode.row_sites = SEP.join(site.code for site in sites)
    episode.row_triggers = SEP.join(
        BUILTIN + trigger.slug if trigger.user_id is None else trigger.name for trigger in triggers
    )
    return episode


@cache
def _site_order() -> dict[str, int]:
    codes = [code for _, sites in catalogue_codes() for code, _ in sites]
    return {code: i for i, code in enumerate(codes)}


def _trigger_name(aggregated: str) -> str:
    if aggregated.startswith(BUILTIN):
        slug = aggregated[len(BUILTIN) :]
        return trigger_label(slug, slug, builtin=True)
    return aggregated


def site_and_trigger_names(episode: Episode) -> tuple[list[str], list[str]]:
    """
    Names in catalogue order and by name (in the active language), from with_row_names() or
    else from prefetches.
    """
    if hasattr(episode, "row_sites"):
        order = _site_order()
        codes = sorted(filter(None, (episode.row_sites or "").split(SEP)), key=order.get)
        triggers = [_trigger_name(t) for t in (episode.row_triggers or "").split(SEP) if t]
        return [site_name(code) for code in codes], sorted(triggers, key=str.casefold)
    return [s.label for s in episode.sites.all()], [t.label for t in episode.triggers.all()]


def _escaped(value) -> str:
    """conditional_escape(value), without the wrapper that defers it for lazy arguments."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _html(format_string: str, *args) -> SafeString:
    """
    format_html(format_string, *args): the same escaping of every argument, for the dozen
    small calls of each row, without its per-call overheads (lazy-argument checks).
    """
    return SafeString(format_string.format(*map(_escaped, args)))


# Rows kept by everything they are made from (below): a list built again after a write is
# mostly rows that did not change. A row is ~1.5 KB; this bounds them to a few MB a process.
ROWS_KEPT = 2000
_kept_rows: OrderedDict[tuple, str] = OrderedDict()
_kept_rows_lock = Lock()


def episode_row(
    episode: Episode,
    *,
    csrf_token: str,
    next_url: str,
    profile_timezone: str,
    restored: bool = False,
) -> SafeString:
    """
    The row of `episode` (with_row_names' columns, or sites and triggers prefetched); edit and
    delete return to next_url. A row read with with_row_names' columns is kept under every
    column of the episode as read, the language and the arguments: the same key, the same row.
    """
    if "row_sites" not in episode.__dict__:  # names from prefetched relations: not in the key
        return _episode_row(episode, csrf_token, next_url, profile_timezone, restored)
    # A datetime as its text: equal instants in two zones are equal keys, yet print apart.
    columns = tuple(
        (k, v.isoformat() if isinstance(v, datetime) else v)
        for k, v in episode.__dict__.items()
        if not k.startswith("_")
    )
    key = (columns, next_url, profile_timezone, restored, get_language())
    try:
        hash(key)
    except TypeError:  # a value that is not one (a list set on the instance): built as it is
        return _episode_row(episode, csrf_token, next_url, profile_timezone, restored)
    with _kept_rows_lock:
        row = _kept_rows.get(key)
        if row is not None:
            _kept_rows.move_to_end(key)
    if row is None:
        # Built with the kept parts' CSRF slot, this request's token put in on the way out.
        row = _episode_row(episode, csrf_slot(), next_url, profile_timezone, restored)
        with _kept_rows_lock:
            _kept_rows[key] = row
            if len(_kept_rows) > ROWS_KEPT:
                _kept_rows.popitem(last=False)
    return SafeString(row.replace(csrf_slot(), csrf_token))


def forget_rows() -> None:
    """Drop the kept rows (tests)."""
    with _kept_rows_lock:
        _kept_rows.clear()


def _episode_row(
    episode: Episode, csrf_token: str, next_url: str, profile_timezone: str, restored: bool
) -> SafeString:
    local = episode.local_started_at
    # Hours and minutes alone, as a naive time: diary/lib/formats.py keeps those formatted.
    hm = clock_time(local.time().replace(second=0, microsecond=0))
    zone_mark = (
        _html(' <abbr class="hint" title="{}">{}</abbr>', episode.timezone, local.tzname())
        if episode.timezone != profile_timezone
        else ""
    )
    tags = [_html("<span>{}</span>", duration_words(episode.duration))]
    if episode.intensity:
        strength = _("Strength %(strength)d/5") % {"strength": episode.intensity}
        tags.append(_html("<span>{}</span>", strength))
    sites, triggers = site_and_trigger_names(episode)
    tags += [_html('<span class="tag">{}</span>', name) for name in triggers]
    tags += [_html('<span class="tag tag-symptom">{}</span>', s) for s in episode.symptoms]
    if episode.notes:
        # A mark, not a chip: it must not read as one more trigger.
        tags.append(
            _html(
                '<span class="note-mark">{}{}</span>',
                NOTE_ICON,
                pgettext("an episode has notes", "Notes"),
            )
        )
    clips = getattr(episode, "row_clips", None) or 0
    thumb = ""
    if clips:
        if clips > 1:
            words = ngettext("%(count)d video or photo", "%(count)d videos and photos", clips) % {
                "count": clips
            }
        elif episode.row_clip_kind == Clip.Kind.VIDEO:
            words = pgettext("an episode has one", "Video")
        else:
            words = pgettext("an episode has one", "Photo")
        tags.append(_html('<span class="tag tag-clip">{}</span>', words))
        thumb = _html(
            '<img class="episode-thumb" src="{}" alt="" width="48" height="48" loading="lazy">',
            clip_thumb_url(episode.row_clip),
        )
    delete_url = episode_url("episode-delete", episode.uuid)
    return _html(
        '<li class="episode{0}" id="episode-{1}">'
        # After Undo, focus goes back to the row (htmx focuses [autofocus] in swapped content).
        '<a class="episode-main" href="{2}?next={3}"{4}>'
        '<span class="visually-hidden">{5}</span>'
        '<span class="episode-time"><time datetime="{6}">{7}</time>{8}</span>'
        '<span class="episode-sites">{9}</span>'
        '<span class="episode-meta">{10}</span>{16}</a>'
        '<form method="post" action="{11}" data-hx-post="{11}" data-hx-target="closest li" '
        'data-hx-swap="outerHTML">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{12}">'
        '<input type="hidden" name="next" value="{13}">'
        '<button type="submit" class="icon-button" aria-label="{14}">{15}</button>'
        "</form></li>",
        " is-restored" if restored else "",
        episode.uuid,
        episode_url("episode-edit", episode.uuid),
        quote(next_url, safe="/"),
        mark_safe(" autofocus") if restored else "",
        _("Edit episode at %(time)s on %(day)s:")
        % {"time": hm, "day": short_weekday_date(episode.local_date)},
        episode.started_at.isoformat(timespec="seconds"),
        hm,
        zone_mark,
        ", ".join(sites),
        mark_safe("".join(tags)),
        delete_url,
        csrf_token,
        next_url,
        _("Delete episode at %(time)s") % {"time": hm},
        DELETE_ICON,
        thumb,
    )


def episode_rows(episodes, **kwargs) -> SafeString:
    return SafeString("".join(episode_row(e, **kwargs) for e in episodes))
