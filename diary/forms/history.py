"""
The History page's filters: dates (?from=…&to=…, bookmarkable), a body site or a whole region,
a trigger and another symptom. Every field is optional and every bad value gets a message,
never a server error; `filter` applies the valid ones to an episode queryset.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from diary.forms.fields import EARLIEST_DATE, DateInput
from diary.lib.form_wording import PlainMessagesMixin
from diary.models import SYMPTOMS, BodySite, Region, Trigger


class HistoryFilterForm(PlainMessagesMixin, forms.Form):
    """History filters; every field optional, every bad value a message, never a 500."""

    start = forms.DateField(
        label=pgettext_lazy("a date range", "From"),
        required=False,
        widget=DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-01.")},
    )
    end = forms.DateField(
        label=pgettext_lazy("a date range", "To"),
        required=False,
        widget=DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-31.")},
    )
    site = forms.ChoiceField(label=gettext_lazy("Body site"), required=False)
    trigger = forms.ChoiceField(label=gettext_lazy("Trigger"), required=False)
    symptom = forms.ChoiceField(
        label=gettext_lazy("Also noticed"),
        required=False,
        choices=[("", pgettext_lazy("any symptom", "Any")), *SYMPTOMS.items()],
        error_messages={"invalid_choice": gettext_lazy("Choose a symptom from the list.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = [
            (f"region:{value}", _("Whole region: %(region)s") % {"region": label})
            for value, label in Region.choices
        ]
        sites_by_region: dict[str, list[tuple[str, str]]] = {}
        for site in BodySite.objects.all():
            sites_by_region.setdefault(site.region_label, []).append((site.code, site.label))
        self.fields["site"].choices = [
            ("", _("Any body site")),
            (_("Regions"), regions),
            *sites_by_region.items(),
        ]
        self.fields["trigger"].choices = [("", _("Any trigger"))] + [
            (t.slug, t.label) for t in Trigger.objects.for_user(user)
        ]

    def add_prefix(self, field_name: str) -> str:
        # URLs say ?from=…&to=… (bookmarkable, as everywhere); `from` is a Python keyword.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("“To” is before “From”. Swap the dates?"))
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and day < EARLIEST_DATE:
                self.add_error(name, _("That date is before 1900. Check the year."))
        return cleaned

    def filter(self, episodes):
        """Apply the valid filters to an episode queryset."""
        data = self.cleaned_data
        episodes = episodes.on_local_dates(data.get("start"), data.get("end"))
        site = data.get("site")
        if site and site.startswith("region:"):
            episodes = episodes.filter(sites__region=site.removeprefix("region:"))
        elif site:
            episodes = episodes.filter(sites__code=site)
        if data.get("trigger"):
            episodes = episodes.filter(triggers__slug=data["trigger"])
        if data.get("symptom"):
            episodes = episodes.filter(**{data["symptom"]: True})
        # Filtering across a many-to-many can repeat an episode; distinct keeps one row each.
        return episodes.distinct() if site or data.get("trigger") else episodes
