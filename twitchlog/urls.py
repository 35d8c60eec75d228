from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

# The admin's own login page would skip the second step of two-step login: it sends people to
# Twitchlog's login instead, keeping ?next=.
admin_login = login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))

urlpatterns = [
    path("", include("diary.urls")),
    path("accounts/", include("diary.account_urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

# Our own pages for errors (with DEBUG off), in the app's layout: diary/views/errors.py.
handler400 = "diary.views.errors.bad_request"
handler403 = "diary.views.errors.permission_denied"
handler404 = "diary.views.errors.page_not_found"
handler500 = "diary.views.errors.server_error"
