"""Managing triggers from Settings: rename, merge or delete an own one; hide built-ins."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from diary.episodes import triggers
from diary.forms.triggers import (
    TRIGGER_NAME_TAKEN,
    HiddenTriggersForm,
    TriggerMergeForm,
    TriggerRenameForm,
)
from diary.lib.http import AuthenticatedHttpRequest
from diary.lib.once import answered_once
from diary.models import Trigger

SETTINGS_TRIGGERS = "#triggers-heading"


@require_http_methods(["GET", "POST"])
@answered_once
def trigger_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trigger = get_object_or_404(Trigger.objects.filter(user=request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    rename_form = TriggerRenameForm(data if action == "rename" else None, instance=trigger)
    merge_form = TriggerMergeForm(data if action == "merge" else None, trigger=trigger)
    back = reverse("settings") + SETTINGS_TRIGGERS
    if action == "rename" and rename_form.is_valid():
        old = Trigger.objects.get(pk=trigger.pk).name
        if triggers.rename(rename_form):
            messages.success(
                request, _("Renamed “%(old)s” to “%(new)s”.") % {"old": old, "new": trigger.name}
            )
            return redirect(back)
        # Another of the person's triggers took that name a moment ago.
        trigger.refresh_from_db()
        rename_form.add_error("name", TRIGGER_NAME_TAKEN)
    if action == "merge" and merge_form.is_valid():
        into = merge_form.cleaned_data["into"]
        moved = triggers.merge(trigger, into)
        messages.success(
            request,
            ngettext(
                "Merged “%(trigger)s” into “%(into)s” (%(count)d episode).",
                "Merged “%(trigger)s” into “%(into)s” (%(count)d episodes).",
                moved,
            )
            % {"trigger": trigger.name, "into": into.label, "count": moved},
        )
        return redirect(back)
    if action == "delete":
        count = triggers.delete(trigger)
        messages.success(
            request,
            ngettext(
                "Deleted “%(trigger)s”. The %(count)d episode that had it stays in your diary.",
                "Deleted “%(trigger)s”. The %(count)d episodes that had it stay in your diary.",
                count,
            )
            % {"trigger": trigger.name, "count": count},
        )
        return redirect(back)
    context = {
        "trigger": trigger,
        "count": triggers.episode_count(trigger),
        "rename_form": rename_form,
        "merge_form": merge_form,
    }
    return TemplateResponse(request, "diary/trigger_manage.html", context)


@require_POST
@answered_once
def triggers_shown(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HiddenTriggersForm(request.POST)
    if form.is_valid():
        triggers.set_shown(request.user, form.cleaned_data["shown"])
        messages.success(request, _("Saved which triggers the Log page offers."))
    else:
        messages.info(request, _("Nothing changed: choose triggers from the list."))
    return redirect(reverse("settings") + SETTINGS_TRIGGERS)
