"""Forms for owning your data and managing triggers: import, delete the account, triggers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from diary.data.uploads import import_max_bytes
from diary.form_messages import PlainMessagesMixin
from diary.models import Trigger, trigger_slug


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


class CurrentPasswordForm(PlainMessagesMixin, forms.Form):
    """The person's password asked again before a step that changes their account."""

    required_message = "Please enter your password."
    wrong_message = "That is not your password. Nothing was changed."

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].error_messages["required"] = self.required_message

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(self.wrong_message)
        return password


class DeleteAccountForm(CurrentPasswordForm):
    required_message = "Enter your password to delete the account."
    wrong_message = "That is not your password. Nothing was deleted."


def clean_trigger_name(user, raw: str, *, exclude: Trigger | None = None) -> str:
    """The rules for an own trigger's name, shared by adding and renaming."""
    name = " ".join(raw.split())
    slug = trigger_slug(name)
    if not slug:
        raise ValidationError("Use letters or numbers in the trigger's name.")
    same = Trigger.objects.for_user(user).filter(Q(slug=slug) | Q(name__iexact=name))
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError("You already have a trigger with that name.")
    return name


class TriggerRenameForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name"]
        labels = {"name": "New name"}

    def clean_name(self) -> str:
        return clean_trigger_name(
            self.instance.user, self.cleaned_data["name"], exclude=self.instance
        )

    def save(self, commit: bool = True) -> Trigger:
        self.instance.slug = trigger_slug(self.instance.name)
        return super().save(commit=commit)


class TriggerMergeForm(PlainMessagesMixin, forms.Form):
    into = forms.ModelChoiceField(
        label="Merge into",
        queryset=Trigger.objects.none(),
        empty_label="Choose a trigger",
        error_messages={
            "required": "Choose the trigger to merge into.",
            "invalid_choice": "Choose one of your triggers from the list.",
        },
    )

    def __init__(self, *args, trigger: Trigger, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Trigger.objects.for_user(trigger.user)
            .exclude(pk=trigger.pk)
            .order_by("user_id", "name")
        )


class HiddenTriggersForm(PlainMessagesMixin, forms.Form):
    """Which built-in triggers the Log page offers; hidden ones stay on past episodes."""

    shown = forms.ModelMultipleChoiceField(
        label="Built-in triggers on the Log page",
        queryset=Trigger.objects.filter(user=None).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
