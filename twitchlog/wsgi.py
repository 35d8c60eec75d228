"""
WSGI entry point (gunicorn twitchlog.wsgi).

Every view is imported here, when a worker loads the app and before it takes a request:
Django would otherwise do it on the first request, and the statistics Trends imports take
about a second, which the requests queued behind it waited out. For the same reason the
worker's PDF renderer starts now, in the background (PDF_RENDERERS_AT_START).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (loads the URLconf and so every view)
if settings.PDF_RENDERERS_AT_START:
    from diary.report.pdfs import start_renderers

    start_renderers()
