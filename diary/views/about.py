"""
/report/about/: "About your twitching", the questions a neurologist asks first, answered once
and kept up to date (diary/models/about.py). Linked from the report page and from Settings;
`?next=` brings the person back to where they came from. Plain POST and redirect: it works
without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diary.checkins.about import save_about
from diary.forms.about import AboutForm
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest, safe_next


@require_http_methods(["GET", "POST"])
def about(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = request.user.profile
    data = request.POST if request.method == "POST" else None  # an empty POST is a form too
    form = AboutForm(data, instance=profile, today=local_today(request.user))
    if request.method == "POST" and form.is_valid():
        save_about(form)
        messages.success(request, _("Saved. It is on page 1 of your report."))
        return redirect(safe_next(request, reverse("report") + "#about"))
    context = {"form": form, "next": safe_next(request, "")}
    return TemplateResponse(request, "diary/about.html", context)
