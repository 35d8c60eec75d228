"""
The owner's form for a new share link (the period from the report page, how long, notes and
videos or not) and what sits around it on the report page and in Settings: the owner's links,
and a new link's address shown once.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from diary import insights
from diary.forms.fields import LanguageChoiceField
from diary.lib import languages
from diary.lib.clock import local_today
from diary.lib.form_wording import PlainMessagesMixin
from diary.models import ShareLink
from diary.sharing.links import VALID_DAYS

# The link just made, kept in the session until the next page shows it once.
NEW_LINK = "share_new_link"


def days_choices() -> list[tuple[str, str]]:
    return [
        (str(days), ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in VALID_DAYS
    ]


class ShareLinkForm(PlainMessagesMixin, forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("a date range", "From"),
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Enter a real date, e.g. 2026-03-01.")},
    )
    end = forms.DateField(
        label=pgettext_lazy("a date range", "To"),
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Enter a real date, e.g. 2026-03-31.")},
    )
    days = forms.TypedChoiceField(
        label=_("Open for"),
        choices=days_choices,
        coerce=int,
        initial="7",
        widget=forms.RadioSelect,
    )
    include_notes = forms.BooleanField(
        label=_("Include my notes"),
        required=False,
        help_text=_(
            "Everything you typed: appointment notes, notes on episodes, check-ins and function "
            "checks, medicine names and the names of your own triggers. Left out unless ticked."
        ),
    )
    include_clips = forms.BooleanField(
        label=_("Include videos and photos"),
        required=False,
        help_text=_(
            "The videos and photos of the period's episodes play on the link's page. "
            "Left out unless ticked."
        ),
    )
    # A link sent without one (a page from before languages) keeps the page's language.
    language = LanguageChoiceField(label=_("Language of the link"), required=False)

    def __init__(self, data=None, *, today: date, zone, **kwargs) -> None:
        self.today, self.zone = today, zone
        super().__init__(data, **kwargs)
        self.fields["language"].initial = languages.current()

    def add_prefix(self, field_name: str) -> str:
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("start"), cleaned.get("end")
        if first and last:
            try:
                params = {"from": first.isoformat(), "to": last.isoformat()}
                cleaned["period"] = insights.parse_period(params, today=self.today, zone=self.zone)
            except insights.PeriodError as error:
                raise forms.ValidationError(str(error), code="period") from error
        return cleaned


def owner_context(user, session) -> dict:
    """For the owner's list of links (report page, settings): the links and a new one's URL."""
    return {
        "share_form": ShareLinkForm(
            today=local_today(user), zone=user.profile.zone, auto_id="id_share_%s"
        ),
        # Each with its openings counted, newest first (one query).
        "share_links": list(ShareLink.objects.for_user(user).with_openings()),
        "new_link": session.pop(NEW_LINK, None),
    }
