"""
Adding a trigger: the Settings form for a new own trigger (a name no other of the person's
triggers has, by name or slug) and the lookup the episode form uses for a trigger typed while
logging, which reuses an existing one and survives the same name arriving twice at once.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from diary.lib.form_wording import PlainMessagesMixin
from diary.models import Trigger, trigger_slug


def find_or_create_trigger(user, name: str) -> Trigger:
    """The built-in or own trigger with this name's slug, or a new own trigger."""
    slug = trigger_slug(name)
    same = Trigger.objects.for_user(user).filter(Q(slug=slug) | Q(name__iexact=name))
    if existing := same.first():
        return existing
    try:
        with transaction.atomic():
            return Trigger.objects.create(user=user, name=name, slug=slug)
    except IntegrityError:
        # The same name arrived twice at once (a double tap): use the one that won.
        return same.get()


class TriggerForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        slug = trigger_slug(name)
        if not slug:
            raise ValidationError("Use letters or numbers in the trigger's name.")
        if Trigger.objects.for_user(self.user).filter(Q(slug=slug) | Q(name__iexact=name)).exists():
            raise ValidationError("You already have a trigger with that name.")
        return name

    def save(self, commit: bool = True) -> Trigger:
        self.instance.user = self.user
        return super().save(commit=commit)

    def twin(self) -> Trigger:
        """The trigger a concurrent identical request saved (see diary/lib/once.py)."""
        slug = trigger_slug(self.cleaned_data["name"])
        return Trigger.objects.filter(user=self.user).get(slug=slug)
