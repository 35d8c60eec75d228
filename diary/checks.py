"""System checks of Twitchlog's own (run by `manage.py check`; deploy ones by `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@checks.register(checks.Tags.security, deploy=True)
def check_mail_host(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production without a mail server cannot send password-reset mail, and nobody would know."""
    if settings.DEBUG:
        return []
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    if mailer.get("BACKEND") == SMTP_BACKEND and not mailer.get("OPTIONS", {}).get("host"):
        return [
            checks.Error(
                "No mail server: password-reset mail would never be sent.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "EMAIL_USE_TLS as your provider needs).",
                id="twitchlog.E001",
            )
        ]
    return []
