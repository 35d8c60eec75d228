"""
The installable app: the web manifest, the service worker, and the two pages it keeps for
when the network is gone (an "offline" page and the Log form without any entries).

The worker never stores a page with health data: History, Trends, Report, Settings, exports
and the Log page's own list always come from the network, and say "You are offline" without it.

The worker is made for a language: what it stores is in that language, and its version changes
with it, so a person who picks another language gets a worker that stores the pages again.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diary.forms import LogEpisodeForm
from diary.lib import js_catalog, languages
from diary.lib.http import AuthenticatedHttpRequest

# What the Log page needs to open without a network, besides the pages below.
SHELL_STATIC = [
    "css/app.css",
    "js/app.js",
    "js/body-figure.js",
    "js/offline-store.js",
    "js/offline-queue.js",
    "js/sw-register.js",
    "django_htmx/htmx-2.min.js",
    "img/icon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "img/icon-maskable-512.png",
]
# Same colours as the theme-color metas in base.html and --bg in app.css.
LIGHT_BACKGROUND, DARK_BACKGROUND = "#f6f7f9", "#15181d"


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/",
        "name": "Twitchlog",
        "short_name": "Twitchlog",
        "description": _("A private diary of muscle twitching to bring to your doctor."),
        "lang": languages.current(),
        "dir": languages.direction(),
        "start_url": reverse("log"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": LIGHT_BACKGROUND,
        "theme_color": LIGHT_BACKGROUND,
        # Dark colours where the browser reads them (a proposed member; others ignore it).
        "user_preferences": {
            "color_scheme_dark": {
                "background_color": DARK_BACKGROUND,
                "theme_color": DARK_BACKGROUND,
            }
        },
        "categories": ["health", "medical"],
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at the site's root (a worker controls only pages below its own URL)."""
    language = languages.current()
    config = worker_config(language) if settings.DEBUG else cached_worker_config(language)
    source = worker_source()
    body = f"self.TWITCHLOG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser must see a new version at once: it compares this file byte for byte.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def worker_source() -> str:
    return Path(finders.find("js/sw.js")).read_text()


def worker_config(language: str) -> dict:
    """
    The URLs the worker keeps (the scripts' messages in `language` among them), and a version
    that changes whenever any of them does.
    """
    urls = [static(name) for name in shell_static()]
    digest = hashlib.sha256(worker_source().encode())
    digest.update(language.encode())
    for name, url in zip(shell_static(), urls, strict=True):
        digest.update(url.encode())
        path = finders.find(name)
        digest.update(Path(path).read_bytes() if path else b"")
    catalog = js_catalog.url(language)  # its version is in its URL
    digest.update(catalog.encode())
    return {
        "version": digest.hexdigest()[:16],
        "static": [*urls, catalog],
        "offlinePage": reverse("offline"),
        "logShell": reverse("log-shell"),
        "logPage": reverse("log"),
        "loginPage": reverse("login"),
        "store": static("js/offline-store.js"),
        "icon": static("img/icon-192.png"),
    }


@cache
def cached_worker_config(language: str) -> dict:
    # In production the files only change with a deploy, which restarts the process.
    return worker_config(language)


def shell_static() -> list[str]:
    # django-htmx adds its debug helper next to htmx when DEBUG is on.
    return [*SHELL_STATIC, "django_htmx/django-htmx.js"] if settings.DEBUG else SHELL_STATIC


# What base.html must not show on a page the worker stores: flash messages (showing them
# here would use them up before the page they were meant for) and, on the public page, who
# is logged in.
STORED_PAGE_CONTEXT = {"messages": ()}


@login_not_required
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What any page without a stored copy shows when the network is gone."""
    context = {**STORED_PAGE_CONTEXT, "user": AnonymousUser()}
    return TemplateResponse(request, "diary/offline.html", context)


@require_GET
def log_shell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """
    The Log form with no entries and no recent-sites chips: what the worker shows for `/`
    offline. Entries waiting on the phone fill in from the browser's own storage.
    """
    form = LogEpisodeForm(user=request.user, zone=request.user.profile.zone)
    context = {**STORED_PAGE_CONTEXT, "form": form}
    response = TemplateResponse(request, "diary/offline_log.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response
