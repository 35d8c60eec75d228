"""Sign-up, settings and the liveness probe."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from diary.forms import ProfileForm, SignUpForm, TriggerForm
from diary.models import Trigger
from diary.views.base import AuthenticatedHttpRequest
from diary.views.share import owner_context


@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = request.user.profile
    profile_form = ProfileForm(instance=profile)
    trigger_form = TriggerForm(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "profile":
        profile_form = ProfileForm(request.POST, instance=profile)
        if profile_form.is_valid():
            profile_form.save()
            messages.success(request, "Settings saved.")
            return redirect("settings")
    elif request.method == "POST" and request.POST.get("action") == "add-trigger":
        trigger_form = TriggerForm(request.POST, user=request.user)
        if trigger_form.is_valid():
            trigger = trigger_form.save()
            messages.success(request, f"Added “{trigger.name}” to your triggers.")
            return redirect("settings")
    own_triggers = Trigger.objects.filter(user=request.user).order_by("name")
    context = {
        "profile_form": profile_form,
        "trigger_form": trigger_form,
        "own_triggers": own_triggers,
        **owner_context(request),
    }
    return TemplateResponse(request, "diary/settings.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is switched off on this site.")
    if request.user.is_authenticated:
        return redirect("log")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Twitchlog. Log your first twitch below.")
        return redirect("log")
    return TemplateResponse(request, "registration/signup.html", {"form": form})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})
