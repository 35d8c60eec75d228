"""
Appointment prep: the report page, the doctor summary PDF and the function check.

/report/ picks the period, previews the PDF's page 1 in HTML, keeps the appointment notes and
lists the function checks; /report.pdf builds the PDF for `?from=…&to=…[&full=1][&lang=de]`
(in the person's language unless another is asked for: a doctor abroad). Both read
the numbers through diary.report.collect(), so the preview and the PDF show the same figures.
/report/checks/… opens, saves, deletes (with Undo) a function check. /report/appointment/ keeps
the next appointment's date and its reminders.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diary import insights
from diary import report as pdf
from diary.checkins.function_checks import save_check
from diary.forms import AppointmentNotesForm, FunctionCheckForm, ReportRangeForm, html_date
from diary.forms.reminders import AppointmentForm
from diary.forms.sharing import owner_context
from diary.lib import languages
from diary.lib.clock import local_today
from diary.lib.http import (
    AuthenticatedHttpRequest,
    attachment,
    is_partial,
    pdf_unavailable,
    safe_next,
)
from diary.lib.once import answered_once
from diary.models import CHECK_INTERVAL_DAYS, FunctionCheck, ReminderSettings
from diary.reminders import schedule

PREVIEW_SEEN = "report_preview_seen"
CHECKS = "#function-check"


RANGE_PARAMS = ("range", "weeks", "from", "to")


def first_logged_if_default(user, data: QueryDict):
    """The first logged day when no period was asked for (the default then depends on it)."""
    return None if any(data.get(key) for key in RANGE_PARAMS) else insights.first_logged(user)


def resolve_period(
    data: QueryDict, *, today: date, zone, first_logged: date | None = None
) -> tuple[ReportRangeForm, insights.Period | None]:
    """The range form and the period it asks for (None, with errors on the form, if bad)."""
    form = ReportRangeForm(data, today=today, first_logged=first_logged)
    if not form.is_valid():
        return form, None
    try:
        return form, insights.parse_period(form.period_params(), today=today, zone=zone)
    except insights.PeriodError as error:
        form.add_error(None, str(error))
        return form, None


def check_suggestion(latest: FunctionCheck | None, today: date) -> dict:
    """A quiet line about the last function check; a check is suggested once a week."""
    if latest is None:
        return {"days_since": None, "due": True}
    days = (today - latest.date).days
    return {"days_since": days, "due": days >= CHECK_INTERVAL_DAYS}


def report_context(
    request: AuthenticatedHttpRequest,
    notes_form: AppointmentNotesForm,
    appointment_form: AppointmentForm | None = None,
) -> dict:
    user = request.user
    zone, today = user.profile.zone, local_today(user)
    if appointment_form is None:
        reminders = ReminderSettings.objects.filter(user=user).first() or ReminderSettings()
        appointment_form = AppointmentForm(instance=reminders, today=today)
    first = first_logged_if_default(user, request.GET)
    range_form, period = resolve_period(request.GET, today=today, zone=zone, first_logged=first)
    checks = list(FunctionCheck.objects.for_user(user).order_by("-date", "-created_at"))
    context = {
        "range_form": range_form,
        "period": period,
        "full": request.GET.get("full") == "1",
        "notes_form": notes_form,
        "appointment_form": appointment_form,
        "checks": checks,
        "suggestion": check_suggestion(checks[0] if checks else None, today),
        "today": today,
        "about": user.profile.answers(),
        "pdf_language": languages.current(),
        **owner_context(user, request.session),
    }
    if period is not None:
        context["report"] = pdf.collect(user, period, today=today, appendix=False)
        context["pdf_params"] = {"from": period.first.isoformat(), "to": period.last.isoformat()}
        # Once the preview has been seen, the download is offered at the top too: coming back
        # to print it again should not mean scrolling past every section.
        context["preview_seen"] = request.session.get(PREVIEW_SEEN, False)
        if not context["preview_seen"]:
            request.session[PREVIEW_SEEN] = True  # saved once, not on every visit
    return context


@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the page (htmx: the preview only). POST: save the appointment notes."""
    profile = request.user.profile
    if request.method == "POST":
        notes_form = AppointmentNotesForm(request.POST, instance=profile)
        if notes_form.is_valid():
            notes_form.save()
            if is_partial(request):
                context = {"notes_form": notes_form, "notes_saved": True}
                return TemplateResponse(request, "diary/report.html#report-notes", context)
            messages.success(request, _("Saved your appointment notes."))
            return redirect(f"{reverse('report')}?{request.GET.urlencode()}".rstrip("?"))
        if is_partial(request):
            return TemplateResponse(
                request, "diary/report.html#report-notes", {"notes_form": notes_form}
            )
    else:
        notes_form = AppointmentNotesForm(instance=profile)
    context = report_context(request, notes_form)
    partial = is_partial(request) and request.method == "GET"
    context["oob"] = partial  # the preview fragment also refreshes the download at the top
    template = "diary/report.html#report-preview" if partial else "diary/report.html"
    return TemplateResponse(request, template, context)


