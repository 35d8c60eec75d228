"""
WSGI entry point (gunicorn twitchlog.wsgi).

Every view is imported here, when a worker loads the app and before it takes a request:
Django would otherwise do it on the first request, and the statistics Trends imports take
about a second, which the requests queued behind it waited out.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (loads the URLconf and so every view)
