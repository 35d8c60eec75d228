"""
Every id a page points at is on that page: `aria-describedby`, `aria-labelledby`,
`aria-controls` (and the other ARIA id references) and `<label for>`. A field whose error
message is not where its `aria-describedby` says is read out by a screen reader without the
message.

The walk needs no list of pages or forms: it takes every named URL from the URL map (a page
added later is walked too), opens each that answers a GET with an HTML page, and sends every
form on it empty, then with a value no field accepts, once per submit button. Every answer is
checked, and every page a redirect leads to. What cannot be found from the URL map is given
below: the account state a page needs, and the arguments of URLs that take some.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from diary.models import (
    Clip,
    FunctionCheck,
    PushDevice,
    ReminderKind,
    ReminderSettings,
    ShareLink,
)
from diary.reminders.messages import stop_token
from diary.sharing import links
from tests.clip_helpers import ready_clip
from tests.factories import PASSWORD, EpisodeFactory, TriggerFactory, UserFactory
from tests.helpers import app_code, two_step_on

# Attributes whose value is a space-separated list of ids on the same page.
ID_LIST_ATTRIBUTES = (
    "aria-describedby",
    "aria-labelledby",
    "aria-controls",
    "aria-errormessage",
    "aria-owns",
    "aria-flowto",
    "aria-details",
    "aria-activedescendant",
    "headers",
)
# Attributes holding one id (on the elements where they are references).
SINGLE_ID_ATTRIBUTES = {"label": "for", "input": "list", "output": "for"}

# The pages where a field's error once pointed nowhere: the walk must reach each of them with a
# field in error (aria-invalid), or it proves nothing about them.
ERROR_PAGES = {
    "signup",
    "password_reset",
    "history",
    "report",
    "settings",
    "trigger-manage",
    "account-delete",
    "password_change",
    "password_reset_confirm",
    "function-check-new",
    "twostep-setup",
    "twostep-new-codes",
    "twostep-off",
    "login-code",
    "reminders",
}


# --- Reading a page -------------------------------------------------------------------------


@dataclass
class Control:
    tag: str
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # select: (value, selected)
    maxlength: int | None = None


@dataclass
class Form:
    method: str
    action: str
    controls: list[Control] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons


class PageParser(HTMLParser):
    """The ids on a page, the id references in it, and its forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if a.get("id"):
            self.ids.append(a["id"])
        for name in ID_LIST_ATTRIBUTES:
            if name in a:
                self.references += [(tag, name, ref) for ref in a[name].split()]
                if not a[name].split():
                    self.references.append((tag, name, ""))
        single = SINGLE_ID_ATTRIBUTES.get(tag)
        if single and single in a:
            self.references.append((tag, single, a[single]))
        self._read_form(tag, a)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("option", "textarea", "select"):
            self.handle_endtag(tag)

    def _read_form(self, tag: str, a: dict[str, str]) -> None:
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind not in ("button", "reset"):
                length = a.get("maxlength", "")
                form.controls.append(
                    Control(
                        "input",
                        name,
                        kind,
                        a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                        "checked" in a,
                        maxlength=int(length) if length.isdigit() else None,
                    )
                )
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = Control("select", name)
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            length = a.get("maxlength", "")
            self._textarea = Control(
                "textarea", name, maxlength=int(length) if length.isdigit() else None
            )
            form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            self._select.options.append((self._option_text if value is None else value, selected))
            self._option = None
        elif tag == "textarea":
            self._textarea = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def broken_references(html: str) -> list[str]:
    page = parse(html)
    ids = set(page.ids)
    return [
        f'<{tag} {attribute}="{ref}">' for tag, attribute, ref in page.references if ref not in ids
    ]


# --- Filling in a form ----------------------------------------------------------------------

TEXT_LIKE = {"text", "search", "email", "url", "tel", "password", "number", "date", "time"}
TEXT_LIKE |= {"datetime-local", "month", "week", "color", "range"}


