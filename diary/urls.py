from django.urls import path

from diary.views import (
    about,
    accounts,
    checkins,
    csp,
    data,
    episodes,
    fhir,
    languages,
    offline,
    report,
    share,
    trends,
    triggers,
)
from diary.views import twostep as twostep

urlpatterns = [
    path("", episodes.log, name="log"),
    path("episodes/", episodes.history, name="history"),
    path("episodes/<uuid:uuid>/", episodes.episode_edit, name="episode-edit"),
    path("episodes/<uuid:uuid>/delete/", episodes.episode_delete, name="episode-delete"),
    path("episodes/<uuid:uuid>/restore/", episodes.episode_restore, name="episode-restore"),
    path("trends/", trends.trends, name="trends"),
    path("report/", report.report, name="report"),
    path("report.pdf", report.report_pdf, name="report-pdf"),
    path("report/about/", about.about, name="about"),
    path("report/checks/new/", report.check_new, name="function-check-new"),
    path("report/checks/<uuid:uuid>/", report.check_edit, name="function-check-edit"),
    path("checkins/", checkins.checkin_list, name="checkins"),
    path("checkins/<str:day>/", checkins.checkin_edit, name="checkin-edit"),
    path("report/checks/<uuid:uuid>/delete/", report.check_delete, name="function-check-delete"),
    path("report/checks/<uuid:uuid>/restore/", report.check_restore, name="function-check-restore"),
    path("settings/", accounts.settings_view, name="settings"),
    path("settings/triggers/<int:pk>/", triggers.trigger_manage, name="trigger-manage"),
    path("settings/triggers/shown/", triggers.triggers_shown, name="triggers-shown"),
    path("settings/delete/", data.account_delete, name="account-delete"),
    path("settings/two-step/", twostep.setup, name="twostep-setup"),
    path("settings/two-step/codes/", twostep.codes, name="twostep-codes"),
    path("settings/two-step/recovery-codes.txt", twostep.codes_txt, name="twostep-codes-txt"),
    path("settings/two-step/new-codes/", twostep.new_codes, name="twostep-new-codes"),
    path("settings/two-step/off/", twostep.turn_off, name="twostep-off"),
    path("export/twitchlog.json", data.export_json, name="export-json"),
    path("export/episodes.csv", data.export_csv, name="export-csv"),
    path("import/", data.import_view, name="import"),
    path("healthz", accounts.healthz, name="healthz"),
    path("csp-report/", csp.csp_report, name="csp-report"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("offline/log/", offline.log_shell, name="log-shell"),
    path("robots.txt", accounts.robots_txt, name="robots-txt"),
    path(
        "jsi18n/<str:language>/<str:version>.js",
        languages.javascript_catalog,
        name="javascript-catalog",
    ),
    path("language/", languages.set_language, name="set-language"),
]

# Sharing with the clinician: the owner makes and revokes links; /s/<token>/ is public
# (no login) and read-only; the FHIR export is the owner's, like the PDF.
urlpatterns += [
    path("report/share/", share.share_create, name="share-create"),
    path("report/share/<uuid:uuid>/revoke/", share.share_revoke, name="share-revoke"),
    path("s/<str:token>/", share.share_page, name="share-page"),
    path("s/<str:token>/report.pdf", share.share_pdf, name="share-pdf"),
    path("s/<str:token>/fhir.json", share.share_fhir, name="share-fhir"),
    path("export/fhir.json", fhir.fhir_export, name="export-fhir"),
]
