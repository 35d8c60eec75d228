"""Account pages: Django's auth views plus sign-up. The only public URLs besides /healthz."""

from django.urls import include, path

from diary.views import accounts, login

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", login.login_view, name="login"),
    path("login/code/", login.login_code, name="login-code"),
    path("password_reset/", accounts.password_reset, name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password_change/", accounts.password_change, name="password_change"),
    path("", include("django.contrib.auth.urls")),
]
