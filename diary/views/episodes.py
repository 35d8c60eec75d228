"""
Views for logging, history and editing episodes.

Every page works as plain POST + redirect; with htmx, the same view returns a named partial
of the same template instead.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from diary.clips.adding import add_clip
from diary.clips.limits import Refused, too_big_message
from diary.clips.uploads import streamed_upload
from diary.episodes.recent import recent_episodes
from diary.episodes.rows import (
    episode_row,
    site_and_trigger_names,
    with_clips,
    with_names,
    with_row_names,
)
from diary.episodes.saving import UUID_TAKEN, ClientUuidTaken, save_edit, save_logged
from diary.episodes.triggers import offered_names
from diary.forms import EpisodeForm, HistoryFilterForm, LogEpisodeForm
from diary.forms.clips import episode_page
from diary.lib.clock import local_today
from diary.lib.fragments import csrf_slot, fill_csrf, kept, person_key
from diary.lib.http import AuthenticatedHttpRequest, is_partial, safe_next
from diary.models import Episode, recent_and_frequent_sites

RECENT_DAYS = 7
# The Log page is for logging: it lists the latest few; History has them all.
RECENT_LIMIT = 15
HISTORY_PAGE_SIZE = 25


def log_context(
    request: AuthenticatedHttpRequest, form: EpisodeForm, *, fresh: bool = False
) -> dict:
    """
    Everything the Log page shows: the form, its site chips and the recent episodes. The
    chips, the rendered list and a fresh form's key are kept until the person's data changes
    (or the day, zone or language does: lib/fragments.py person_key). `fresh`: the form is
    unbound with nothing pre-ticked, so its rendered fields can be kept too (fresh_fields_key).
    """
    user = request.user
    today = local_today(user)
    key = person_key(user, today)
    quick_sites = kept(f"log-chips:{key}", lambda: recent_and_frequent_sites(user))
    fields_key = ""
    if fresh:
        fields_key = kept(f"log-fields-key:{key}", lambda: fresh_fields_key(user, quick_sites))
    episode_list = kept(f"log-list:{key}", lambda: render_episode_list(request, today, quick_sites))
    return {
        "form": form,
        "fields_key": fields_key,
        "quick_sites": quick_sites,
        "episode_list": fill_csrf(episode_list, request),
        "profile": user.profile,
    }


def render_episode_list(request: AuthenticatedHttpRequest, today: date, quick_sites) -> str:
    """The Log page's list of today's and recent episodes, with lib/fragments.py's CSRF slot."""
    # One more than shown, to know whether to point to History for the rest.
    recent = recent_episodes(
        request.user, today - timedelta(days=RECENT_DAYS - 1), RECENT_LIMIT + 1
    )
    shown = recent[:RECENT_LIMIT]
    earlier = [e for e in shown if e.local_date != today]
    context = {
        "quick_sites": quick_sites,
        "today": today,
        "today_episodes": [e for e in shown if e.local_date == today],
        "earlier_episodes": earlier,
        # The list reaches back 7 days: on a Monday all of them are last week's.
        "earlier_this_week": all(
            e.local_date >= today - timedelta(days=today.weekday()) for e in earlier
        ),
        "more_in_history": len(recent) > RECENT_LIMIT,
        "recent_limit": RECENT_LIMIT,
        # Rows return to the Log page itself, whatever its query string.
        "row_next": reverse("log"),
        "csrf_token": csrf_slot(),
    }
    return render_to_string("diary/log.html#episode-list", context, request)


def fresh_fields_key(user, quick_sites) -> str:
    """
    For a fresh form: a key for its rendered fields made of everything they show, so the page
    can reuse them while that stays the same. They show the recent-site chips, the person's
    triggers, their zone and the language; the rest is the same for everyone.
    """
    triggers = offered_names(user)
    parts = [user.profile.timezone, get_language(), *(s.code for s in quick_sites), "|"]
    parts += [f"{pk}:{name}" for pk, name in triggers]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def repeat_initial(user) -> dict:
    """Initial data that repeats the last episode's sites and triggers, with time = now."""
    last = Episode.objects.for_user(user).with_related().newest_first().first()
    if last is None:
        return {}
    return {"sites": [s.code for s in last.sites.all()], "triggers": list(last.triggers.all())}


