"""
Share links: the owner makes and revokes them (on /report/, listed in Settings); anyone with
the link reads that period at /s/<token>/ without logging in, until it expires or is revoked.

The public pages show page 1 of the report and the trends charts of the link's period and
nothing else: no navigation into the app, no form, no CSRF token, no user id. Each opening is
recorded for the owner; openings are rate-limited per address, so guessing tokens is slow on
top of hopeless.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from diary import insights
from diary import report as pdf
from diary.sharing import fhir, links
from diary.sharing.forms import ShareLinkForm
from diary.sharing.models import ShareLink, ShareOpening
from diary.views.base import AuthenticatedHttpRequest, pdf_unavailable, safe_next
from diary.views.fhir import fhir_response
from diary.views.trends import chartjs_sources, trends_context

OPEN_RATE = "20/m"
# The link just made, kept in the session until the next page shows it once.
NEW_LINK = "share_new_link"
NO_NAME = "Not given"


def local_today(user) -> date:
    return timezone.now().astimezone(user.profile.zone).date()


def share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("share-page", args=[token]))


def owner_links(user) -> list[ShareLink]:
    """The owner's links with their openings counted, newest first (one query)."""
    return list(ShareLink.objects.for_user(user).with_openings())


def owner_context(request: AuthenticatedHttpRequest) -> dict:
    """For the owner's list of links (report page, settings): the links and a new one's URL."""
    profile = request.user.profile
    return {
        "share_form": ShareLinkForm(
            today=local_today(request.user), zone=profile.zone, auto_id="id_share_%s"
        ),
        "share_links": owner_links(request.user),
        "new_link": request.session.pop(NEW_LINK, None),
    }


@require_POST
def share_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a link for the period on the report page; `pdf=1` answers with the PDF carrying it."""
    user = request.user
    today = local_today(user)
    with_pdf = request.POST.get("pdf") == "1"
    data = request.POST.copy()
    if with_pdf:
        # "Add a link for my doctor" on the PDF download: always a 30-day link.
        data["days"] = str(links.PDF_LINK_DAYS)
    form = ShareLinkForm(data, today=today, zone=user.profile.zone)
    back = safe_next(request, reverse("report"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"The link was not made: {error}")
        return redirect(f"{back}#share")
    period = form.cleaned_data["period"]
    link, token = links.create(
        user,
        first=period.first,
        last=period.last,
        days=form.cleaned_data["days"],
        include_notes=form.cleaned_data["include_notes"],
    )
    url = share_url(request, token)
    made = "Made a link for your doctor. Copy it now: it is shown only once."
    if with_pdf:
        try:
            return _pdf_response(link, url, today=today)
        except pdf.RenderFailed:
            # The link is made and must not be lost: shown once, like a link made alone.
            made = (
                "Made a link for your doctor, but its PDF could not be made just now. "
                "Copy the link now: it is shown only once. Adding a link to the PDF again "
                "makes a new PDF with a new link."
            )
    request.session[NEW_LINK] = {"url": url, "uuid": str(link.uuid)}
    messages.success(request, made)
    return redirect(f"{back}#share")


@require_POST
def share_revoke(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), uuid=uuid)
    links.revoke(link)
    messages.success(request, "Closed the link. It no longer opens.")
    return redirect(safe_next(request, reverse("settings")) + "#share")


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """
    A page anyone with the link may open: no login, rate-limited per address, and never kept
    by a cache, passed on as a referrer or indexed.
    """

    @login_not_required
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        if is_ratelimited(request, group="share-open", key="ip", rate=OPEN_RATE, increment=True):
            response = HttpResponse(
                "Too many tries. Wait a minute and open the link again.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        else:
            link = links.find(token)
            if link is None:
                response = TemplateResponse(
                    request, "diary/share/gone.html", {"gone": False}, status=404
                )
            elif not link.is_open():
                response = TemplateResponse(
                    request, "diary/share/gone.html", {"gone": True}, status=410
                )
            else:
                response = view(request, link, token)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def link_period(link: ShareLink) -> insights.Period:
    return insights.Period(first=link.first, last=link.last, zone=link.user.profile.zone)


def share_info(link: ShareLink, url: str) -> dict:
    zone = link.user.profile.zone
    return {
        "url": url,
        "expires_on": link.expires_at.astimezone(zone).date(),
        "include_notes": link.include_notes,
        "name": link.user.profile.display_name or NO_NAME,
    }


@public
def share_page(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    user, period = link.user, link_period(link)
    today = local_today(user)
    links.record_opening(link, request.headers.get("user-agent", ""))
    report = pdf.collect(user, period, today=today, appendix=False)
    report = pdf.for_share(report, share_info(link, share_url(request, token)))
    context = {
        "report": report,
        "link": link,
        "token": token,
        "shared": True,
        "chartjs": chartjs_sources(),
        **trends_context(user, period, today),
    }
    return TemplateResponse(request, "diary/share/page.html", context)


@public
def share_pdf(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    links.record_opening(link, request.headers.get("user-agent", ""), ShareOpening.Kind.PDF)
    try:
        return _pdf_response(link, share_url(request, token), today=local_today(link.user))
    except pdf.RenderFailed:
        return pdf_unavailable(request, frame="diary/share/base.html", shared=True)


@public
def share_fhir(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    """The link's period as FHIR, for a clinic's system; notes only with "include my notes"."""
    links.record_opening(link, request.headers.get("user-agent", ""), ShareOpening.Kind.FHIR)
    period = link_period(link)
    return fhir_response(fhir.bundle(link.user, period, notes=link.include_notes), period)


def _pdf_response(link: ShareLink, url: str, *, today: date) -> HttpResponse:
    period = link_period(link)
    content = pdf.build_pdf(link.user, period, today=today, share=share_info(link, url))
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(True, pdf.filename(period)),
            "Cache-Control": "no-store",
        },
    )
