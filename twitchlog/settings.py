"""
Twitchlog settings.

Everything that differs between a laptop and production comes from the environment, with
safe development defaults: `make run` needs no configuration at all.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The development key is only ever used with DEBUG on; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-twitchlog-development-only" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("Set the SECRET_KEY environment variable when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A form whose security token no longer matches: our page says nothing was saved, and how to
# send it again.
CSRF_FAILURE_VIEW = "diary.views.errors.csrf_failure"

# Whether anyone may create an account (switch off for a private instance).
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "diary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (WhiteNoise above serves static files precompressed). Django's GZip pads
    # each response with random bytes, and CSRF tokens are masked per response (BREACH).
    # (Ours leaves videos, photos and ZIP files as they are: see diary/middleware.py.)
    "diary.middleware.GZipMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the language cookie, else the browser (Accept-Language); a logged-in
    # person's own choice replaces it further down (UserLanguageMiddleware). After sessions,
    # before anything that words a response (CommonMiddleware's redirects).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diary.middleware.PrivacyHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "diary.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "diary.middleware.UserTimezoneMiddleware",
    "diary.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Above the CSP middleware, so it sees the policy header on the way out.
    "diary.middleware.ReportingEndpointsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last: turns a locked-out login into our own page (see "Doors" below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twitchlog.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "diary.context_processors.site",
            ],
            # Every template translates and formats dates: {% translate %}, {{ day|day_month }}.
            "builtins": [
                "django.templatetags.i18n",
                "diary.templatetags.kept_translations",
                "diary.templatetags.formats",
            ],
        },
    },
]

# Every form's fields link their errors and hints to the field by one id scheme.
FORM_RENDERER = "diary.forms.rendering.FormRenderer"

WSGI_APPLICATION = "twitchlog.wsgi.application"

# SQLite by default; PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so
    # concurrent read-then-write requests queue instead of failing with "database is locked".
    # Persistent connections (CONN_MAX_AGE and CONN_HEALTH_CHECKS from above) spare every
    # request opening the file and running the PRAGMAs (~1.7 ms); init_command still runs on
    # each new connection.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Doors: password hashing, login lockout, rate limits, the shared cache ---

INSTALLED_APPS += ["axes", "django_ratelimit"]

# Two-step login (optional, per account): an authenticator app's TOTP codes and one-time
# recovery codes (diary/twostep/). Wrong codes are slowed down by django-otp (1, 2, 4 ... s)
# and counted by axes like wrong passwords.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
OTP_TOTP_ISSUER = "Twitchlog"

# Argon2 for new and changed passwords; older hashes still verify and are re-hashed with Argon2
# the next time their owner logs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Axes checks every login before the password is hashed: a locked-out attempt costs a query,
# not a hash. Its state lives in the database, so every app server sees the same lockouts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
# Paused per account AND address: a stranger's misses pause the stranger's address, never the
# owner on theirs. Slower limits per account (from all addresses) and per address (for all
# accounts), counted in the shared cache, pause browsers that never logged in to the account
# (diary/lib/login_limits.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ACCOUNT_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_LIMIT", 50))
LOGIN_ADDRESS_LIMIT = int(os.environ.get("LOGIN_ADDRESS_LIMIT", 50))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "diary.views.login.locked_out"
AXES_CLIENT_IP_CALLABLE = "diary.lib.throttle.client_ip"
# Successful logins are not recorded: a diary of health data keeps no trail it does not need.
AXES_DISABLE_ACCESS_LOG = True

# The proxies in front of the app (addresses or networks, e.g. "127.0.0.1" or "10.0.0.2/32"):
# X-Forwarded-For is believed only from them (diary/lib/throttle.py). Empty: the peer address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise RuntimeError(f"TRUSTED_PROXIES: {error}") from None
# Read only to warn: an older way of trusting the header that believed any client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)

# Sign-up and password reset, per client address (and per e-mail address for reset mails).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "diary.lib.throttle.client_ip"
RATE_SIGNUP = os.environ.get("RATE_SIGNUP", "10/h")
RATE_PASSWORD_RESET = os.environ.get("RATE_PASSWORD_RESET", "10/h")
RATE_PASSWORD_RESET_EMAIL = os.environ.get("RATE_PASSWORD_RESET_EMAIL", "3/h")


def cache_from_url(url: str) -> dict:
    """CACHE_URL: unset/db://[table] (the database), redis[s]://…, or locmem:// (one process)."""
    scheme, _, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        # Our subclass makes incr() atomic, which rate limits need (see diary/lib/cache.py).
        return {"BACKEND": "diary.lib.cache.DatabaseCache", "LOCATION": rest or "twitchlog_cache"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    raise RuntimeError(f"CACHE_URL must start with db://, redis://, rediss:// or locmem://: {url}")


# The database by default (`manage.py migrate` creates the table), so rate limits
# are shared by every app server without another service; Redis when CACHE_URL says so.
CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL") or "db://twitchlog_cache"),
    # Rendered pages (Trends results), in each process's own memory: the key carries the user's
    # data version, read with the profile on every request, so no server can serve a stale
    # page, and a hit costs no round trip to the shared cache.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "twitchlog-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Django's own Redis backend and our database cache are not on django-ratelimit's short list of
# backends it knows by name; both increment atomically, which is what that warning is about.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Browser features the app never uses, denied to it and to anything it might embed. Only names
# Chromium knows: it logs a console warning for each unknown one (browser tests fail on those).
_DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
PERMISSIONS_POLICY: dict[str, list[str]] = {feature: [] for feature in _DENIED_FEATURES}

# --- end of Doors ---

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "log"
LOGOUT_REDIRECT_URL = "login"

# --- Languages ---
# English is the source: every message is written in English and marked for translation; the
# catalogs of the others are in locale/<language>/LC_MESSAGES (`make messages` updates them,
# `manage.py compile_translations` compiles them, as `make run` and `make test` do). A person
# picks theirs at sign-up and in Settings; before that, the browser's (Accept-Language).
LANGUAGE_CODE = "en"
# Every language Twitchlog has a catalog for, named in its own language.
ALL_LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt-br", "Português (Brasil)"),
]
# The languages whose catalogs are translated in full: only these are offered (the browser's
# Accept-Language, sign-up, Settings, the Report page's summary language). A language is added
# here when its translation lands, and tests/test_catalogs.py then holds it to every message
# translated, nothing fuzzy and `msgfmt --check` clean.
TRANSLATED_LANGUAGES = ["de", "es", "fr", "pt-br"]
LANGUAGES = [
    (code, name) for code, name in ALL_LANGUAGES if code == "en" or code in TRANSLATED_LANGUAGES
]
# Two pseudo-locales made from the catalog by `manage.py compile_translations`, for finding text
# that is not translated and layouts that break: accented and ~40 % longer ("[Ŀöğ ţŵîţçĥ~~~~]"),
# and right to left. Offered only where PSEUDO_LOCALES=1 (and in the tests that use them).
PSEUDO_LANGUAGES = [("en-xa", "[Ƥšéûðö-Éñĝļîšĥ]"), ("ar-xb", "Pseudo right-to-left")]
PSEUDO_LOCALES = env_bool("PSEUDO_LOCALES", False)
if PSEUDO_LOCALES:
    LANGUAGES += PSEUDO_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The server's own zone; every page shows times in the user's profile zone instead.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Chart.js: the pinned CDN copy with SRI, falling back to the vendored copy when the CDN is
