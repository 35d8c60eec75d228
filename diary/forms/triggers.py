"""
Triggers in Settings: adding an own trigger (a name no other of the person's triggers has, by
name or slug), renaming or merging one, and which built-ins the Log page offers; and the lookup
the episode form uses for a trigger typed while logging, which reuses an existing one and
survives the same name arriving twice at once.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diary.forms.fields import IdChoiceField, IdMultipleChoiceField
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.once import save_once
from diary.models import Trigger, trigger_slug

TRIGGER_NAME_TAKEN = _("You already have a trigger with that name.")


def find_or_create_trigger(user, name: str) -> Trigger:
    """The built-in or own trigger with this name's slug, or a new own trigger."""
    slug = trigger_slug(name)
    same = Trigger.objects.for_user(user).filter(Q(slug=slug) | Q(name__iexact=name))
    if existing := same.first():
        return existing
    # The same name can arrive twice at once (a double tap): the second gets the one that won.
    return save_once(lambda: Trigger.objects.create(user=user, name=name, slug=slug), same.get)


def clean_trigger_name(user, raw: str, *, exclude: Trigger | None = None) -> str:
    """The rules for an own trigger's name, shared by adding and renaming."""
    name = " ".join(raw.split())
    slug = trigger_slug(name)
    if not slug:
        raise ValidationError(_("Use letters or numbers in the trigger's name."))
    same = Trigger.objects.for_user(user).filter(Q(slug=slug) | Q(name__iexact=name))
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError(TRIGGER_NAME_TAKEN)
    return name


class TriggerForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name"]
        labels = {"name": _("Name")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        return clean_trigger_name(self.user, self.cleaned_data["name"])

    def save(self, commit: bool = True) -> Trigger:
        self.instance.user = self.user
        return super().save(commit=commit)

    def twin(self) -> Trigger:
        """The trigger a concurrent identical request saved (see diary/lib/once.py)."""
        slug = trigger_slug(self.cleaned_data["name"])
        return Trigger.objects.filter(user=self.user).get(slug=slug)


class TriggerRenameForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name"]
        labels = {"name": _("New name")}

    def clean_name(self) -> str:
        return clean_trigger_name(
            self.instance.user, self.cleaned_data["name"], exclude=self.instance
        )

    def save(self, commit: bool = True) -> Trigger:
        self.instance.slug = trigger_slug(self.instance.name)
        return super().save(commit=commit)


class TriggerMergeForm(PlainMessagesMixin, forms.Form):
    into = IdChoiceField(
        label=_("Merge into"),
        queryset=Trigger.objects.none(),
        empty_label=_("Choose a trigger"),
        error_messages={
            "required": _("Choose the trigger to merge into."),
            "invalid_choice": _("Choose one of your triggers from the list."),
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

    shown = IdMultipleChoiceField(
        label=_("Built-in triggers on the Log page"),
        queryset=Trigger.objects.filter(user=None).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
