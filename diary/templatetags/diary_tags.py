"""Template filters for showing episodes in words a person reads at a glance."""

from django import template
from django.utils.html import format_html, format_html_join

from diary.episodes import bodymap, rows
from diary.forms.clips import clip_limits
from diary.lib.once import ONCE_FIELD, new_token
from diary.lib.text import duration_words

register = template.Library()


register.filter("duration_words", duration_words)


@register.simple_tag
def clip_seconds() -> int:
    return clip_limits()["max_seconds"]


@register.simple_tag
def clip_limits_data() -> str:
    """The clip limits as data attributes, so the page's script can say so before uploading."""
    limits = clip_limits()
    return format_html(
        'data-max-bytes="{}" data-max-seconds="{}" data-too-big="{}"',
        limits["max_bytes"],
        limits["max_seconds"],
        limits["too_big"],
    )


@register.simple_tag
def site_checkboxes(regions, selected: set[str]) -> str:
    """
    The full body-site list as chips, one fieldset per region.

    Built in Python rather than with template loops: it is 42 inputs on every Log page, and
    the template engine spent more on them than on the rest of the form.
    """
    return format_html_join(
        "\n",
        '<fieldset class="site-region"><legend>{}</legend><div class="chips">{}</div></fieldset>',
        (
            (
                region,
                format_html_join(
                    "",
                    '<label class="chip" for="id_sites_{0}"><input type="checkbox" name="sites" '
                    'value="{0}" id="id_sites_{0}" data-site="{0}"{1}><span>{2}</span></label>',
                    ((code, " checked" if code in selected else "", name) for code, name in sites),
                ),
            )
            for region, sites in regions
        ),
    )


@register.simple_tag
def body_map() -> str:
    """The body map (diary/episodes/bodymap.py): the same markup for everyone, built once."""
    return bodymap.body_map()


def _row_options(context) -> dict:
    request = context["request"]
    return {
        "csrf_token": str(context.get("csrf_token", "")),
        "next_url": context.get("row_next") or request.get_full_path(),
        "profile_timezone": request.user.profile.timezone,
    }


@register.simple_tag(takes_context=True)
def episode_row(context, episode) -> str:
    """One episode's list row (diary/episodes/rows.py); `restored` in the context marks Undo."""
    return rows.episode_row(
        episode, restored=bool(context.get("restored")), **_row_options(context)
    )


@register.simple_tag(takes_context=True)
def episode_rows(context, episodes) -> str:
    """The rows of `episodes`, one format_html each."""
    return rows.episode_rows(episodes, **_row_options(context))


@register.simple_tag
def once_field() -> str:
    """The hidden token that lets a form sent twice at once be answered once (lib/once.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, new_token())
