"""The import form: one Twitchlog JSON file, refused early when it is over the size limit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from diary.data.uploads import import_max_bytes
from diary.lib.form_wording import PlainMessagesMixin


def limit_text() -> str:
    limit = import_max_bytes()
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


class ImportForm(PlainMessagesMixin, forms.Form):
    file = forms.FileField(
        label="Twitchlog JSON file",
        help_text="The file from “Download JSON”, up to 32 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
        error_messages={
            "required": "Choose the Twitchlog JSON file to import.",
            "empty": "The file is empty.",
        },
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = f"The file from “Download JSON”, up to {limit_text()}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_max_bytes():
            raise ValidationError(self._too_large_message())
        return upload

    def clean(self):
        if self.too_large:
            # The upload handler stopped reading: there is no file to look at.
            self.errors.pop("file", None)
            self.add_error("file", self._too_large_message())
        return super().clean()

    def _too_large_message(self) -> str:
        return f"The file is bigger than {limit_text()}, the most Twitchlog imports at once."
