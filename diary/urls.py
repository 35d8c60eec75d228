from django.urls import path

from diary import views

urlpatterns = [
    path("", views.log, name="log"),
    path("episodes/", views.history, name="history"),
    path("episodes/<uuid:uuid>/", views.episode_edit, name="episode-edit"),
    path("episodes/<uuid:uuid>/delete/", views.episode_delete, name="episode-delete"),
    path("episodes/<uuid:uuid>/restore/", views.episode_restore, name="episode-restore"),
    path("settings/", views.settings_view, name="settings"),
    path("healthz", views.healthz, name="healthz"),
]
