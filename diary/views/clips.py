"""
Videos and photos of an episode, for their owner: adding one (a plain form post, or the page's
script sending it with a progress bar), its card while it is prepared (htmx polls it), its
files (whole or by byte range, so a phone can seek), and deleting it after a confirmation.

The behaviour is in diary/clips/; every lookup starts from the logged-in user.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from diary.clips.adding import add_clip
from diary.clips.limits import Refused
from diary.clips.removal import delete_clip
from diary.clips.serving import file_response, whole_image
from diary.clips.uploads import streamed_upload
from diary.forms.clips import ClipForm, episode_page
from diary.lib.http import AuthenticatedHttpRequest, is_partial
from diary.models import Clip, Episode


def episode_url(episode: Episode) -> str:
    return reverse("episode-edit", args=[episode.uuid]) + "#clips"


def own_clip(request: AuthenticatedHttpRequest, uuid: UUID) -> Clip:
    clips = Clip.objects.for_user(request.user).select_related("episode")
    return get_object_or_404(clips, uuid=uuid)


@require_POST
@streamed_upload
def clip_add(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.for_user(request.user), uuid=uuid)
    form = ClipForm(
        request.POST, request.FILES, too_large=getattr(request, "clip_too_large", False)
    )
    if form.is_valid():
        try:
            clip = add_clip(request.user, episode, form.cleaned_data["file"])
        except Refused as refused:
            form.add_error("file", refused.message)
        else:
            if is_partial(request):
                context = {"clip": clip, "episode": episode}
                return TemplateResponse(
                    request, "diary/includes/clips.html#clip-card", context, status=201
                )
            messages.success(request, _("Added. Your clip is being prepared."))
            return redirect(episode_url(episode))
    if is_partial(request):
        context = {"clip_form": form, "episode": episode}
        return TemplateResponse(request, "diary/includes/clips.html#clip-upload", context)
    context = episode_page(request.user, episode, clip_form=form)
    return TemplateResponse(request, "diary/episode_edit.html", context)


@require_http_methods(["GET"])
def clip_card(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    """A clip's card (htmx polls it while the clip is prepared); the episode page otherwise."""
    clip = own_clip(request, uuid)
    if not is_partial(request):
        return redirect(episode_url(clip.episode))
    context = {"clip": clip, "episode": clip.episode}
    return TemplateResponse(request, "diary/includes/clips.html#clip-card", context)


@require_http_methods(["GET", "HEAD"])
def clip_file(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    clip = own_clip(request, uuid)
    if not clip.is_ready:
        return HttpResponse(status=404)
    return file_response(request, clip)


@require_http_methods(["GET", "HEAD"])
def clip_image(request: AuthenticatedHttpRequest, uuid: UUID, which: str) -> HttpResponse:
    """The poster frame or the thumbnail."""
    clip = own_clip(request, uuid)
    return whole_image(request, clip, which)


@require_http_methods(["GET", "POST"])
def clip_delete(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    clip = own_clip(request, uuid)
    if request.method == "POST":
        delete_clip(clip)
        messages.success(
            request, _("Deleted the video.") if clip.is_video else _("Deleted the photo.")
        )
        return redirect(episode_url(clip.episode))
    return TemplateResponse(request, "diary/clip_delete.html", {"clip": clip})