# unreachable. Set CHARTJS_URL=local to serve only the vendored copy.
CHARTJS_VERSION = "4.5.1"
CHARTJS_URL = os.environ.get(
    "CHARTJS_URL", f"https://cdn.jsdelivr.net/npm/chart.js@{CHARTJS_VERSION}/dist/chart.umd.min.js"
)
CHARTJS_INTEGRITY = "sha384-jb8JQMbMoBUzgWatfe6COACi2ljcDdZQ2OxczGA3bGNeWe+6DChMTBJemed7ZnvJ"

# Strict CSP: no inline script or style. Every script tag carries the per-request nonce and
# 'strict-dynamic' lets those scripts load others (the Chart.js loader). Browsers with CSP3 ignore
# 'self' and the pinned CDN file under 'strict-dynamic'; they stay for CSP2 browsers, whose
# chart loader would otherwise be refused (csp_evaluator's "medium maybe" on both is explained
# in tests/test_csp.py). Violations are reported to /csp-report/ (diary/views/csp.py).
CSP_REPORT_PATH = "/csp-report/"
_script_src = [CSP.NONCE, CSP.STRICT_DYNAMIC, CSP.SELF]
if CHARTJS_URL.startswith("https://"):
    _script_src.append(CHARTJS_URL)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": _script_src,
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # blob: the page reads a chosen video's length from the file itself before sending it
    # (static/js/clips.js): an object URL of the person's own file, never loaded from elsewhere.
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # report-to names the Reporting-Endpoints entry (diary.middleware.ReportingEndpointsMiddleware);
    # browsers without the Reporting API use report-uri.
    "report-uri": [CSP_REPORT_PATH],
    "report-to": ["csp"],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Password-reset mail: SMTP (EMAIL_HOST, required in production); printed to the console in
