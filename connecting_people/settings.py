"""Settings for Connecting People, read from the environment.

Development needs nothing set: ``make run`` sets ``DJANGO_DEBUG=1`` and uses a
SQLite file. With DEBUG off (production) the app refuses to start unless
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL`` are set.
Every variable is documented in ``.env.example`` and the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    """An on/off variable. A value that is neither (``flase``, ``enabled``) stops
    start-up naming the variable, rather than silently reading as off."""
    value = env_str(name).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(sorted(TRUE_WORDS))} (on) or "
        f"{', '.join(sorted(FALSE_WORDS))} (off), not {env_str(name)!r}."
    )


def env_int(name, default):
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_share(name, default):
    """A share between 0 and 1, e.g. ``0.75``."""
    value = env_str(name)
    if not value:
        return default
    try:
        share = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, not {value!r}.") from exc
    if not 0 <= share <= 1:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, not {value!r}.")
    return share


def env_list(name, default=()):
    value = env_str(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name):
    """Return a variable that production cannot run without, or stop with its name."""
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when DJANGO_DEBUG is off. "
            "See .env.example."
        )
    return value


DEBUG = env_bool("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [env_required("DJANGO_ALLOWED_HOSTS")]
    env_required("DATABASE_URL")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    # Our apps, in the one direction imports may flow (DESIGN.md §6).
    "core",
    "accounts",
    "toolkit",
    "community",
    "caseload",
    "networks",
    "goals",
    "outcomes",
    "safety",
    "workflow",
    "connecting_people",
    # Volume data and benchmark commands; never imported by the apps above.
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "connecting_people.middleware.AdminInlineStyleMiddleware",
    # Below whitenoise, so static files stay cacheable; above everything that
    # can answer for a signed-in user.
    "connecting_people.middleware.NoStoreForSignedInMiddleware",
    "connecting_people.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After a write, this browser's report pages read from the primary for a few seconds.
    "core.replica.ReadYourWritesMiddleware",
    "connecting_people.middleware.AccessDeniedLogMiddleware",
    "connecting_people.middleware.MethodNotAllowedPageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "connecting_people.urls"
WSGI_APPLICATION = "connecting_people.wsgi.application"
ASGI_APPLICATION = "connecting_people.asgi.application"

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
                "connecting_people.context_processors.navigation",
            ],
            # |date remembered for plain dates (core/templatetags/core_dates.py).
            "builtins": ["core.templatetags.core_dates"],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise.
#
# Behind PgBouncer in transaction-pooling mode (DATABASE_PGBOUNCER=1) each
# transaction may run on a different server connection, so server-side cursors
# (which live across transactions, for .iterator()) are turned off. Connections
# to PgBouncer are kept DJANGO_CONN_MAX_AGE seconds (0: one per request) and
# health-checked before reuse, so a restarted pooler or database costs one
# retried connection, not an error page.
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER")


def database_from_url(url):
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASE_PGBOUNCER and "postgresql" in config["ENGINE"]:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}

# A streaming read replica for reports (the supervisor dashboard, agency
# reports, exports of aggregates): see connecting_people/db_routers.py. Without
# DATABASE_REPLICA_URL there is no "replica" alias and everything uses the
# primary. Tests point the alias at the primary's test database (MIRROR).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_from_url(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
# Seconds a replica stays marked down after a failed connection (reports use the
# primary meanwhile), and how long after a write a user's reads stay on the primary.
CP_REPORT_DATABASE = "replica" if DATABASE_REPLICA_URL else None
CP_REPLICA_RETRY_SECONDS = env_int("CP_REPLICA_RETRY_SECONDS", 30)
CP_READ_YOUR_WRITES_SECONDS = env_int("CP_READ_YOUR_WRITES_SECONDS", 10)
DATABASE_ROUTERS = ["core.replica.ReportReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds sign-in rate limits and the TOTP codes already used, so it must
# be shared by every app instance: a database table (created by a migration).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cp_cache",
    },
    # Copies of ORUK feed pages (public data, the same for everyone), in each app
    # instance's memory: apart from the shared cache, so requests for many
    # different pages can never push out the sign-in limits kept there.
    "feed": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cp-oruk-feed",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    # Page parts kept while the records they show are unchanged (the board;
    # core.remember.kept_while): in the database, so every app instance reuses
    # the same copy, and apart from the shared cache, so they never push its
    # sign-in limits out.
    "kept": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cp_kept_parts",
        # A journey for each open case and a board for each worker, with room to spare.
        "OPTIONS": {"MAX_ENTRIES": env_int("CP_KEPT_PARTS_MAX", 100000)},
    },
}

# Accounts and sign-in
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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

# django-allauth: sign-in by username and password, then a second factor (TOTP,
# a recovery code or a passkey/security key) for anyone who has one. Accounts are
# made by administrators: no sign-up. Lockout is django-axes's job, so allauth's
# own failed-login limit is off (login_failed).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Connecting People"
# Accept the code before and after the current one (clock drift, slow typing).
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "accounts.forms.SecondFactorForm",
    "authenticate_webauthn": "accounts.forms.SecurityKeyForm",
    "login_webauthn": "accounts.forms.PasskeySignInForm",
    "reauthenticate_webauthn": "accounts.forms.SecurityKeyConfirmForm",
    "add_webauthn": "accounts.forms.AddSecurityKeyForm",
}
# WebAuthn needs HTTPS, except on http://localhost during development and tests.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG and env_bool("CP_WEBAUTHN_ALLOW_INSECURE_ORIGIN", True)
USERSESSIONS_TRACK_ACTIVITY = False  # accounts.middleware.SessionActivityMiddleware does it

# Sessions end after 30 minutes idle (the cookie is renewed on each request)
# and after 12 hours at most (accounts.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_LIFETIME = timedelta(hours=env_int("DJANGO_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Browsers keep nothing: a signed-in session's pages are never cached
# (connecting_people.middleware.NoStoreForSignedInMiddleware).
# In production the cookies are bound to this host and HTTPS (__Host- prefix).
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# django-axes: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Internationalisation: UK English, UK time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"

# Static files: our own assets plus Bootstrap from node_modules (npm ci).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Connecting People <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy (django-csp): our own files only, no inline code, no
# nonces (nothing needs one). Bootstrap's CSS draws a few icons as data: images,
# hence img-src data:. The Django admin's scripts set inline styles, so its
# pages alone also allow inline styles (AdminInlineStyleMiddleware), never scripts.
# CP_CSP_REPORT_ONLY=1 sends the same policy as report-only (to try a change).
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if env_bool("CP_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = _CSP

# Security. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# /healthz is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "connecting_people.access_denied": {"level": "WARNING"},
    },
}


def env_years(name, default):
    """A retention period in whole years; ``none`` (or ``off``) means the agency
    keeps that kind of record with no period (``apply_retention`` leaves it)."""
    if env_str(name).lower() in ("none", "off"):
        return None
    return env_int(name, default)


# Product settings
CONNECTING_PEOPLE = {
    "NO_CONTACT_DAYS": env_int("CP_NO_CONTACT_DAYS", 28),
    "REVIEW_INTERVAL_WEEKS": env_int("CP_REVIEW_INTERVAL_WEEKS", 8),
    # How long the supervisor dashboard's figures are kept before they are
    # counted again (0: count on every visit). The page says when they were counted.
    "DASHBOARD_FIGURES_SECONDS": env_int("CP_DASHBOARD_FIGURES_SECONDS", 300),
    # How long a page part kept while its records are unchanged (the board, the
    # journey) may be reused at most (0: work it out on every visit). It is never
    # out of date: any change to the people it shows, a new day (the board) or
    # new settings and it is worked out again. The keep_ahead job keeps them ready.
    "KEPT_PARTS_SECONDS": env_int("CP_KEPT_PARTS_SECONDS", 7 * 24 * 3600),
    "ORUK_FEED_PUBLIC": env_bool("CP_ORUK_FEED_PUBLIC", default=True),
    # How long each app instance keeps a copy of an ORUK feed page it has built
    # (0: build every request). The feed may be this far behind the directory;
    # people in the app always see the directory itself.
    "ORUK_FEED_CACHE_SECONDS": env_int("CP_ORUK_FEED_CACHE_SECONDS", 60),
    # Who must use a second factor: roles from worker, supervisor, curator, admin;
    # "all" for everyone, "none" for no one.
    "MFA_REQUIRED": env_list("CP_MFA_REQUIRED", ["supervisor", "curator", "admin"]),
    # The agency's retention schedule, in years (README, "Retention"). Each
    # agency sets its own; these defaults follow common UK social-care practice.
    "RETENTION": {
        "closed_case_years": env_years("CP_RETENTION_CLOSED_CASE_YEARS", 8),
        "referral_not_taken_on_years": env_years("CP_RETENTION_REFERRAL_YEARS", 2),
        "audit_event_years": env_years("CP_RETENTION_AUDIT_YEARS", 8),
    },
    # Practice fidelity (README, "Practice fidelity"): a person whose share of due
    # components present is at least this is "high"; below it, "low or moderate".
    "FIDELITY_HIGH_THRESHOLD": env_share("CP_FIDELITY_HIGH_THRESHOLD", 0.75),
    # Closed cases count in fidelity figures for this many days after closing.
    "FIDELITY_CLOSED_DAYS": env_int("CP_FIDELITY_CLOSED_DAYS", 365),
    # Where `manage.py backup` writes (README, "Backups").
    "BACKUP_DIR": Path(env_str("CP_BACKUP_DIR") or BASE_DIR / "backups"),
}
_unknown_roles = set(CONNECTING_PEOPLE["MFA_REQUIRED"]) - {
    "worker",
    "supervisor",
    "curator",
    "admin",
    "all",
    "none",
}
if _unknown_roles:
    raise ImproperlyConfigured(
        f"CP_MFA_REQUIRED: unknown role(s) {', '.join(sorted(_unknown_roles))}; use worker, "
        "supervisor, curator, admin, all or none."
    )
