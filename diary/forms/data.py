"""The import form: one Twitchlog JSON file, refused early when it is over the size limit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.data.uploads import import_max_bytes
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.formats import number


def limit_text() -> str:
    limit = import_max_bytes()
    if limit >= 1024 * 1024:
        return _("%(size)s MB") % {"size": number(limit / (1024 * 1024))}
    return _("%(size)s KB") % {"size": number(limit / 1024)}


class ImportForm(PlainMessagesMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Twitchlog JSON file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
        error_messages={
            "required": gettext_lazy("Choose the Twitchlog JSON file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _("The file from “Download JSON”, up to %(size)s.") % {
            "size": limit_text()
        }

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
        return _("The file is bigger than %(size)s, the most Twitchlog imports at once.") % {
            "size": limit_text()
        }
