"""Settings for the bureau platform.

Everything that changes per deployment is read from the environment (see
.env.example). With no DATABASE_URL the app runs on a SQLite file; with no
REDIS_URL Celery runs tasks eagerly and the cache is local memory.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bureau.lib import deploy
from bureau.lib.env import env_bool, env_int, env_list, env_secret, env_str
from bureau.lib.keys import secret_key_weakness
from bureau.lib.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BUREAU_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set; set it (or SECRET_KEY_FILE) when DEBUG is off"
        )
    # Development only: keep one random key per checkout so sessions survive
    # restarts of `make run`.
    _key_file = VAR_DIR / "dev_secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
if not DEBUG and (_weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {_weakness}. Generate one with: python -c "
        '"import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "bureau",
    "enterprises",
    "projects",
    "indicators",
    "talent",
]

MIDDLEWARE = [
    "bureau.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # JSON API answers only: pages carry CSRF tokens (BREACH).
    "bureau.middleware.ApiGZipMiddleware",
    "bureau.middleware.ApiJsonErrorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bureau.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "bureau.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bureau.middleware.RequestContextMiddleware",
    "bureau.middleware.LockConflictPageMiddleware",
    "bureau.middleware.SiteNotFoundPageMiddleware",
]
# True: with DEBUG on, a 404 shows Django's technical page (every URL pattern).
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)
CSRF_FAILURE_VIEW = "bureau.views.csrf_failure"

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bureau.context_processors.navigation",
            ],
        },
    },
]

# Forms render with Django's templates, except <select>, drawn in Python
# (bureau.lib.renderers: the district's 300 streets cost a list page 100 ms).
FORM_RENDERER = "bureau.lib.renderers.FormRenderer"

# --- Database ---------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from None
    if not _db.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL has an unknown scheme")
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast (and let /healthz answer 503 quickly) when PostgreSQL is down.
        _db.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
        )
        _db["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 20},
    }
if env_str("DATABASE_POOLER") == "pgbouncer":  # transaction mode (deploy/)
    _db = deploy.behind_pgbouncer(_db)
DATABASES = {"default": _db}
# Dashboards, reports and exports read from a replica when there is one.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = deploy.replica_database(env_str("DATABASE_REPLICA_URL"), _db)
DATABASE_ROUTERS = ["bureau.lib.routers.ReplicaRouter"]
REPLICA_READS = "replica" in DATABASES
REPLICA_READ_VIEWS = env_list(
    "REPLICA_READ_VIEWS",
    [
        "dashboard",
        "dashboard-export",
        "dashboard-indicator",
        "work-summary",
        "audit-export",
        "indicators:dashboard",
    ],
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, passwords, login ------------------------------------------------

AUTH_USER_MODEL = "bureau.User"
AUTHENTICATION_BACKENDS = ["bureau.backends.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "bureau.validators.RoleMinimumLengthValidator"},
    {"NAME": "bureau.validators.CharacterClassesValidator"},
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "bureau.passwords.PasswordHistoryValidator"},
]

# Lockout after repeated failures (counted in the database, so it holds with
# Redis down): LOGIN_FAILURE_LIMIT consecutive failures within
# LOGIN_FAILURE_WINDOW lock the username for LOGIN_LOCK_DURATION.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = timedelta(
    minutes=env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
)
LOGIN_LOCK_DURATION = timedelta(minutes=env_int("LOGIN_LOCK_MINUTES", 15, minimum=1))

# An account nobody has logged in to for this many days (counted from its
# creation if it never logged in) is disabled by the nightly task
# bureau.accounts_dormant_disable; the three administrator roles are exempt.
ACCOUNT_DORMANT_DAYS = env_int("ACCOUNT_DORMANT_DAYS", 90, minimum=1)

# The password lifecycle (bureau/passwords.py). A password expires after this
# many days (0: never): "bureau" is every role but enterprises and experts,
# "outside" those two. None of the last PASSWORD_HISTORY passwords may be
# chosen again. A reset link (e-mailed) works once, for PASSWORD_RESET_TIMEOUT
# seconds.
PASSWORD_MAX_AGE_DAYS = {
    "bureau": env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=0),
    "outside": env_int("PASSWORD_MAX_AGE_DAYS_OUTSIDE", 0, minimum=0),
}
PASSWORD_HISTORY = env_int("PASSWORD_HISTORY", 5, minimum=0)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 1800, minimum=60)
# Enterprise self-registration: requests per client address, "N/second|
# minute|hour|day" (counted in the cache).
REGISTRATION_RATE = env_str("REGISTRATION_RATE", "5/hour")
# Accounts issued from the roster in one action (each hashes a password).
BULK_ACCOUNTS_MAX = env_int("BULK_ACCOUNTS_MAX", 100, minimum=1)

# Tasks and the deadline calendar (bureau/services/tasks.py). An unfinished
# task's owners are reminded TASK_REMINDER_DAYS days before its due date, on
# the day and once when it is overdue; a task may be owned by one of the
# TASK_SECTIONS (科室), whose reminders go to the section heads and the
# person who assigned it.
TASK_REMINDER_DAYS = env_int("TASK_REMINDER_DAYS", 3, minimum=1)
TASK_SECTIONS = env_list(
    "TASK_SECTIONS",
    ["办公室", "高新技术科", "科技创新科", "产学研合作科", "科普与人才科"],
)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Only honour X-Forwarded-For (for the audit log's IP address) behind a proxy
# that sets it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# --- Internationalisation ---------------------------------------------------

LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, "
        f"got {LANGUAGE_CODE!r}"
    )
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE is not a known time zone: {TIME_ZONE!r}"
    ) from None
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads on S3-compatible object storage (OSS, COS, MinIO) instead of this disk.
if env_str("MEDIA_STORAGE_URL"):
    STORAGES["default"] = deploy.media_storage(env_str("MEDIA_STORAGE_URL"))

# --- Cache, Redis and Celery ------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}"
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions read from the shared cache, written through to the database (one
    # query less a page; all web nodes see an ended session). Not without Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
# Publishing must not hang a web request when Redis is down: fail fast, and let
# the periodic sweeps pick the work up later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_QUEUE_NAMES = deploy.CELERY_QUEUES
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = deploy.CELERY_ROUTES

# --- E-mail -----------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first, so an anonymous API call is a 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bureau.passwords.PasswordPolicyTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "bureau.lib.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "bureau.lib.schema.AutoSchema",
    "EXCEPTION_HANDLER": "bureau.lib.drf.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "bureau.lib.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}

# A JSON body nested deeper than this is a 400 (bureau.lib.parsers.JSONParser).
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32, minimum=4)

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10, minimum=1)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env_int("API_TOKEN_LIMIT_PER_USER", 10, minimum=1),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "区县科技局业务平台 API / District S&T Bureau Platform API",
    "DESCRIPTION": "Every path starts with /api/v1/. Authenticate with "
    "POST /api/v1/auth/token/ and send `Authorization: Token <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# The schema and docs describe the API's shape, not its data: public by default
# so client developers can read them; set API_DOCS_PUBLIC=false to require login.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", True)
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = [
    "rest_framework.permissions.AllowAny"
    if API_DOCS_PUBLIC
    else "rest_framework.permissions.IsAuthenticated"
]

# --- Personal data at rest (国密: SM4 and SM3) --------------------------------
# PII_SM4_KEY: one or more comma-separated SM4 keys, 32 hex digits each; the
# first encrypts, all decrypt (rotation; then run `manage.py pii_reencrypt`).
# Generate one with  python -c "import os; print(os.urandom(16).hex())"
# FIELD_ENCRYPTION_KEY: the Fernet key(s) of values written before SM4; needed
# only until `pii_reencrypt` has rewritten them.
# PII_HASH_KEY: the key of the searchable HMAC-SM3; keep it when rotating.


def _key_list(raw: str) -> list[str]:
    return [k.strip() for k in raw.split(",") if k.strip()]


def _sm4_keys() -> list[str]:
    raw = env_secret("PII_SM4_KEY")
    if not raw:
        if not DEBUG:
            raise ImproperlyConfigured(
                "PII_SM4_KEY is not set; set it (or PII_SM4_KEY_FILE) when DEBUG is off"
            )
        key_file = VAR_DIR / "dev_sm4_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(16), encoding="utf-8")
        raw = key_file.read_text(encoding="utf-8").strip()
    keys = _key_list(raw)
    for key in keys:
        try:
            if len(bytes.fromhex(key)) != 16:
                raise ValueError
        except ValueError:
            raise ImproperlyConfigured(
                "PII_SM4_KEY must be 32 hexadecimal digits (a 128-bit SM4 key)"
            ) from None
    return keys


def _legacy_fernet_keys() -> list[str]:
    raw = env_secret("FIELD_ENCRYPTION_KEY")
    dev_file = VAR_DIR / "dev_field_key"
    if not raw and DEBUG and dev_file.exists():
        raw = dev_file.read_text(encoding="utf-8").strip()
    keys = _key_list(raw)
    from cryptography.fernet import Fernet

    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY must be 32 url-safe base64-encoded bytes (a Fernet key)"
            ) from None
    return keys


PII_SM4_KEYS = _sm4_keys()
FIELD_ENCRYPTION_KEYS = _legacy_fernet_keys()
PII_HASH_KEY = (
    env_secret("PII_HASH_KEY")
    or "pii-hash:" + (FIELD_ENCRYPTION_KEYS or PII_SM4_KEYS)[0]
)

# --- Business rules (RULES.md [I]/[U] readings) ----------------------------
# Expert review panels, vouchers and rewards, talent, indicator lists, the
# eligibility and ladder rules and the calculators' dated national rules live
# in bureau/settings_rules.py; settings_test.py may still override them.
from bureau.settings_rules import *  # noqa: E402,F403

# --- Uploads ----------------------------------------------------------------

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
# Per application: how many attachments, and how many MB in all.
APPLICATION_MAX_ATTACHMENTS = env_int("APPLICATION_MAX_ATTACHMENTS", 20, minimum=1)
APPLICATION_MAX_ATTACHMENTS_MB = env_int(
    "APPLICATION_MAX_ATTACHMENTS_MB", 50, minimum=1
)
MEDIA_URL = (
    "/media-not-served/"  # uploads are served only through views that check access
)

# --- Indicators -------------------------------------------------------------
# The finished dashboard is kept in the cache for this long at most (it is
# dropped at once when indicator data change); 0 turns the cache off.
INDICATOR_DASHBOARD_CACHE_SECONDS = env_int(
    "INDICATOR_DASHBOARD_CACHE_SECONDS", 3600, minimum=0
)
# Imports larger than this many rows run as a Celery task with progress.
INDICATOR_IMPORT_ASYNC_ROWS = env_int("INDICATOR_IMPORT_ASYNC_ROWS", 2000, minimum=1)
# Every Excel import (roster, indicators) refuses a workbook whose declared or
# counted size passes these, before reading it (a tiny file can declare a huge
# sheet).
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 60000, minimum=1)

# --- Audit trail (等保 2.0: kept at least six months) --------------------------
# Events younger than AUDIT_RETENTION_DAYS can never be archived out of the
# table (`manage.py audit_archive`); 186 days is the floor.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 186, minimum=186)
# The auditor's Excel export holds at most this many events (newest first).
AUDIT_EXPORT_MAX_ROWS = min(
    env_int("AUDIT_EXPORT_MAX_ROWS", 50000, minimum=1), XLSX_MAX_ROWS - 1
)
XLSX_MAX_COLUMNS = env_int("XLSX_MAX_COLUMNS", 60, minimum=1)
# ... and a workbook whose parts unpack past this many MB (a zip bomb).
XLSX_MAX_UNPACKED_MB = env_int("XLSX_MAX_UNPACKED_MB", 200, minimum=1)

# --- Background jobs (exports, the work summary, imports) ---------------------
# An Excel export of more rows than this runs as a Celery task (queue
# "exports") while the page shows its progress; smaller ones download at once.
EXPORT_ASYNC_ROWS = env_int("EXPORT_ASYNC_ROWS", 5000, minimum=0)
# A finished job's file is kept this many hours for its owner, then deleted
# (the bureau.jobs_expire sweep, hourly).
JOB_KEEP_HOURS = env_int("JOB_KEEP_HOURS", 24, minimum=1)

# --- Security headers (production) ------------------------------------------

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# drf-spectacular's deploy-time check repeats the schema's naming warnings,
# which tests/test_api_error_answers.py and the conformance run cover; they
# say nothing of security, so `check --deploy` leaves them out.
SILENCED_SYSTEM_CHECKS = [
    "drf_spectacular.W001",
    # SQLite lacks ValueGroup's covering unique key; its migration makes one.
    "models.W039",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, switched off (bureau.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), usb=(), serial=(), hid=(), "
    "interest-cohort=(), browsing-topics=()"
)

# Content-Security-Policy (django-csp): scripts and styles from our own
# static files only — no inline script, no inline style, no CDN, no eval.
# JavaScript lives in static/js and static/vendor, configured by data-
# attributes; htmx is told not to inject its indicator <style> (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging ----------------------------------------------------------------

# LOG_FORMAT=json for one JSON object per line (with the request id).
LOGGING = logging_config(
    fmt=env_str("LOG_FORMAT", "plain"), level=env_str("LOG_LEVEL", "INFO")
)


# --- Two-factor login and sessions (issue 11 §4–5) --------------------------

INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Idle timeout, one session per administrator, MFA-or-logout (bureau/sessions.py).
MIDDLEWARE += [
    "bureau.middleware.SessionGuardMiddleware",
    # Last: it calls the view itself, inside reading_from_replica().
    "bureau.middleware.ReplicaReadsMiddleware",
]
# Roles that log in with a TOTP code after the password (enrolled at first
# login). Off in development unless set.
MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES",
    []
    if DEBUG
    else [
        "bureau_admin",
        "security_admin",
        "auditor",
        "staff",
        "section_head",
        "leader",
    ],
)
# How long the code step may follow the password step.
MFA_PENDING_SECONDS = env_int("MFA_PENDING_SECONDS", 300, minimum=30)
MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "区县科技局业务平台")
# A session unused this long ends, whatever SESSION_COOKIE_AGE still allows.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_IDLE_MINUTES_ADMIN = env_int("SESSION_IDLE_MINUTES_ADMIN", 15, minimum=1)
