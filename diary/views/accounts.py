"""
Sign-up, settings, the liveness probe, and the doors besides login (diary/views/login.py):
rate-limited sign-up and password reset (reset mail sent after the response).
"""

from datetime import timedelta

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from diary.episodes import triggers
from diary.forms import DeferredPasswordResetForm, ProfileForm, SignUpForm, TriggerForm
from diary.forms.accounts import ChangePasswordForm, NewPasswordForm
from diary.forms.sharing import owner_context
from diary.forms.triggers import HiddenTriggersForm
from diary.lib import login_limits
from diary.lib.http import AuthenticatedHttpRequest
from diary.lib.once import answered_once
from diary.lib.throttle import too_many
from diary.models import ReminderSettings, Trigger
from diary.twostep import devices

TOO_MANY = gettext_lazy(
    "Too many tries from this network in a short time. Please wait an hour and try again."
)


@require_http_methods(["GET", "POST"])
@answered_once
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = request.user.profile
    profile_form = ProfileForm(instance=profile)
    trigger_form = TriggerForm(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "profile":
        profile_form = ProfileForm(request.POST, instance=profile)
        if profile_form.is_valid():
            profile_form.save()
            messages.success(request, _("Settings saved."))
            return redirect("settings")
    elif request.method == "POST" and request.POST.get("action") == "add-trigger":
        trigger_form = TriggerForm(request.POST, user=request.user)
        if trigger_form.is_valid():
            trigger = triggers.add(trigger_form)
            messages.success(
                request, _("Added “%(name)s” to your triggers.") % {"name": trigger.name}
            )
            return redirect("settings")
    hidden = request.user.profile.hidden_triggers.all()
    context = {
        "profile_form": profile_form,
        "trigger_form": trigger_form,
        "own_triggers": triggers.own_with_counts(request.user),
        "shown_form": HiddenTriggersForm(
            initial={"shown": Trigger.objects.filter(user=None).exclude(pk__in=hidden)}
        ),
        "twostep": devices.settings_summary(request.user, request.session),
        "reminders": ReminderSettings.objects.filter(user=request.user).first(),
        **owner_context(request.user, request.session),
    }
    return TemplateResponse(request, "diary/settings.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_ENABLED:
        raise Http404(_("Sign-up is switched off on this site."))
    if request.user.is_authenticated:
        return redirect("log")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and too_many(request, "signup", settings.RATE_SIGNUP):
        return TemplateResponse(
            request, "registration/signup.html", {"form": form, "refused": TOO_MANY}, status=429
        )
    if request.method == "POST":
        valid = form.is_valid()
        user = form.save_once() if valid else None
        if user is None and (valid or "username" in form.errors):
            # The same sign-up sent twice (a double tap): its twin made the account a moment
            # ago, seen here as a taken username or, at the same instant, a failed insert.
            user = just_signed_up(form)
            if user is None and valid:
                form.add_error(*form.taken())
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Twitchlog. Log your first twitch below."))
            response = redirect("log")
            login_limits.remember_browser(request, response, user.get_username())
            return response
    return TemplateResponse(request, "registration/signup.html", {"form": form})


# How recent an account must be for a repeated sign-up to count as the same tap.
TWIN_SIGNUP_WINDOW = timedelta(seconds=30)


def just_signed_up(form: SignUpForm):
    """The account this very sign-up made seconds ago, if the password matches; else None."""
    password = form.data.get("password1", "")
    if not password or password != form.data.get("password2"):
        return None
    User = get_user_model()
    username = User.normalize_username(form.data.get("username", ""))
    if "\x00" in username:
        return None  # never a stored name (and PostgreSQL refuses NUL in a query)
    recent = timezone.now() - TWIN_SIGNUP_WINDOW
    user = User.objects.filter(username=username, date_joined__gte=recent).first()
    if user is not None and user.check_password(password):
        return user
    return None


_password_reset = auth_views.PasswordResetView.as_view(form_class=DeferredPasswordResetForm)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    rate = settings.RATE_PASSWORD_RESET
    if request.method == "POST" and too_many(request, "password-reset", rate):
        form = DeferredPasswordResetForm(request.POST)
        context = {"form": form, "refused": TOO_MANY}
        return TemplateResponse(
            request, "registration/password_reset_form.html", context, status=429
        )
    return _password_reset(request)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """
    A new password set from the mailed link also lifts a login lockout on that account, and
    this browser, which has the mail, keeps its way in through an attack (lib/login_limits.py).
    """

    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        username = form.user.get_username()
        reset_login_failures(username=username)
        login_limits.forget_misses(username)
        login_limits.remember_browser(self.request, response, username)
        return response


password_change = auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


ROBOTS_TXT = """User-agent: *
Allow: /accounts/login/
Disallow: /
"""


@login_not_required
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Nothing here is for search engines but the login page."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")
