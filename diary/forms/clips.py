"""
The clip upload: one video or photo for an episode, refused early when it is too big; and
what the episode's page shows (its form and its clips), for both views that draw it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, ngettext

from diary.clips.limits import max_seconds, max_upload_bytes, size_words, too_big_message
from diary.forms.episodes import EpisodeForm
from diary.lib.form_wording import PlainMessagesMixin
from diary.models import Episode

CHOOSE_FILE = gettext_lazy("Choose a video or photo to add.")


def upload_hint() -> str:
    return ngettext(
        "Up to %(seconds)d second of video, or a photo (%(size)s at most). Only you see it, "
        "unless you share it with your doctor.",
        "Up to %(seconds)d seconds of video, or a photo (%(size)s at most). Only you see it, "
        "unless you share it with your doctor.",
        max_seconds(),
    ) % {"seconds": max_seconds(), "size": size_words(max_upload_bytes())}


def clip_limits() -> dict:
    return {
        "max_bytes": max_upload_bytes(),
        "max_seconds": max_seconds(),
        "too_big": too_big_message(),
    }


class ClipForm(PlainMessagesMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Add a video or photo"),
        error_messages={"required": CHOOSE_FILE, "empty": gettext_lazy("The file is empty.")},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_clip_%s")  # apart from the episode form on one page
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = upload_hint()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(too_big_message())
        return upload

    def clean(self):
        if self.too_large:
            # The upload handler stopped reading: there is no file to look at.
            self.errors.pop("file", None)
            self.add_error("file", too_big_message())
        return super().clean()


def episode_page(
    user,
    episode: Episode,
    *,
    form: EpisodeForm | None = None,
    clip_form: ClipForm | None = None,
    next_url: str = "",
) -> dict:
    """The episode's page: its form, its videos and photos and the form to add one."""
    return {
        "form": form or EpisodeForm(instance=episode, user=user, zone=episode.zone),
        "episode": episode,
        "next": next_url,
        "clips": list(episode.clips.in_order()),
        "clip_form": clip_form or ClipForm(),
    }
