"""
The endpoint browsers send Content-Security-Policy violation reports to (`report-uri` and the
Reporting API's `report-to`).

A violation means either a bug of ours (a script or style the policy blocks, so something on the
page silently does nothing) or an injection attempt: both are worth a log line. The endpoint is
public (reports come without cookies), so it is rate-limited per address and size-limited, and it
answers garbage with a 400, never a 500.
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger("twitchlog.csp")

MAX_REPORT_BYTES = 16 * 1024
MAX_REPORTS = 10
FIELD_CHARS = 300
RATE = "30/m"

# (report-uri name, Reporting API name) of the fields worth logging.
FIELDS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("violated-directive", "effectiveDirective"),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("disposition", "disposition"),
)


def parse_reports(body: bytes) -> list[dict[str, str]]:
    """
    The violations in a report body of either format, as short flat dicts.

    Raises ValueError for anything that is not a CSP report.
    """
    data = json.loads(body.decode("utf-8"))
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        raw = [(data["csp-report"], 0)]  # report-uri: one report, old names
    elif isinstance(data, list):
        raw = [
            (item["body"], 1)  # Reporting API: a batch, camelCase names under "body"
            for item in data[:MAX_REPORTS]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    else:
        raise ValueError("not a CSP report")
    if not raw:
        raise ValueError("no CSP violation in the report")
    reports = []
    for report, style in raw:
        flat = {}
        for names in FIELDS:
            value = report.get(names[style])
            if value is not None and names[0] not in flat:
                flat[names[0]] = str(value)[:FIELD_CHARS]
        reports.append(flat)
    return reports


@csrf_exempt
@login_not_required
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if is_ratelimited(request, group="csp-report", key="ip", rate=RATE, increment=True):
        return HttpResponse(status=429)
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        reports = parse_reports(body)
    except (ValueError, UnicodeDecodeError, TypeError, AttributeError):
        return HttpResponse(status=400)
    for report in reports:
        logger.warning("CSP violation: %s", json.dumps(report, sort_keys=True))
    return HttpResponse(status=204)
