"""The Log page's daily check-in card, drawn by a tag so the page's own view stays as it is."""

from django import template

from diary.forms.checkins import card_context

register = template.Library()


@register.inclusion_tag("diary/includes/today_card.html", takes_context=True)
def today_card(context) -> dict:
    """The card for the logged-in user: yesterday first if neither day has a check-in."""
    request = context["request"]
    card = card_context(request.user, request.get_full_path())
    return {"request": request, "csrf_token": context.get("csrf_token"), **card}