def form_data(form: Form, variant: str) -> dict[str, list[str]]:
    """
    What a person could send: "empty" leaves every field as it is unfilled; "wrong" puts a
    value in each that none accepts (words in number and date fields, a choice that is not on
    the list, text past the longest allowed). Hidden fields keep their values.
    """
    data: dict[str, list[str]] = {}

    def put(name: str, value: str) -> None:
        data.setdefault(name, []).append(value)

    for control in form.controls:
        if control.type == "hidden":
            put(control.name, control.value)
        elif control.type == "file":
            continue
        elif variant == "empty":
            if control.tag == "select":
                chosen = [v for v, selected in control.options if selected] or [
                    v for v, _ in control.options[:1]
                ]
                for value in chosen:
                    put(control.name, value)
            elif control.type not in ("checkbox", "radio"):
                put(control.name, "")
        elif control.tag == "select" or control.type in ("checkbox", "radio"):
            if control.name not in data:
                put(control.name, "not-a-choice")
        elif control.maxlength:
            put(control.name, "x" * (control.maxlength + 1))
        elif control.tag == "textarea":
            put(control.name, "x" * 20_001)
        elif control.type in TEXT_LIKE:
            put(control.name, "nope")
    return data


# --- The walk -------------------------------------------------------------------------------


def logged_in() -> Client:
    user = UserFactory(timezone="Europe/London")
    own = TriggerFactory(user=user, name="Red wine")
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    EpisodeFactory(user=user, started_at=start, sites=["calf-left"], triggers=["caffeine", own])
    EpisodeFactory(user=user, started_at=start, intensity=3, weakness=True, notes="a note")
    FunctionCheck.objects.create(user=user, date=date(2026, 11, 30))
    links.create(user, first=date(2026, 11, 1), last=date(2026, 11, 30), days=7)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def anonymous() -> Client:
    return Client()


def with_two_step() -> Client:
    client = logged_in()
    client.get("/settings/two-step/")
    device = TOTPDevice.objects.get(user=client.user)
    client.post("/settings/two-step/", {"device": device.pk, "code": app_code(device)})
    return client


def at_code_step() -> Client:
    """A browser whose right password has led to the code page of a two-step account."""
    user = UserFactory()
    two_step_on(user)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def shared() -> Client:
    owner = logged_in()
    _, token = links.create(owner.user, first=date(2026, 11, 1), last=date(2026, 11, 30), days=7)
    client = Client()
    client.url_kwargs = {"token": token}
    return client


def with_reminders() -> Client:
    """Reminders on, a device that gets them and an appointment date."""
    client = logged_in()
    ReminderSettings.objects.create(
        user=client.user, checkin=True, appointment_date=date(2026, 12, 18), appointment=True
    )
    PushDevice.objects.create(
        user=client.user,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{client.user.pk}",
        p256dh="k",
        auth="a",
    )
    return client


def stop_link() -> Client:
    """A fresh browser (a mail program) holding a reminder's stop link."""
    owner = with_reminders()
    client = Client()
    client.url_kwargs = {"token": stop_token(owner.user.profile.uuid, ReminderKind.CHECKIN)}
    return client


def reset_link() -> Client:
    user = UserFactory()
    client = Client()
    client.url_kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return client


# Pages that need more than "logged in" (private pages) or "a fresh browser" (public ones).
STATES: dict[str, Callable[[], Client]] = {
    "twostep-codes": with_two_step,
    "twostep-new-codes": with_two_step,
    "twostep-off": with_two_step,
    "login-code": at_code_step,
    "share-page": shared,
    "password_reset_confirm": reset_link,
    "reminders": with_reminders,
    "reminders-device-remove": with_reminders,
    "reminders-stop": stop_link,
}


def url_kwargs(client: Client, converters: dict[str, str]) -> dict[str, object]:
    """Values for a URL's parameters that name the client's own things."""
    given = getattr(client, "url_kwargs", {})
    user = getattr(client, "user", None)
    values: dict[str, object] = {}
    for name, converter in converters.items():
        if name in given:
            values[name] = given[name]
        elif name == "day":
            values[name] = "2026-11-30"
        elif name == "uuid":
            values[name] = None  # which kind of thing: uuid_for()
        elif name == "pk":
            values[name] = user.triggers.get().pk
        elif name == "language":  # the scripts' messages: JavaScript, not a page
            values[name] = "en"
        elif name == "version":
            values[name] = "0"
        else:
            raise AssertionError(f"no value for the URL parameter {name!r} ({converter})")
    return values