@require_POST
def appointment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the next appointment's date and its reminders; a bad date re-shows the page."""
    reminders, _ = ReminderSettings.objects.get_or_create(user=request.user)
    form = AppointmentForm(request.POST, instance=reminders, today=local_today(request.user))
    if form.is_valid():
        schedule.after_change(form.save(), now=timezone.now())
        messages.success(request, "Saved your appointment date.")
        return redirect(reverse("report") + "#appointment")
    context = report_context(request, AppointmentNotesForm(instance=request.user.profile), form)
    return TemplateResponse(request, "diary/report.html", context)


@require_GET
def report_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The doctor summary for ?from=…&to=… (or ?weeks=N); a bad range goes back to /report/."""
    user = request.user
    zone, today = user.profile.zone, local_today(user)
    first = first_logged_if_default(user, request.GET)
    try:
        period = insights.parse_period(request.GET, today=today, zone=zone, first_logged=first)
    except insights.PeriodError:
        # /report/ parses the same parameters and shows the message next to the range.
        return redirect(f"{reverse('report')}?{request.GET.urlencode()}")
    language = request.GET.get("lang")
    try:
        content = pdf.build_pdf(
            user,
            period,
            today=today,
            full_log=request.GET.get("full") == "1",
            language=language if languages.supported(language) else None,
        )
    except pdf.RenderFailed:
        return pdf_unavailable(request, frame="base.html")
    return attachment(content, content_type="application/pdf", filename=pdf.filename(period))


def existing_check(user, day: date) -> FunctionCheck | None:
    return FunctionCheck.objects.for_user(user).filter(date=day).first()


@require_http_methods(["GET", "POST"])
@answered_once
def check_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """
    A new check, unless the day already has one: then that one opens (GET) or is updated (POST),
    so a second start on the same day never ends in nine answers refused on save.
    """
    day = html_date(request.POST.get("date") or request.GET.get("date") or "")
    day = date.fromisoformat(day) if day else local_today(request.user)
    existing = existing_check(request.user, day)
    if existing is None:
        return _check_form(request, FunctionCheck())
    if request.method == "POST":
        return _check_form(request, existing)
    messages.info(
        request,
        _("You already have a check for %(day)s. Here it is to change.")
        % {"day": pdf.fmt_date(day)},
    )
    url = reverse("function-check-edit", args=[existing.uuid])
    next_url = safe_next(request, "")
    return redirect(
        f"{url}?{QueryDict.fromkeys(['next'], next_url).urlencode()}" if next_url else url
    )


@require_http_methods(["GET", "POST"])
@answered_once
def check_edit(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    check = get_object_or_404(FunctionCheck.objects.for_user(request.user), uuid=uuid)
    return _check_form(request, check)


def _check_form(request: AuthenticatedHttpRequest, check: FunctionCheck) -> HttpResponse:
    today = local_today(request.user)
    adding = check.pk is None
    form = FunctionCheckForm(request.POST or None, instance=check, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        saved = save_check(form, adding=adding)
        if saved is not None:
            messages.success(
                request,
                _("Saved your function check of %(day)s.") % {"day": pdf.fmt_date(saved.date)},
            )
            return redirect(safe_next(request, reverse("report") + "#function-check"))
    context = {"form": form, "check": check, "next": safe_next(request, "")}
    return TemplateResponse(request, "diary/function_check.html", context)


@require_POST
@answered_once
def check_delete(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    check = get_object_or_404(FunctionCheck.objects.for_user(request.user), uuid=uuid)
    check.soft_delete()
    messages.success(
        request,
        _("Deleted the function check of %(day)s.") % {"day": pdf.fmt_date(check.date)},
        extra_tags=f"undo-check:{check.uuid}",
    )
    return redirect(reverse("report") + CHECKS)


@require_POST
def check_restore(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    checks = FunctionCheck.objects.for_user(request.user, include_deleted=True)
    check = get_object_or_404(checks, uuid=uuid)
    back = safe_next(request, reverse("report") + CHECKS)
    if check.deleted_at is None:
        return redirect(back)
    if FunctionCheck.objects.for_user(request.user).filter(date=check.date).exists():
        # One check a day: a new one was saved for that date since.
        messages.info(
            request,
            _("Not restored: you already have a check for %(day)s. Open that one to change it.")
            % {"day": pdf.fmt_date(check.date)},
        )
        return redirect(back)
    check.restore()
    messages.success(
        request, _("Restored the function check of %(day)s.") % {"day": pdf.fmt_date(check.date)}
    )
    return redirect(back)
