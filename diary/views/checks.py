"""Deleting a function check, with Undo (a soft delete, like episodes)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from diary.lib.http import AuthenticatedHttpRequest, safe_next
from diary.models import FunctionCheck, data_changed

CHECKS = "#function-check"


def fmt_date(day: date) -> str:
    return f"{day:%-d %b %Y}"


@require_POST
def check_delete(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    check = get_object_or_404(FunctionCheck.objects.for_user(request.user), uuid=uuid)
    with transaction.atomic():
        check.soft_delete()
        data_changed(request.user, [])
    messages.success(
        request,
        f"Deleted the function check of {fmt_date(check.date)}.",
        extra_tags=f"undo-check:{check.uuid}",
    )
    return redirect(reverse("report") + CHECKS)


@require_POST
def check_restore(request: AuthenticatedHttpRequest, uuid: UUID) -> HttpResponse:
    checks = FunctionCheck.objects.for_user(request.user, include_deleted=True)
    check = get_object_or_404(checks, uuid=uuid)
    back = safe_next(request, reverse("report") + CHECKS)
    if check.deleted_at is None:
        return redirect(back)
    if FunctionCheck.objects.for_user(request.user).filter(date=check.date).exists():
        # One check a day: a new one was saved for that date since.
        messages.info(
            request,
            f"Not restored: you already have a check for {fmt_date(check.date)}. "
            "Open that one to change it.",
        )
        return redirect(back)
    with transaction.atomic():
        check.restore()
        data_changed(request.user, [])
    messages.success(request, f"Restored the function check of {fmt_date(check.date)}.")
    return redirect(back)
