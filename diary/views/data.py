"""
Own your data: the JSON, CSV and ZIP exports, the two-step import (a JSON file, or a ZIP with
videos and photos) and deleting the account.

The logic lives in diary/data/ (export, archive, importer, zipimport, account); these views
only read the request and pick a response.
"""

from __future__ import annotations

import gc

from django.contrib import messages
from django.contrib.auth import logout
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from diary.clips.adding import on_disk
from diary.data import account, archive, digest, export, importer, staging, validation, zipimport
from diary.data.uploads import SizeLimitUploadHandler
from diary.forms import DeleteAccountForm
from diary.forms.data import ImportForm
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest, attachment
from diary.lib.memory import forget_cached_names, release_freed_memory


@require_GET
def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    name = export.filename("json", local_today(request.user))
    return attachment(
        export.iter_json(request.user), content_type="application/json", filename=name
    )


@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    name = export.filename("csv", local_today(request.user))
    return attachment(
        export.iter_csv(request.user), content_type="text/csv; charset=utf-8", filename=name
    )


@require_GET
def export_zip(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything: the JSON export and the videos and photos, streamed as one ZIP."""
    name = archive.filename(local_today(request.user))
    return attachment(archive.iter_zip(request.user), content_type="application/zip", filename=name)


# --- import ---


@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """
    The size limit must be in place before anything reads the body, and the CSRF check reads
    it: so the handler goes in first and CSRF is checked right after (Django's documented way).
    """
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    # Reading, planning and writing 50,000 entries makes hundreds of thousands of objects and
    # no cycles worth collecting: the cycle collector runs once, at the end, not hundreds of
    # times over a growing heap on the way.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(request)
    finally:
        if collecting:
            gc.enable()
        # A checked or imported file of tens of MB leaves freed memory glibc would otherwise keep,
        # and names cached while it was read pin memory Python would otherwise give back.
        forget_cached_names()
        gc.collect()
        release_freed_memory()


@csrf_protect
def _import(request: AuthenticatedHttpRequest) -> HttpResponse:
    action = request.POST.get("action", "upload") if request.method == "POST" else None
    if action == "cancel":
        staging.discard(request.session)
        return redirect("import")
    if action == "confirm":
        return _confirm(request)
    form = ImportForm(too_large=getattr(request, "import_too_large", False))
    if action == "upload":
        form = ImportForm(
            request.POST, request.FILES, too_large=getattr(request, "import_too_large", False)
        )
        if form.is_valid() and _check_upload(request, form) is not None:
            return redirect("import")
    pending = staging.pending(request.session, request.user)
    context = {"form": form, "pending": pending}
    if pending:
        context["profile_fills"] = importer.profile_words(pending["preview"]["profile"])
    return TemplateResponse(request, "diary/import.html", context)


def _check_upload(request: AuthenticatedHttpRequest, form: ImportForm) -> dict | None:
    upload = form.cleaned_data["file"]
    try:
        if form.is_zip:
            with on_disk(upload) as path:
                preview = zipimport.check(request.user, path)
            staging.stage_file(
                request.session, request.user, upload, name=upload.name, preview=preview
            )
            return preview
        upload.seek(0)
        raw = upload.read()  # one copy of the file, not its chunks and then their join
        parsed = validation.parse(raw)
        del raw
        planned = importer.plan(request.user, parsed)
        preview = planned.preview.as_dict()
    except validation.BadFile as bad:
        for problem in bad.problems:
            form.add_error("file", problem)
        if bad.more:
            more = (
                _("… and at least %(count)d more.") if bad.at_least else _("… and %(count)d more.")
            )
            form.add_error("file", more % {"count": bad.more})
        return None
    # Its checked entries, not its text: "Import now" does not read and check the file again;
    # and what became of their uuids, not looked up again if the diary has not changed.
    kept = digest.dumps(parsed, planned.kept)
    staging.stage(request.session, request.user, kept, name=upload.name, preview=preview)
    return preview


def _confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    zipped = staging.is_zip(request.session, request.user)
    load = staging.load_path if zipped else staging.load
    raw = load(request.session, request.user)
    parsed = kept = None
    if raw is not None and not zipped:
        try:
            parsed, kept = digest.read(raw)
        except digest.Stale:
            raw = None
    if raw is None:
        messages.info(request, _("That import is no longer waiting. Choose the file again."))
        staging.discard(request.session)
        return redirect("import")
    try:
        # This server checked the file when it was uploaded and kept its entries and their
        # plan; the plan is made again if the diary has changed since the preview.
        if zipped:
            done = zipimport.import_zip(request.user, raw)
        else:
            done = importer.import_kept(request.user, parsed, kept)
    except validation.BadFile as bad:
        staging.discard(request.session)
        messages.info(
            request, _("Nothing was imported: %(problem)s") % {"problem": bad.problems[0]}
        )
        return redirect("import")
    except IntegrityError:
        # Something was written at the same moment (another tab importing the same file).
        messages.info(request, _("Nothing was imported: your diary changed meanwhile. Try again."))
        return redirect("import")
    staging.discard(request.session)
    messages.success(request, import_summary(done))
    return redirect("history")


def import_summary(done: importer.Preview) -> str:
    if not done.changes_anything:
        return _("Everything in that file was already in your diary; nothing was added.")
    counts = [
        (done.episodes_new, ngettext("%(count)d episode", "%(count)d episodes", done.episodes_new)),
        (
            done.checks_new,
            ngettext("%(count)d function check", "%(count)d function checks", done.checks_new),
        ),
        (
            done.day_logs_new,
            ngettext("%(count)d daily check-in", "%(count)d daily check-ins", done.day_logs_new),
        ),
        (
            len(done.triggers_new),
            ngettext("%(count)d trigger", "%(count)d triggers", len(done.triggers_new)),
        ),
    ]
    parts = [words % {"count": n} for n, words in counts if n]
    if done.clips_new:
        parts.append(
            ngettext(
                "%(count)d video or photo (being prepared)",
                "%(count)d videos and photos (being prepared)",
                done.clips_new,
            )
            % {"count": done.clips_new}
        )
    imported = _(", ").join(parts)
    if not done.profile:
        return _("Imported %(what)s.") % {"what": imported}
    filled = importer.profile_words(done.profile)
    if not parts:
        return _("Imported nothing new; filled in %(fields)s.") % {"fields": filled}
    return _("Imported %(what)s; filled in %(fields)s.") % {"what": imported, "fields": filled}


# --- deleting the account ---


@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("login")
    return TemplateResponse(request, "diary/account_delete.html", {"form": form})