# development unless EMAIL_HOST is set.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                # No default: `check --deploy` fails without a host (diary/checks.py).
                "host": os.environ.get("EMAIL_HOST", ""),
                "port": int(os.environ.get("EMAIL_PORT", 25)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # Mail goes out after the response, but a dead server must not hold a worker.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", 10)),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Twitchlog <noreply@localhost>")

# Uploads (the import): files over 2.5 MB go to a temporary file instead of memory; other
# form data stays small. An import file may be up to IMPORT_MAX_BYTES: the upload handler of
# /import/ stops reading past it and says so. A checked upload waits for its confirmation in
# IMPORT_STAGING_DIR (a private directory; default: the system temp dir).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# 32 MB: a 50,000-episode diary exports to 21 MB and must import again; checking a file this
# size holds its episodes (~1 KB each) and its bytes, well under 200 MB of a worker.
IMPORT_MAX_BYTES = 32 * 1024 * 1024
IMPORT_STAGING_DIR = os.environ.get("IMPORT_STAGING_DIR", "")

# --- Clips: videos and photos of a twitch (diary/clips/) ---

# Local files by default, in a private folder: nothing under it is ever served by a URL of its
# own (there is no MEDIA_URL route); a view hands each file to its owner, or through a live share
# link that includes clips. With CLIPS_S3_BUCKET they go to S3-compatible object storage
# instead (django-storages), which several app servers and task workers share.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
CLIPS_S3_BUCKET = os.environ.get("CLIPS_S3_BUCKET", "")
if CLIPS_S3_BUCKET:
    # Credentials come the way boto3 finds them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in
    # the environment, a profile, or the machine's role. Never in the repository.
    STORAGES["clips"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CLIPS_S3_BUCKET,
            "location": os.environ.get("CLIPS_S3_PREFIX", "clips"),
            "endpoint_url": os.environ.get("CLIPS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CLIPS_S3_REGION") or None,
            "addressing_style": os.environ.get("CLIPS_S3_ADDRESSING_STYLE") or None,
            # Private objects, no public ACL; every name is a new clip's uuid, so no existence
            # check before a write.
            "default_acl": None,
            "file_overwrite": True,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["clips"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": MEDIA_ROOT / "clips",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# One upload (a phone's 30 s video in 4K is about 100-200 MB); bigger ones are stopped while
# they arrive, on their way to a temporary file (never held in memory).
CLIP_MAX_UPLOAD_BYTES = int(os.environ.get("CLIP_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
# The longest video kept; a longer one is refused with a message (never cut short silently).
CLIP_MAX_SECONDS = 30
# Per person, what their kept clips may take in storage (a 30 s video is kept in under 5 MB).
CLIP_QUOTA_BYTES = int(os.environ.get("CLIP_QUOTA_BYTES", 1024 * 1024 * 1024))
# Videos and photos per episode.
CLIPS_PER_EPISODE = int(os.environ.get("CLIPS_PER_EPISODE", 5))
# --- Background work: the task queue and the scheduler ---

# Django's tasks framework with an ORM-backed queue (django-tasks-db): tasks wait in a table of
# this database, and `manage.py db_worker` processes run them, as many as you like, on any
# machine that reaches the database. `manage.py crontask` (django-crontask) is the scheduler:
# it enqueues the tasks marked @cron (the reminders' round, every minute). Run exactly one
# scheduler; an extra one only enqueues rounds twice, and a round never sends twice.
INSTALLED_APPS += ["django_tasks_db", "crontask"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Reminders by Web Push and e-mail (diary/reminders/). The VAPID key pair that signs every push
# is made once by `manage.py vapid_keys` and kept in the database, or given here (the output
# of `manage.py vapid_keys --print`); never in the repository.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
# Who runs this server, for the push services (RFC 8292 "sub"): a mailto: or https: URL.
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@localhost")
# The push services a browser's subscription may point at (origins, "*" for any part of a
# name): the workers POST to the stored endpoint, so nothing else may be stored. These are the
# services of Chrome and Android, Firefox, Safari and iOS, and Edge on Windows.
PUSH_SERVICES = env_list(
    "PUSH_SERVICES",
    "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,"
    "https://web.push.apple.com,https://*.notify.windows.com",
)
# Where the server is reached, for links in mails sent by a worker (it has no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- end of Background work ---

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The doctor summary's PDFs are compiled in renderer processes, never in a web worker
# (diary/report/renderers.py): at most PDF_RENDERERS per web worker, each recycled after
# PDF_RENDERER_DOCUMENTS documents or once it has grown past PDF_RENDERER_MAX_MB; a PDF that
# takes over PDF_RENDER_TIMEOUT seconds (under gunicorn's 30 s) gives up with a calm page.
PDF_RENDERERS = int(os.environ.get("PDF_RENDERERS", 1))
# Started with each web worker (twitchlog/wsgi.py), so the first PDF does not wait for one.
PDF_RENDERERS_AT_START = env_bool("PDF_RENDERERS_AT_START", True)
PDF_RENDERER_DOCUMENTS = int(os.environ.get("PDF_RENDERER_DOCUMENTS", 50))
PDF_RENDERER_MAX_MB = int(os.environ.get("PDF_RENDERER_MAX_MB", 400))
PDF_RENDER_TIMEOUT = int(os.environ.get("PDF_RENDER_TIMEOUT", 25))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes logs every login at INFO; lockouts are warnings and still show.
    # The scheduler (APScheduler) logs every run of every job at INFO: once a minute or more.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},
    },
}
