from django.urls import path

from diary.views import accounts, checks, data, episodes, report, trends, triggers

urlpatterns = [
    path("", episodes.log, name="log"),
    path("episodes/", episodes.history, name="history"),
    path("episodes/<uuid:uuid>/", episodes.episode_edit, name="episode-edit"),
    path("episodes/<uuid:uuid>/delete/", episodes.episode_delete, name="episode-delete"),
    path("episodes/<uuid:uuid>/restore/", episodes.episode_restore, name="episode-restore"),
    path("trends/", trends.trends, name="trends"),
    path("report/", report.report, name="report"),
    path("report.pdf", report.report_pdf, name="report-pdf"),
    path("report/checks/new/", report.check_new, name="function-check-new"),
    path("report/checks/<uuid:uuid>/", report.check_edit, name="function-check-edit"),
    path("report/checks/<uuid:uuid>/delete/", checks.check_delete, name="function-check-delete"),
    path("report/checks/<uuid:uuid>/restore/", checks.check_restore, name="function-check-restore"),
    path("settings/", accounts.settings_view, name="settings"),
    path("settings/triggers/<int:pk>/", triggers.trigger_manage, name="trigger-manage"),
    path("settings/triggers/shown/", triggers.triggers_shown, name="triggers-shown"),
    path("settings/delete/", data.account_delete, name="account-delete"),
    path("export/twitchlog.json", data.export_json, name="export-json"),
    path("export/episodes.csv", data.export_csv, name="export-csv"),
    path("import/", data.import_view, name="import"),
    path("healthz", accounts.healthz, name="healthz"),
]
