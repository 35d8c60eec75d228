"""
The import form: one Twitchlog JSON file, or a ZIP from "Download everything" (with videos and
photos), refused early when it is over its size limit.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from diary.clips.limits import size_words
from diary.data.uploads import import_max_bytes, import_max_upload_bytes, import_max_zip_bytes
from diary.data.zipimport import is_zip
from diary.lib.form_wording import PlainMessagesMixin


def limit_text(limit: int | None = None) -> str:
    limit = import_max_bytes() if limit is None else limit
    if limit >= 1024 * 1024 * 1024:
        return size_words(limit)
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


class ImportForm(PlainMessagesMixin, forms.Form):
    file = forms.FileField(
        label="Twitchlog file (JSON or ZIP)",
        help_text="The file from “Download JSON”, up to 32 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json,.zip"}),
        error_messages={
            "required": "Choose the Twitchlog JSON file to import.",
            "empty": "The file is empty.",
        },
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.is_zip = False
        self.fields["file"].help_text = (
            f"The file from “Download JSON” (up to {limit_text()}), or from “Download "
            f"everything (ZIP)” with your videos and photos (up to "
            f"{limit_text(import_max_zip_bytes())})."
        )

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
        return f"The file is bigger than {limit_text(limit)}, the most Twitchlog imports at once."
