"""What every page's frame needs: sign-up on or off, the language's script catalog and
direction, and which tab of the main navigation the page belongs to."""

from django.conf import settings
from django.http import HttpRequest

from diary.lib import js_catalog, languages

# The tab a page belongs to, by URL name; a page one level down highlights its tab too.
TAB_OF_PAGE = {
    "log": "log",
    "checkins": "log",
    "checkin-edit": "log",
    "history": "history",
    "episode-edit": "history",
    "trends": "trends",
    "report": "report",
    "about": "report",
    "function-check-new": "report",
    "function-check-edit": "report",
    "settings": "settings",
    "trigger-manage": "settings",
    "account-delete": "settings",
    "import": "settings",
    "password_change": "settings",
    "password_change_done": "settings",
    "twostep-setup": "settings",
    "twostep-codes": "settings",
    "twostep-new-codes": "settings",
    "twostep-off": "settings",
}


def site(request: HttpRequest) -> dict:
    language = languages.current()
    match = getattr(request, "resolver_match", None)
    page = match.url_name if match else None
    return {
        "signup_enabled": settings.SIGNUP_ENABLED,
        "js_catalog": js_catalog.url(language),
        "text_direction": languages.direction(language),
        "nav_tab": TAB_OF_PAGE.get(page),
        # The tab's own page is the "page"; one level down it is where the person is.
        "nav_current": "page" if page == TAB_OF_PAGE.get(page) else "true",
    }
