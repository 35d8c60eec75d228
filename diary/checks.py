"""System checks of Twitchlog's own (run by `manage.py check`; deploy ones by `check --deploy`)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections, router
from django.db.migrations.executor import MigrationExecutor

from diary.lib.throttle import trusted_networks
from diary.models.accounts import has_email_index, shared_emails

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


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


@checks.register(checks.Tags.caches, deploy=True)
def check_cache_tables(app_configs, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """
    The database cache holds the rate limits of sign-up, password reset and share links: without
    its table those pages fail. `migrate` creates it (diary/lib/cache.py); `check --deploy`
    catches a database that is migrated but lacks it (the table renamed in CACHE_URL, say). A
    deploy check, not a database one: `migrate` runs the database checks before it migrates,
    and must not be stopped by the table it is about to create. Skipped while migrations are
    pending, for the same reason.
    """
    errors = []
    for alias in databases or connections:
        connection = connections[alias]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            continue
        tables = set(connection.introspection.table_names())
        for name in settings.CACHES:
            cache = caches[name]
            if not isinstance(cache, BaseDatabaseCache):
                continue
            if router.allow_migrate_model(alias, cache.cache_model_class) and (
                cache._table not in tables
            ):
                errors.append(
                    checks.Error(
                        f"The cache table {cache._table!r} ({name!r} in CACHES) is missing "
                        f"from the {alias!r} database: sign-up, password reset and share "
                        "links would fail.",
                        hint="Run `manage.py createcachetable` (`manage.py migrate` creates "
                        "it too).",
                        id="twitchlog.E002",
                    )
                )
    return errors


# A trusted network this wide trusts clients, not proxies.
WIDEST_TRUSTED = {4: 8, 6: 32}


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_trust(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """
    Behind a proxy, the client address comes from X-Forwarded-For, believed only from the
    proxies' own addresses: without them every client looks like the proxy, and with a network
    as wide as the internet any client could name any address.
    """
    warnings = []
    if settings.TRUSTED_PROXY_COUNT and not settings.TRUSTED_PROXIES:
        warnings.append(
            checks.Warning(
                "TRUSTED_PROXY_COUNT is set but TRUSTED_PROXIES is empty: X-Forwarded-For is "
                "not believed, so every client looks like the proxy (a few wrong passwords "
                "from anyone pause an account for everyone, and the limits count the proxy).",
                hint="Set TRUSTED_PROXIES to the proxy's address (127.0.0.1 when nginx runs on "
                "the same host) and remove TRUSTED_PROXY_COUNT, which is no longer read.",
                id="twitchlog.W003",
            )
        )
    for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)):
        if network.prefixlen < WIDEST_TRUSTED[network.version]:
            warnings.append(
                checks.Warning(
                    f"TRUSTED_PROXIES trusts {network}, which holds far more than proxies: any "
                    "client in it can name any address in X-Forwarded-For.",
                    hint="List only the proxies' own addresses.",
                    id="twitchlog.W004",
                )
            )
    return warnings


@checks.register(checks.Tags.security, deploy=True)
def check_one_account_per_email(app_configs, **kwargs) -> list[checks.Warning]:
    """Addresses shared by accounts from before one address, one account (migration 0011)."""
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()) or has_email_index():
        return []
    shared = shared_emails()
    return [
        checks.Warning(
            f"{len(shared)} e-mail address(es) are used by more than one account; a "
            "password-reset mail goes only to the most recently active of them.",
            hint="Run `manage.py one_account_per_email`: it lists them, and adds the index "
            "that keeps each address to one account once they are resolved.",
            id="twitchlog.W005",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_clips_private(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """
    Videos and photos must never be reachable as static files: their local folder may not lie
    inside a folder WhiteNoise or collectstatic serve, and no MEDIA_URL route is needed (a view
    hands each file to its owner).
    """
    location = settings.STORAGES.get("clips", {}).get("OPTIONS", {}).get("location")
    if not location:
        return []  # S3: private objects, no public address
    clips = Path(location).resolve()
    public = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    if any(clips.is_relative_to(folder.resolve()) for folder in public if folder):
        return [
            checks.Error(
                f"Videos and photos are kept in {clips}, inside a folder served as static files.",
                hint="Set MEDIA_ROOT to a private folder outside STATIC_ROOT and static/.",
                id="twitchlog.E006",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_reminder_addresses(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """
    Reminders are sent by workers that have no request to take the server's address from:
    left at their development defaults, a mail's links point at this machine and Apple's push
    service refuses every notification (it wants a real contact).
    """
    if settings.DEBUG:
        return []
    warnings = []
    host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        warnings.append(
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL}: links in reminder mails would open that "
                "address on the reader's own device.",
                hint="Set SITE_URL to the address people open Twitchlog at "
                "(https://twitchlog.example).",
                id="twitchlog.W007",
            )
        )
    subject = settings.VAPID_SUBJECT.lower()
    if not subject.startswith(("mailto:", "https:")) or subject.rsplit("@", 1)[-1] in LOCAL_HOSTS:
        warnings.append(
            checks.Warning(
                f"VAPID_SUBJECT is {settings.VAPID_SUBJECT}: push services would not know "
                "whom to reach, and Apple's refuses such notifications.",
                hint="Set VAPID_SUBJECT to mailto:you@your-domain or an https:// page of yours.",
                id="twitchlog.W008",
            )
        )
    return warnings
