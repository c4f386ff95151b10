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
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
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
