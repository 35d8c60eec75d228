from django.urls import path

from diary.views import accounts, checkins, csp, episodes, offline, report, trends

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
    path("checkins/", checkins.checkin_list, name="checkins"),
    path("checkins/<str:day>/", checkins.checkin_edit, name="checkin-edit"),
    path("settings/", accounts.settings_view, name="settings"),
    path("healthz", accounts.healthz, name="healthz"),
    path("csp-report/", csp.csp_report, name="csp-report"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("offline/log/", offline.log_shell, name="log-shell"),
    path("robots.txt", accounts.robots_txt, name="robots-txt"),
]
