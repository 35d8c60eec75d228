"""
The import form: one Twitchlog JSON file, or a ZIP from "Download everything" (with videos and
photos), refused early when it is over its size limit.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.clips.limits import size_words
from diary.data.uploads import import_max_bytes, import_max_upload_bytes, import_max_zip_bytes
from diary.data.zipimport import is_zip
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.formats import number


def limit_text(limit: int | None = None) -> str:
    limit = import_max_bytes() if limit is None else limit
    if limit >= 1024 * 1024 * 1024:
        return size_words(limit)
    if limit >= 1024 * 1024:
        return _("%(size)s MB") % {"size": number(limit / (1024 * 1024))}
    return _("%(size)s KB") % {"size": number(limit / 1024)}


class ImportForm(PlainMessagesMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Twitchlog file (JSON or ZIP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json,.zip"}),
        error_messages={
            "required": gettext_lazy("Choose the Twitchlog JSON file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.is_zip = False
        self.fields["file"].help_text = _(
            "The file from “Download JSON” (up to %(size)s), or from “Download everything "
            "(ZIP)” with your videos and photos (up to %(zip_size)s)."
        ) % {"size": limit_text(), "zip_size": limit_text(import_max_zip_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload.seek(0)
        self.is_zip = is_zip(upload.read(4))
        upload.seek(0)
        limit = import_max_zip_bytes() if self.is_zip else import_max_bytes()
        if upload.size > limit:
            raise ValidationError(self._too_large_message(limit))
        return upload

    def clean(self):
        if self.too_large:
            # The upload handler stopped reading: there is no file to look at.
            self.errors.pop("file", None)
            self.add_error("file", self._too_large_message())
        return super().clean()

    def _too_large_message(self, limit: int | None = None) -> str:
        limit = import_max_upload_bytes() if limit is None else limit
        return _("The file is bigger than %(size)s, the most Twitchlog imports at once.") % {
            "size": limit_text(limit)
        }
