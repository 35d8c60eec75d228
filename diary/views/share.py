"""
Share links: the owner makes and revokes them (on /report/, listed in Settings); anyone with
the link reads that period at /s/<token>/ without logging in, until it expires or is revoked.

The public pages show page 1 of the report and the trends charts of the link's period and
nothing else: no navigation into the app, no form, no CSRF token, no user id. Each opening is
recorded for the owner; openings are rate-limited per address, so guessing tokens is slow on
top of hopeless. A link speaks the language it was made in (its page, PDF and FHIR texts),
whoever opens it.
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
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from diary import insights
from diary import report as pdf
from diary.clips.serving import file_response, whole_image
from diary.forms.sharing import NEW_LINK, ShareLinkForm
from diary.insights.charts import chartjs_sources, trends_context
from diary.lib import languages
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest, attachment, pdf_unavailable, safe_next
from diary.models import Clip, ShareLink, ShareOpening
from diary.sharing import fhir, links

OPEN_RATE = "20/m"


def share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("share-page", args=[token]))


@require_POST
def share_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a link for the period on the report page; `pdf=1` answers with the PDF carrying it."""
    user = request.user
    today = local_today(user)
    with_pdf = request.POST.get("pdf") == "1"
    # "Add a link for my doctor to the PDF" makes the same link as "Make a link": open for
    # as long as chosen beside both buttons.
    form = ShareLinkForm(request.POST, today=today, zone=user.profile.zone)
    back = safe_next(request, reverse("report"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("The link was not made: %(error)s") % {"error": error})
        return redirect(f"{back}#share")
    period = form.cleaned_data["period"]
    link, token = links.create(
        user,
        first=period.first,
        last=period.last,
        days=form.cleaned_data["days"],
        include_notes=form.cleaned_data["include_notes"],
        language=form.cleaned_data["language"] or None,
        include_clips=form.cleaned_data["include_clips"],
    )
    url = share_url(request, token)
    made = _("Made a link for your doctor. Copy it now: it is shown only once.")
    if with_pdf:
        try:
            return _pdf_response(link, url, today=today)
        except pdf.RenderFailed:
            # The link is made and must not be lost: shown once, like a link made alone.
            made = _(
                "Made a link for your doctor, but its PDF could not be made just now. "
                "Copy the link now: it is shown only once. Adding a link to the PDF again "
                "makes a new PDF with a new link."
            )
    request.session[NEW_LINK] = {
        "url": url,
        "uuid": str(link.uuid),
        "expires": links.expiry_words(link, user.profile.zone),
    }
    messages.success(request, made)
    return redirect(f"{back}#share")


@require_POST
def share_revoke(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), uuid=uuid)
    links.revoke(link)
    messages.success(request, _("Closed the link. It no longer opens."))
    return redirect(safe_next(request, reverse("settings")) + "#share")


def closed_page(request: HttpRequest, state: str, *, status: int) -> TemplateResponse:
    """Why a share link opens nothing: `missing`, `expired`, `revoked`, or `wait` (too many)."""
    response = TemplateResponse(request, "diary/share/gone.html", {"state": state}, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


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
            return no_store(closed_page(request, "wait", status=429))
        link = links.find(token)
        if link is None:
            return no_store(closed_page(request, "missing", status=404))
        # In the link's language, rendered here while it is active (a TemplateResponse would
        # otherwise render later, in the visitor's).
        language = link.language if languages.supported(link.language) else languages.current()
        with translation.override(language):
            if not link.is_open():
                state = "revoked" if link.revoked_at else "expired"
                response = closed_page(request, state, status=410)
            else:
                response = view(request, link, token)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = language
        return no_store(response)

    return wrapper


def no_store(response: HttpResponse) -> HttpResponse:
    """A public share response: never kept by a cache, passed on as a referrer or indexed."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


CLIP_RATE = "300/m"


def shared_clip(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """
    A clip's file through a live link that includes clips (the share page's players). Not an
    opening of the link, and limited apart from openings: a player seeking asks for many ranges.
    Whatever is wrong (no such link, closed, clips not shared, not in its period) is a 404.
    """

    @login_not_required
    @require_http_methods(["GET", "HEAD"])
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, uuid: UUID) -> HttpResponse:
        if is_ratelimited(request, group="share-clip", key="ip", rate=CLIP_RATE, increment=True):
            response = HttpResponse(status=429, headers={"Retry-After": "60"})
        else:
            link = links.find(token)
            clip = None
            if link is not None and link.is_open():
                clip = links.shared_clips(link).filter(uuid=uuid).first()
            response = view(request, clip) if clip is not None else HttpResponse(status=404)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


@shared_clip
def share_clip_file(request: HttpRequest, clip: Clip) -> HttpResponse:
    return file_response(request, clip)


@shared_clip
def share_clip_poster(request: HttpRequest, clip: Clip) -> HttpResponse:
    return whole_image(request, clip, "poster")


def link_period(link: ShareLink) -> insights.Period:
    return insights.Period(first=link.first, last=link.last, zone=link.user.profile.zone)


def share_info(link: ShareLink, url: str) -> dict:
    zone = link.user.profile.zone
    return {
        "url": url,
        "expires_on": link.expires_at.astimezone(zone).date(),
        "expires": links.expiry_words(link, zone),
        "include_notes": link.include_notes,
        "name": link.user.profile.display_name or _("Not given"),
        "clips": links.shared_clips(link).count(),
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
        "clips": list(links.shared_clips(link).prefetch_related("episode__sites")),
        "shared": True,
        "chartjs": chartjs_sources(),
        **trends_context(user, period, today, own_trigger_names=link.include_notes),
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
    """The link's period as FHIR, for a clinic's system; free text only with "include my notes"."""
    links.record_opening(link, request.headers.get("user-agent", ""), ShareOpening.Kind.FHIR)
    period = link_period(link)
    site = request.build_absolute_uri("/")
    data = fhir.bundle(link.user, period, site=site, notes=link.include_notes)
    return attachment(
        fhir.serialize(data), content_type=fhir.MEDIA_TYPE, filename=fhir.filename(period)
    )


def _pdf_response(link: ShareLink, url: str, *, today: date) -> HttpResponse:
    period = link_period(link)
    with translation.override(link.language):
        share = share_info(link, url)
    content = pdf.build_pdf(link.user, period, today=today, share=share, language=link.language)
    return attachment(content, content_type="application/pdf", filename=pdf.filename(period))
