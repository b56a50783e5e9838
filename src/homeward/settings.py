"""Settings, read from the environment through small typed helpers that fail loudly.

HOMEWARD_DATABASE_URL (or DATABASE_URL) selects the database; without either, an SQLite file
under var/ is used, which is what `make demo` runs on.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("HOMEWARD_DEBUG")
# An insecure key is only acceptable where nothing real is stored: the demo and the tests.
SECRET_KEY = env_str("HOMEWARD_SECRET_KEY", "insecure-demo-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("HOMEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Before django_tasks_db: its `db_worker` command (a heartbeat, and recovery of the jobs of
    # a worker that died) is the one `homeward db_worker` runs.
    "homeward.jobs",
    "django_tasks",
    "django_tasks_db",
    "homeward.access",
    "homeward.audit",
    "homeward.places",
    "homeward.people",
    "homeward.rights",
    "homeward.messaging",
    "homeward.visits",
    "homeward.interop",
    "homeward.duplicates",
    "homeward.returns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself (no separate file server to run); right after
    # the security middleware so that they still get its headers and HTTPS redirect.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.access.mfa.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "homeward.access.sessions.SessionLifetimeMiddleware",
    "homeward.access.sessions.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "homeward.access.context_processors.membership",
            ],
        },
    },
]

_database_url = os.environ.get("HOMEWARD_DATABASE_URL") or os.environ.get("DATABASE_URL")
if not _database_url:
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _database_url or f"sqlite:///{PROJECT_DIR / 'var' / 'homeward.sqlite3'}",
        # Persistent connections are worth it behind a WSGI server; off by default.
        conn_max_age=int(os.environ.get("HOMEWARD_DB_CONN_MAX_AGE", "0")),
        # A kept connection that the server dropped (restart, failover) is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock the account, not the address: field offices share one public IP.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that without the IP an attacker could rotate cookies or user agents; the lock
# here is on the account, which no rotation changes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after 30 idle minutes (the cookie is renewed on every request) or 12 hours
# after sign-in whatever the activity (SessionLifetimeMiddleware), as ASVS level 2 asks.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = datetime.timedelta(hours=12)
# Every staff account signs in with a password and a TOTP code (homeward/access/mfa.py).
OTP_TOTP_ISSUER = "Homeward"

# Content-Security-Policy on every response (django-csp 4): scripts and style sheets from this
# site's own files only — no inline <script>, no on*= handler, no style attribute or <style>
# element, no eval — so that text someone managed to inject into a page cannot run. The
# interactive API docs (/api/v1/docs) are django-ninja's bundled Swagger UI, served from here
# too; its style sheet uses data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Messages to households and staff: the console backend logs them; "homeward.messaging.backends.
# FileBackend" appends them to HOMEWARD_OUTBOX_DIR/outbox.jsonl; an SMS gateway is one more class.
HOMEWARD_MESSAGE_BACKEND = env_str(
    "HOMEWARD_MESSAGE_BACKEND", "homeward.messaging.backends.ConsoleBackend"
)
HOMEWARD_OUTBOX_DIR = env_str("HOMEWARD_OUTBOX_DIR", str(BASE_DIR.parent.parent / "var" / "outbox"))

# Background jobs (convoy planning, deduplication) wait in the database for `homeward
# db_worker`; HOMEWARD_JOBS=immediate runs them inside the request instead (tests use it).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("HOMEWARD_JOBS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# A running job whose heartbeat is older than this lost its worker: it is run again once, or
# failed. /healthz reports the worker as down past the same age. Workers beat every few seconds.
HOMEWARD_WORKER_STALE_SECONDS = int(env_str("HOMEWARD_WORKER_STALE_SECONDS", "60"))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hy", _("Armenian")),
    ("ru", _("Russian")),
    # Azerbaijani: place names are shown in it; the interface text falls back to English.
    ("az", _("Azerbaijani")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Yerevan"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `homeward collectstatic` puts the files WhiteNoise serves in production.
STATIC_ROOT = Path(env_str("HOMEWARD_STATIC_ROOT", str(PROJECT_DIR / "var" / "static")))
# Production (HOMEWARD_HTTPS=1) serves collected files under content-hashed, compressed names,
# cached for a year by browsers. Elsewhere (the demo, the tests, a local gunicorn) WhiteNoise
# finds them in the source tree as they change, so nothing needs collecting first.
PRODUCTION = env_bool("HOMEWARD_HTTPS", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Keys for sensitive fields at rest (homeward/encryption.py). The defaults are fixed
# demonstration keys: the demo and the tests hold synthetic data only.
HOMEWARD_FIELD_KEYS = env_str(
    "HOMEWARD_FIELD_KEYS", "demo:ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLTMyYnl0ZXM="
)
HOMEWARD_LOOKUP_KEY = env_str("HOMEWARD_LOOKUP_KEY", "ZGVtby1sb29rdXAta2V5LWRvLW5vdC11c2UtMzJieXQ=")
# The audit chain's HMAC keys (homeward/audit/keys.py), "id:base64,id:base64", the current one
# first; older ones stay listed to verify the rows keyed with them. Held outside the database,
# so that whoever can write to the database cannot recompute the chain's hashes.
_DEMO_AUDIT_KEY = "ZGVtby1hdWRpdC1jaGFpbi1rZXktbm90LXNlY3JldCE="
HOMEWARD_AUDIT_KEYS = env_str("HOMEWARD_AUDIT_KEYS", f"demo:{_DEMO_AUDIT_KEY}")
if env_bool("HOMEWARD_HTTPS", default=False) and _DEMO_AUDIT_KEY in HOMEWARD_AUDIT_KEYS:
    raise ImproperlyConfigured("Set HOMEWARD_AUDIT_KEYS (the audit chain's key) in production")

# The Host header a proxy passed on in X-Forwarded-Host is trusted only when asked for: a proxy
# that does not overwrite it would let any client choose the host of password-reset links.
USE_X_FORWARDED_HOST = env_bool("HOMEWARD_USE_X_FORWARDED_HOST", default=False)

# Production: served over HTTPS (behind a proxy that sets X-Forwarded-Proto) with a real key.
# docs/operations.md says how to run it.
if PRODUCTION:
    if SECRET_KEY.startswith("insecure-"):
        raise ImproperlyConfigured("Set HOMEWARD_SECRET_KEY (50+ random characters) in production")
    if HOMEWARD_FIELD_KEYS.startswith("demo:") or "HOMEWARD_LOOKUP_KEY" not in os.environ:
        raise ImproperlyConfigured("Set HOMEWARD_FIELD_KEYS and HOMEWARD_LOOKUP_KEY in production")
    if "HOMEWARD_ALLOWED_HOSTS" not in os.environ:
        # The demo's loopback names would let the server answer under a name nobody chose.
        raise ImproperlyConfigured("Set HOMEWARD_ALLOWED_HOSTS (the names the site is served at)")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # The proxy terminates TLS and says so in X-Forwarded-Proto; it must set (not pass on) it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer probes the processes directly over plain HTTP: answer, do not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOMEWARD_LOG_LEVEL", "WARNING")},
}