@require_http_methods(["GET", "POST"])
@streamed_upload
def log(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone = request.user.profile.zone
    if request.method == "POST":
        form = LogEpisodeForm(request.POST, user=request.user, zone=zone)
        if form.is_valid():
            try:
                episode, created = save_logged(form)
            except ClientUuidTaken:
                form.add_error(None, UUID_TAKEN)
                if wants_json(request):
                    return queue_refusal(form, conflict=True)
            else:
                note = attach_clip(request, episode) if created else ""
                return logged(request, episode, created, form, clip_note=note)
        elif wants_json(request):
            return queue_refusal(form)
        if is_partial(request):
            # The answer normally goes to the confirmation; the form with its errors replaces
            # the whole panel instead.
            response = TemplateResponse(
                request, "diary/log.html#log-form", log_form_context(request, form)
            )
            return reswap(retarget(response, "#log-panel"), "outerHTML")
    else:
        initial = repeat_initial(request.user) if request.GET.get("repeat") == "last" else {}
        # Made only if the page needs it: a fresh form's fields are usually kept (log_context).
        form = SimpleLazyObject(
            lambda: LogEpisodeForm(user=request.user, zone=zone, initial=initial)
        )
        if is_partial(request) and request.htmx.target == "episode-list":
            # The list alone is refreshed after the phone has sent entries it kept offline.
            return TemplateResponse(
                request, "diary/log.html#episode-list", log_context(request, form)
            )
        if is_partial(request):
            return TemplateResponse(
                request, "diary/log.html#log-form", log_form_context(request, form)
            )
        context = log_context(request, form, fresh=not initial)
        return TemplateResponse(request, "diary/log.html", context)
    return TemplateResponse(request, "diary/log.html", log_context(request, form))


def attach_clip(request: AuthenticatedHttpRequest, episode: Episode) -> str:
    """
    The video or photo sent with the Log form (without JavaScript; the page's script sends it
    on its own once the entry is logged): added to the just-saved episode, or why not. The
    episode is saved either way.
    """
    if wants_json(request) or getattr(request, "clip_too_large", False):
        return too_big_message() if getattr(request, "clip_too_large", False) else ""
    upload = request.FILES.get("clip")
    if upload is None:
        return ""
    try:
        clip = add_clip(request.user, episode, upload)
    except Refused as refused:
        if is_photo(upload):
            return _("The photo was not added: %(why)s") % {"why": refused.message}
        return _("The video was not added: %(why)s") % {"why": refused.message}
    if clip.is_video:
        return _("Your video is being prepared; it shows on the entry in a moment.")
    return _("Your photo is being prepared; it shows on the entry in a moment.")


def is_photo(upload) -> bool:
    content_type = getattr(upload, "content_type", "") or ""
    return content_type.startswith("image/")


def logged(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    created: bool,
    form: LogEpisodeForm,
    *,
    clip_note: str = "",
) -> HttpResponse:
    """The answer to a saved log entry; `created` is False for a repeat of an earlier post."""
    if created:  # its names are those it was saved with
        episode = with_names(episode, form.saved_sites, form.saved_triggers)
    if wants_json(request):
        return queue_answer(episode, created)
    if not is_partial(request):
        if created:
            messages.success(
                request,
                _("Logged. Tap an entry below to add details."),
                extra_tags=f"unlog:{episode.uuid}",
            )
            if clip_note:
                messages.info(request, clip_note)
        else:
            messages.info(request, _("Already logged: this entry had reached us before."))
        return redirect("log")
    return logged_response(request, episode, already_logged=not created, clip_note=clip_note)


def log_form_context(request: AuthenticatedHttpRequest, form: EpisodeForm) -> dict:
    return {"form": form, "quick_sites": recent_and_frequent_sites(request.user)}


def logged_response(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    *,
    already_logged: bool = False,
    clip_note: str = "",
) -> HttpResponse:
    """
    The htmx answer to a logged episode: the confirmation and, when it is today's, its row for
    the top of today's list. The form stays in the browser and resets there (app.js). An
    episode without its names (with_names) is read again with them.
    """
    if not hasattr(episode, "row_sites"):
        episode = with_row_names(Episode.objects.for_user(request.user)).get(pk=episode.pk)
    sites, _ = site_and_trigger_names(episode)
    today = local_today(request.user)
    row = ""
    if episode.local_date == today and not already_logged:  # a repeat is in the list already
        row = episode_row(
            episode,
            csrf_token=get_token(request),
            next_url=reverse("log"),
            profile_timezone=request.user.profile.timezone,
        )
    context = {
        "logged": episode,
        "logged_sites": ", ".join(sites),
        "logged_row": row,
        "already_logged": already_logged,
        "clip_note": clip_note,
    }
    response = TemplateResponse(request, "diary/log.html#log-posted", context)
    return trigger_client_event(response, "episode-logged")


@require_GET
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = HistoryFilterForm(request.GET or None, user=request.user)
    episodes = with_clips(Episode.objects.for_user(request.user).with_related().newest_first())
    if filters.is_bound and filters.is_valid():
        episodes = filters.filter(episodes)
    elif filters.is_bound:
        episodes = episodes.none()
    page = Paginator(episodes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    template = "diary/history.html"
    if is_partial(request):
        # The filter form swaps the whole results section; "Load more" appends rows.
        partial = "history-results" if request.htmx.target == "history-results" else "history-rows"
        template = f"diary/history.html#{partial}"
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
def episode_edit(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.for_user(request.user), uuid=uuid)
    old_date = episode.local_date  # an edit can move the episode to another day
    form = EpisodeForm(request.POST or None, instance=episode, user=request.user, zone=episode.zone)
    if request.method == "POST" and form.is_valid():
        save_edit(form, old_date)
        messages.success(request, _("Saved your changes."))
        return redirect(safe_next(request, "log"))
    context = episode_page(request.user, episode, form=form, next_url=safe_next(request, ""))
    return TemplateResponse(request, "diary/episode_edit.html", context)


@require_POST
def episode_delete(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.for_user(request.user), uuid=uuid)
    episode.soft_delete()
    if is_partial(request):
        response = TemplateResponse(
            request, "diary/includes/episode_row.html#deleted-row", {"episode": episode}
        )
        return trigger_client_event(response, "episode-deleted")
    messages.success(request, _("Episode deleted."), extra_tags=f"undo:{episode.uuid}")
    return redirect(safe_next(request, "log"))


@require_POST
def episode_restore(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    episodes = Episode.objects.for_user(request.user, include_deleted=True)
    episode = get_object_or_404(episodes, uuid=uuid)
    episode.restore()
    if is_partial(request):
        episode = with_clips(episodes.with_related()).get(pk=episode.pk)
        # The row's links return to the page it is on, not to this POST-only URL.
        row_next = request.htmx.current_url_abs_path or reverse("log")
        context = {"episode": episode, "restored": True, "row_next": row_next}
        response = TemplateResponse(request, "diary/includes/episode_row.html", context)
        return trigger_client_event(response, "episode-restored")
    messages.success(request, _("Episode restored."))
    return redirect(safe_next(request, "log"))


# --- Answers to the phone's offline queue (static/js/offline-queue.js), which asks for JSON ---


def wants_json(request: HttpRequest) -> bool:
    """The phone's queue sender asks for JSON; a browser and htmx ask for HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def episode_summary(episode: Episode) -> dict:
    return {
        "uuid": str(episode.uuid),
        "started_at": episode.started_at.isoformat(),
        "local_time": f"{episode.local_started_at:%H:%M}",
        "sites": (
            site_and_trigger_names(episode)[0]
            if hasattr(episode, "row_sites")  # just saved (with_names)
            else [site.label for site in episode.sites.all()]
        ),
    }


def queue_answer(episode: Episode, created: bool) -> JsonResponse:
    """A logged entry: 201 when new, 200 when this UUID had been logged before."""
    data = {"status": "created" if created else "exists", "uuid": str(episode.uuid)}
    data["episode"] = episode_summary(episode)
    return JsonResponse(data, status=201 if created else 200)


def queue_refusal(form: EpisodeForm, *, conflict: bool = False) -> JsonResponse:
    """
    An entry the server will not save, with the messages the form would show. A 200: the
    request was understood and answered, the sender reads `status`; HTTP errors stay for
    answers it cannot use (and would retry).
    """
    errors = {name: list(texts) for name, texts in form.errors.items()}
    readable = []
    for name, texts in errors.items():
        if name in form.fields:
            readable.extend(
                _("%(field)s: %(message)s") % {"field": form[name].label, "message": text}
                for text in texts
            )
        else:
            readable.extend(texts)
    data = {
        "status": "conflict" if conflict else "invalid",
        "uuid": str(form.cleaned_data.get("client_uuid") or "") or None,
        "errors": errors,
        "messages": readable,
    }
    return JsonResponse(data)
