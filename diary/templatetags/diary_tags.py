"""Template filters for showing episodes in words a person reads at a glance."""

from datetime import timedelta

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def duration_words(value: timedelta | None) -> str:
    """'5 s', '2 min', '1 h 30 min' — compact, for lists on a phone."""
    if value is None:
        return ""
    seconds = round(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


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
    """The body map (diary/bodymap.py): the same markup for everyone, built once per process."""
    from diary.bodymap import body_map as build

    return build()


def _row_options(context) -> dict:
    request = context["request"]
    return {
        "csrf_token": str(context.get("csrf_token", "")),
        "next_url": context.get("row_next") or request.get_full_path(),
        "profile_timezone": request.user.profile.timezone,
    }


@register.simple_tag(takes_context=True)
def episode_row(context, episode) -> str:
    """One episode's list row (diary/episode_rows.py); `restored` in the context marks Undo."""
    from diary.episode_rows import episode_row as build

    return build(episode, restored=bool(context.get("restored")), **_row_options(context))


@register.simple_tag(takes_context=True)
def episode_rows(context, episodes) -> str:
    """The rows of `episodes`, one format_html each."""
    from diary.episode_rows import episode_rows as build

    return build(episodes, **_row_options(context))
