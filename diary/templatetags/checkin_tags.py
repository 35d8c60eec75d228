"""
The Log page's daily check-in card, drawn by a tag so the page's own view stays as it is.

The card is the same for everyone asked about the same day with the same answers: its
rendered markup is kept under a key made of exactly that (lib/fragments.py), and a visit
costs the one query that finds the day.
"""

import hashlib

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from diary.forms.checkins import card_context, card_day
from diary.lib.fragments import csrf_slot, fill_csrf, kept

register = template.Library()
CARD_TEMPLATE = "diary/includes/today_card.html"


@register.simple_tag(takes_context=True)
def today_card(context) -> SafeString:
    """The card for the logged-in user: yesterday first if neither day has a check-in."""
    request = context["request"]
    next_url = request.get_full_path()
    asked = card_day(request.user)
    shown = (asked.today, asked.day, asked.answers, next_url, get_language())
    key = "card:" + hashlib.sha256(repr(shown).encode()).hexdigest()

    def render() -> str:
        card = card_context(request.user, next_url, asked=asked)
        return render_to_string(CARD_TEMPLATE, {**card, "csrf_token": csrf_slot()}, request)

    return fill_csrf(kept(key, render), request)
