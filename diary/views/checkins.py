"""
The daily check-in: the list of check-ins and the page for one day's check-in, which the Log
page's card (diary/checkins/card.py, drawn by diary/templatetags/checkin_tags.py) posts to.

The card posts to the day's page: with htmx the answer is the card again (the next day to ask
about, or the saved answers); without, a redirect back to where the form was.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.checkins.saving import save_day_log
from diary.forms.checkins import DayLogForm, card_context
from diary.lib.clock import local_today
from diary.lib.formats import weekday_date
from diary.lib.http import AuthenticatedHttpRequest, is_partial, safe_next
from diary.models import DayLog

CHECKINS_PAGE_SIZE = 30
EARLIEST = date(1900, 1, 1)


def parse_day(text: str, today: date) -> date:
    """A check-in date from the URL: a real date, not in the future; else a 404."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Http404("No such date.") from None
    # Only the canonical spelling: "20260301" or "2026-W09-7" would be a second URL for a day.
    if day.isoformat() != text or not EARLIEST <= day <= today:
        raise Http404("No check-in can be made for that date.")
    return day


@require_GET
def checkin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = local_today(request.user)
    if other_day := request.GET.get("day"):
        try:
            return redirect("checkin-edit", parse_day(other_day, today).isoformat())
        except Http404:
            messages.info(request, _("Pick a date up to today."))
    day_logs = DayLog.objects.for_user(request.user).order_by("-date")
    page = Paginator(day_logs, CHECKINS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": today, "yesterday": today - timedelta(days=1)}
    return TemplateResponse(request, "diary/checkins.html", context)


@require_http_methods(["GET", "POST"])
def checkin_edit(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    the_day = parse_day(day, local_today(request.user))
    existing = DayLog.objects.for_user(request.user).filter(date=the_day).first()
    from_card = request.POST.get("card") == "1"
    form = DayLogForm(request.POST or None, instance=existing, compact=from_card)
    form.day = the_day
    if request.method == "POST" and form.is_valid():
        day_log, _created = save_day_log(request.user, the_day, form.values)
        if from_card and is_partial(request):
            context = card_context(request.user, safe_next(request, "/"), saved=day_log)
            return TemplateResponse(request, "diary/includes/today_card.html", context)
        when = weekday_date(the_day)
        messages.success(request, _("Saved your check-in for %(day)s.") % {"day": when})
        return redirect(safe_next(request, "checkins"))
    if from_card and is_partial(request):
        context = card_context(request.user, safe_next(request, "/"), form=form)
        return TemplateResponse(request, "diary/includes/today_card.html", context)
    context = {"form": form, "day": the_day, "day_log": existing, "next": safe_next(request, "")}
    return TemplateResponse(request, "diary/checkin_edit.html", context)
