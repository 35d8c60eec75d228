"""
Settings → Reminders: what to be reminded of and when, the devices that get notifications
(added by the page's script, removed here), "skip today"; and the public stop link every
notification and mail carries.
"""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from diary.forms.reminders import ReminderSettingsForm
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest
from diary.models import PushDevice, ReminderDelivery, ReminderSettings
from diary.reminders import delivery, devices, schedule
from diary.reminders.keys import current_keys
from diary.reminders.messages import read_stop_token

# A subscription is a few hundred bytes; anything much bigger is not one.
MAX_SUBSCRIPTION_BYTES = 4096

NOT_A_SUBSCRIPTION = gettext_lazy("That is not a notification subscription.")


@require_http_methods(["GET", "POST"])
def reminder_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    reminders, _created = ReminderSettings.objects.get_or_create(user=user)
    form = ReminderSettingsForm(request.POST or None, instance=reminders, email=user.email)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        schedule.after_change(saved, now=timezone.now())
        if saved.summary() and not has_somewhere_to_go(saved):
            messages.success(
                request,
                _(
                    "Reminders saved. They have nowhere to go yet: tap “Get notifications on "
                    "this device” under Devices."
                ),
            )
            return redirect(reverse("reminders") + "#devices")
        messages.success(request, _("Reminders saved."))
        return redirect("reminders")
    today = local_today(user)
    keys = current_keys()
    context = {
        "form": form,
        "reminders": reminders,
        "devices": PushDevice.objects.for_user(user),
        "today": ReminderDelivery.objects.for_user(user).filter(day=today).first(),
        "push_key": keys.public if keys else "",
        "zone": user.profile.timezone,
    }
    return TemplateResponse(request, "diary/reminders.html", context)


def has_somewhere_to_go(reminders: ReminderSettings) -> bool:
    """A device, or mail to an address: otherwise reminders switched on reach nobody."""
    by_mail = reminders.by_email and bool(reminders.user.email)
    return by_mail or PushDevice.objects.for_user(reminders.user).exists()


@require_POST
def device_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page's script posts this browser's push subscription (JSON)."""
    if len(request.body) > MAX_SUBSCRIPTION_BYTES:
        return JsonResponse({"error": str(NOT_A_SUBSCRIPTION)}, status=400)
    try:
        data = json.loads(request.body or b"null")
        device = devices.subscribe(
            request.user, data, user_agent=request.headers.get("User-Agent", "")
        )
    except (ValueError, UnicodeDecodeError) as error:
        message = str(error) if isinstance(error, devices.DeviceError) else None
        return JsonResponse({"error": message or str(NOT_A_SUBSCRIPTION)}, status=400)
    return JsonResponse({"device": str(device.uuid), "name": device.name}, status=201)


@require_POST
def device_remove(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    device = get_object_or_404(PushDevice.objects.for_user(request.user), uuid=uuid)
    device.delete()
    messages.success(request, _("%(device)s no longer gets reminders.") % {"device": device.name})
    return redirect("reminders")


@require_POST
def skip_today(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = local_today(request.user)
    if request.POST.get("undo"):
        delivery.unskip(request.user, today)
        messages.success(request, _("Today's reminder is back on."))
    elif delivery.skip(request.user, today):
        messages.success(request, _("No reminder today. They carry on tomorrow."))
    else:
        messages.info(request, _("Today's reminder has already been dealt with."))
    return redirect("reminders")


@login_not_required
@csrf_exempt  # authorised by the signed link itself, which mail programs POST to (RFC 8058)
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """
    GET: a page with one button (a link opened by a mail scanner must change nothing).
    POST: switch off that one kind of reminder of that one person; nothing else.
    """
    found = read_stop_token(token)
    reminders = None
    if found is not None:
        person, kind = found
        reminders = ReminderSettings.objects.filter(user__profile__uuid=person).first()
    if reminders is None:
        return TemplateResponse(request, "diary/reminders_stop.html", {"invalid": True}, status=404)
    context = {"kind": kind, "kind_words": kind.in_a_sentence, "stopped": False}
    if request.method == "POST":
        reminders.stop(kind)
        context["stopped"] = True
    return TemplateResponse(request, "diary/reminders_stop.html", context)
