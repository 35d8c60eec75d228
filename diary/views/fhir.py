"""
/export/fhir.json: the logged-in person's diary as a FHIR R4 file for a clinic's system
(diary/sharing/fhir) for `?from=…&to=…` (at most the longest period a report may cover), the
last 52 weeks if no dates are given. A bad period is a 400 with the reason, never a 500.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from diary import insights
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest, attachment
from diary.sharing import fhir

DEFAULT_WEEKS = 52


@require_GET
def fhir_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        period = insights.parse_period(
            request.GET,
            today=local_today(user),
            zone=user.profile.zone,
            default_weeks=DEFAULT_WEEKS,
        )
    except insights.PeriodError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    data = fhir.bundle(user, period, site=request.build_absolute_uri("/"))
    return attachment(
        fhir.serialize(data), content_type=fhir.MEDIA_TYPE, filename=fhir.filename(period)
    )
