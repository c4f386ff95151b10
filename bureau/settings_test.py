"""Test settings: only overrides (STYLE §9). The database and REDIS_URL still
come from the environment, so the same suite runs on SQLite or PostgreSQL."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-not-secret-Qm8vT2xZr5LwK0pN4dHs7JcFy1UeBg6A"
)
os.environ.setdefault("PII_SM4_KEY", "0123456789abcdeffedcba9876543210")
# The former Fernet key, so tests can hold values written before SM4.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM="
)

from bureau.settings import *  # noqa: E402,F403
from bureau.settings import REDIS_URL  # noqa: E402

# Under pytest-xdist (`make test` runs the suite in parallel) each worker
# process gets its own media directory, SQLite file and Redis database;
# pytest-django gives each its own PostgreSQL test database (test_<name>_gw0…).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_INDEX = int(XDIST_WORKER[2:]) if XDIST_WORKER.startswith("gw") else 0


def _worker_redis_url(url: str, index: int) -> str:
    """`url` with its database number moved up by the worker's index
    (redis://host:6379/8 → /9 for gw1), so workers never share keys."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if not index or parts.scheme not in ("redis", "rediss"):
        return url
    base = int(parts.path.strip("/") or 0)
    if base + index > 15:
        raise ValueError(
            f"REDIS_URL {url!r}: worker {XDIST_WORKER} would need Redis database "
            f"{base + index}; start from a lower number or run fewer workers"
        )
    return urlunsplit(parts._replace(path=f"/{base + index}"))


REDIS_URL = _worker_redis_url(REDIS_URL, _WORKER_INDEX) if REDIS_URL else REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database whatever REDIS_URL says: the suite's query counts
# are the same on SQLite and PostgreSQL.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The cache outlives each test's rolled-back data: tests of the dashboard
# cache turn it on themselves.
INDICATOR_DASHBOARD_CACHE_SECONDS = 0
# Unit tests run tasks in-process; tests/test_celery_worker.py talks to a real
# worker through REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / (  # noqa: F405
    f"test-media-{XDIST_WORKER}" if XDIST_WORKER else "test-media"
)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# A file, not memory, so a real Celery worker process can open the same test
# database (tests/test_celery_worker.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process, so parallel runs do not share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test_db_{os.getpid()}.sqlite3")  # noqa: F405
    }
# The suite logs in as staff and others with a password alone; the MFA tests
# turn it on themselves.
MFA_REQUIRED_ROLES = []
# A second alias for the read-replica router's tests (bureau/tests/
# test_operations.py): it mirrors the test database, and reads go to it only
# where a test turns REPLICA_READS on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READS = False
