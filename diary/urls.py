from django.urls import path

from diary.views import accounts, episodes

urlpatterns = [
    path("", episodes.log, name="log"),
    path("episodes/", episodes.history, name="history"),
    path("episodes/<uuid:uuid>/", episodes.episode_edit, name="episode-edit"),
    path("episodes/<uuid:uuid>/delete/", episodes.episode_delete, name="episode-delete"),
    path("episodes/<uuid:uuid>/restore/", episodes.episode_restore, name="episode-restore"),
    path("settings/", accounts.settings_view, name="settings"),
    path("healthz", accounts.healthz, name="healthz"),
]