def uuid_for(url_name: str, client: Client) -> object:
    if url_name.startswith("share-clip-"):
        return uuid.uuid4()  # not a clip of the link: a 404, whatever the link
    user = client.user
    if url_name == "clip-add":
        return user.episodes.first().uuid
    if url_name.startswith("clip-"):
        clip = Clip.objects.filter(user=user).first()
        return (clip or ready_clip(user, user.episodes.first())).uuid
    if url_name.startswith("episode-"):
        return user.episodes.first().uuid
    if url_name.startswith("function-check-"):
        return FunctionCheck.objects.get(user=user).uuid
    if url_name.startswith("share-"):
        return ShareLink.objects.for_user(user).first().uuid
    if url_name.startswith("reminders-device-"):
        return PushDevice.objects.get(user=user).uuid
    raise AssertionError(f"no uuid for {url_name}")


@dataclass
class Route:
    name: str
    public: bool
    converters: dict[str, str]


def routes(patterns=None) -> list[Route]:
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) != "admin/":
                found += routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = {
                name: type(conv).__name__ for name, conv in pattern.pattern.converters.items()
            }
            public = getattr(pattern.callback, "login_required", True) is False
            found.append(Route(pattern.name, public, converters))
    return found


@dataclass
class Walk:
    broken: dict[str, list[str]] = field(default_factory=dict)  # what -> broken references
    pages: int = 0
    with_errors: set[str] = field(default_factory=set)  # URL names shown with a field in error

    def check(self, url_name: str, label: str, response) -> None:
        assert response.status_code < 500, (label, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        html = response.content.decode()
        self.pages += 1
        if 'aria-invalid="true"' in html:
            self.with_errors.add(url_name)
        broken = broken_references(html)
        if broken:
            self.broken[label] = broken


def send(client: Client, page_url: str, form: Form, data: dict, button) -> object:
    action = urljoin(page_url, form.action or page_url)
    if button:
        data = {**data, button[0]: [button[1]]}
    if form.method == "post":
        return client.post(action, data, follow=True)
    path = urlsplit(action).path
    return client.get(f"{path}?{urlencode(data, doseq=True)}", follow=True)


def form_key(form: Form) -> tuple:
    """Forms repeated per row (Delete on every episode) are sent once."""
    action = re.sub(r"[0-9a-f-]{36}|\d+", "N", form.action)
    return (form.method, action, tuple(sorted({c.name for c in form.controls})))


def walk_route(route: Route, walk: Walk) -> None:
    make = STATES.get(route.name)
    if make is None and "token" in route.converters:
        make = shared
    make = make or (anonymous if route.public else logged_in)
    client = make()
    kwargs = url_kwargs(client, route.converters)
    if "uuid" in kwargs:
        kwargs["uuid"] = uuid_for(route.name, client)
    url = reverse(route.name, kwargs=kwargs)
    response = client.get(url, follow=True)
    walk.check(route.name, f"GET {route.name}", response)
    if response.redirect_chain:
        url = urljoin(url, response.redirect_chain[-1][0])
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return
    logout = reverse("logout")
    seen = set()
    for form in parse(response.content.decode()).forms:
        key = form_key(form)
        # Logging out ends the session the later forms need; the login page is walked anyway.
        if key in seen or urljoin(url, form.action) == logout:
            continue
        seen.add(key)
        # Wrong values first: an empty form that only needs its hidden fields (a Delete) goes
        # through, and what it deleted is gone for the forms after it.
        for button, variant in itertools.product(form.buttons or [None], ("wrong", "empty")):
            label = f"{route.name}: {form.method.upper()} {form.action or url} {variant}"
            if button:
                label += f" [{button[0]}={button[1]}]"
            answer = send(client, url, form, form_data(form, variant), button)
            walk.check(route.name, label, answer)


@pytest.mark.django_db
def test_every_id_reference_on_every_page_and_error_state_exists():
    walk = Walk()
    for route in routes():
        walk_route(route, walk)
    assert walk.pages > 100, f"only {walk.pages} pages walked"
    unreached = ERROR_PAGES - walk.with_errors
    assert not unreached, f"never shown with a field in error: {sorted(unreached)}"
    count = sum(len(refs) for refs in walk.broken.values())
    report = "\n".join(f"{label}: {', '.join(refs)}" for label, refs in walk.broken.items())
    assert not walk.broken, f"{count} references to ids not on the page:\n{report}"


def test_a_reference_to_a_missing_id_is_found():
    html = (
        '<label for="id_a">A</label><input id="id_a" aria-describedby="id_a-errors id_a_hint">'
        '<p id="id_a-errors">Wrong</p><div aria-labelledby="nowhere"></div>'
    )
    assert broken_references(html) == [
        '<input aria-describedby="id_a_hint">',
        '<div aria-labelledby="nowhere">',
    ]
