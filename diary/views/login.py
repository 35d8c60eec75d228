"""
Logging in: the password step (Django's LoginView behind django-axes), the paused page after
repeated misses, and the second step for accounts with two-step login on.

With two-step login on, a right password does not log in yet: it leads to the code page, and
only a matching code logs in. A wrong code counts as a failed login for django-axes, so codes
are paused like passwords after repeated misses.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from diary.forms.accounts import LoginForm, could_be_a_username
from diary.forms.twostep import LoginCodeForm
from diary.lib import login_limits
from diary.lib.http import safe_next
from diary.twostep import devices, pending


def locked_out(
    request: HttpRequest, original_response=None, credentials=None, *, new_browsers: bool = False
) -> HttpResponse:
    """
    The login page while django-axes pauses logins for this account or address (status 429).
    Rendered here rather than returned as a TemplateResponse: it replaces the response on its
    way out through the middleware, after templates are rendered. A half-done two-step login
    ends here too: after the pause, it starts again from the password.
    """
    pending.clear(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": LoginForm(
            request, initial={"username": username if could_be_a_username(username) else ""}
        ),
        "next": safe_next(request, ""),
        "locked_out": True,
        "paused_for_new_browsers": new_browsers,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/login.html", context, status=429)


class PasswordLoginView(auth_views.LoginView):
    """Django's login page; with two-step login on, a right password leads to the code page."""

    redirect_authenticated_user = True
    form_class = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not devices.is_on(user):
            response = super().form_valid(form)
            login_limits.remember_browser(self.request, response, user.get_username())
            return response
        pending.begin(self.request, user, self.get_success_url())
        return redirect("login-code")


_login = PasswordLoginView.as_view()


@login_not_required
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """
    The password step, except that a POST while logging in is paused for this address or
    account is answered at once: no form, no password check, no new failure written. A flood
    of wrong passwords then costs one lookup a request and does not crowd out other pages.
    """
    username = request.POST.get("username", "")
    # A name no account can have never reaches the lockout's table (PostgreSQL refuses NUL
    # and anything longer than its column); the form refuses it with a message of its own.
    if request.method == "POST" and could_be_a_username(username):
        credentials = get_credentials(username)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return locked_out(request, None, credentials)
        if login_limits.paused_for_new_browsers(request, username):
            return locked_out(request, None, credentials, new_browsers=True)
    return _login(request)


@login_not_required
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    if request.user.is_authenticated:
        # A double tap: its twin has just logged in.
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    state = pending.get(request)
    user = pending.user_of(state) if state else None
    if user is None:
        if request.method == "POST" and (next_url := pending.finished_by_twin(request)):
            # A double tap whose twin has logged in: the same redirect, and no cookie, so the
            # twin's logged-in session stays (an emptied one would otherwise be deleted).
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
            return redirect(next_url)
        messages.info(
            request, _("Please log in with your password first; the code comes after it.")
        )
        return redirect("login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return locked_out(request, None, credentials)
    if login_limits.paused_for_new_browsers(request, user.get_username()):
        return locked_out(request, None, credentials, new_browsers=True)
    recovery = request.GET.get("with") == "recovery"
    form = LoginCodeForm(request.POST or None, user=user, recovery=recovery)
    if request.method == "POST":
        # One code check at a time per account; the login is in the same transaction, so a
        # twin sent by the same tap sees it once it has the lock.
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if twin_logged_in(request):
                return redirect(state["next"])
            if form.is_valid():
                pending.finish(request, state["next"])
                pending.clear(request)
                login(request, user, backend=state["backend"])
                otp_login(request, form.device)
                if form.used_recovery_code:
                    recovery_code_used(request, user)
                response = redirect(state["next"])
                login_limits.remember_browser(request, response, user.get_username())
                return response
        if form.missed:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    context = {"form": form, "recovery": recovery, "username": user.get_username()}
    return TemplateResponse(request, "registration/login_code.html", context)


def twin_logged_in(request: HttpRequest) -> bool:
    """
    The same code sent twice at once (a double tap): the twin request used it and logged in,
    which replaced this half-done session. This one is answered as the twin was, instead of
    "that code does not match" for a code that did.
    """
    key = request.session.session_key
    return key is not None and not request.session.exists(key)


def recovery_code_used(request: HttpRequest, user) -> None:
    left = devices.recovery_codes_left(user)
    if left <= 3:
        text = ngettext(
            "You logged in with a recovery code; %(left)d left, each good once. You can make "
            "new ones in Settings.",
            "You logged in with a recovery code; %(left)d left, each good once. You can make "
            "new ones in Settings.",
            left,
        )
    else:
        text = ngettext(
            "You logged in with a recovery code; %(left)d left, each good once.",
            "You logged in with a recovery code; %(left)d left, each good once.",
            left,
        )
    messages.warning(request, text % {"left": left})
