"""
The language's own pieces: the JavaScript catalog (the scripts' messages, from the djangojs
catalogs) and the language picker of the pages before login.

The catalog's URL names its language and a version of its messages, so a browser keeps it for
a year and asks again only when either changes (lib/js_catalog.py makes the URL). It is the
same for everyone, so it says `public` and carries nobody's data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import JavaScriptCatalog
from django.views.i18n import set_language as django_set_language

from diary.lib import languages

YEAR = 365 * 24 * 3600
_catalog = JavaScriptCatalog.as_view(domain="djangojs", packages=["diary"])


@login_not_required
@require_GET
def javascript_catalog(request: HttpRequest, language: str, version: str) -> HttpResponse:
    if not languages.supported(language):
        raise Http404("No such language.")
    with translation.override(language):
        response = _catalog(request)
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Before login: the language cookie, then back to the page (Django's view)."""
    return django_set_language(request)
