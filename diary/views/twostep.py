"""
Two-step login under Settings: setting it up (QR code, first code), the recovery codes shown
once (and as a text file), new recovery codes, and turning it off. The last two ask for the
password again.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diary.forms import CurrentPasswordForm
from diary.forms.twostep import SetupCodeForm
from diary.lib.http import AuthenticatedHttpRequest
from diary.lib.qr import qr_svg
from diary.lib.sessions import end_all_sessions
from diary.twostep import devices
from diary.twostep.devices import NEW_CODES


@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if devices.is_on(user) and request.method == "GET":
        messages.info(request, _("Two-step login is already on."))
        return redirect("settings")
    if request.method == "POST":
        with transaction.atomic():
            device = devices.app_waiting(user, request.POST.get("device", ""))
            if device is None:
                return setup_gone(request)
            form = SetupCodeForm(request.POST, device=device)
            if form.is_valid():
                request.session[NEW_CODES] = devices.turn_on(device)
                ended = end_all_sessions(user, keep=request.session.session_key)
                if ended:
                    text = _("Two-step login is on. You are logged out on your other devices.")
                else:
                    text = _("Two-step login is on.")
                messages.success(request, text)
                return redirect("twostep-codes")
    else:
        device = devices.app_being_set_up(user)
        form = SetupCodeForm(device=device)
    context = {
        "form": form,
        "device": device,
        "qr": qr_svg(device.config_url),
        "app_link": device.config_url,  # an otpauth: link opens the app on the same phone
        "secret": devices.secret_for_typing(device),
    }
    return TemplateResponse(request, "diary/twostep/setup.html", context)


def setup_gone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The device posted for is no longer waiting: a double tap that already turned it on, or
    a set-up page left open while another one finished."""
    if devices.is_on(request.user):
        return redirect("twostep-codes" if NEW_CODES in request.session else "settings")
    messages.info(request, _("That set-up page was out of date. Please scan this QR code instead."))
    return redirect("twostep-setup")


@require_http_methods(["GET", "POST"])
def codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    new = request.session.get(NEW_CODES)
    if request.method == "POST":
        request.session.pop(NEW_CODES, None)
        return redirect("settings")
    if not new:
        return redirect("settings")
    context = {"codes": [devices.shown(code) for code in new]}
    return TemplateResponse(request, "diary/twostep/codes.html", context)


@require_GET
def codes_txt(request: AuthenticatedHttpRequest) -> HttpResponse:
    new = request.session.get(NEW_CODES)
    if not new:
        return redirect("settings")
    made = timezone.localdate().isoformat()
    lines = [
        _("Twitchlog recovery codes for %(name)s, made %(day)s.")
        % {"name": request.user.get_username(), "day": made},
        _("Each code works once, in place of the code from your authenticator app."),
        _("Keep them somewhere safe, away from your phone."),
        "",
        *(devices.shown(code) for code in new),
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="twitchlog-recovery-codes.txt"'
    return response


@require_http_methods(["GET", "POST"])
def new_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not devices.is_on(request.user):
        return redirect("settings")
    form = CurrentPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session[NEW_CODES] = devices.new_recovery_codes(request.user)
        messages.success(request, _("New recovery codes made. The old ones no longer work."))
        return redirect("twostep-codes")
    context = {
        "form": form,
        "heading": _("New recovery codes"),
        "explain": _("You get ten new recovery codes, and the ones you have now stop working."),
        "submit": _("Make new codes"),
    }
    return TemplateResponse(request, "diary/twostep/confirm.html", context)


@require_http_methods(["GET", "POST"])
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not devices.is_on(request.user):
        return redirect("settings")
    form = CurrentPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        devices.turn_off(request.user)
        request.session.pop(NEW_CODES, None)
        messages.success(request, _("Two-step login is off. Logging in takes your password alone."))
        return redirect("settings")
    context = {
        "form": form,
        "heading": _("Turn off two-step login"),
        "explain": _(
            "Logging in will take your password alone. Your authenticator app's entry and "
            "your recovery codes stop working; you can set it up again at any time."
        ),
        "submit": _("Turn it off"),
    }
    return TemplateResponse(request, "diary/twostep/confirm.html", context)
