"""Settings for running on more than one machine, each read from one
environment variable and off by default: media on S3-compatible object storage
(MEDIA_STORAGE_URL), a read replica (DATABASE_REPLICA_URL), a connection pooler
in transaction mode (DATABASE_POOLER=pgbouncer) and the Celery queues."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# The Celery queues (README: which worker consumes which) and the routes.
CELERY_QUEUES = ("default", "imports", "exports", "mail", "monitoring")
CELERY_ROUTES: dict[str, dict[str, str]] = {
    "bureau.notification*": {"queue": "mail"},
    "*import*": {"queue": "imports"},
    "*export*": {"queue": "exports"},
    "*summary*": {"queue": "exports"},
    "enterprises.quarterly_monitoring": {"queue": "monitoring"},
    "enterprises.eligibility_snapshots_refresh": {"queue": "monitoring"},
    "enterprises.certifications_expire": {"queue": "monitoring"},
    "enterprises.hnte_missed_reports_revoke": {"queue": "monitoring"},
    "indicators.indicators_recompute": {"queue": "monitoring"},
}

_STORAGE_OPTIONS = {
    # query parameter → S3Storage option
    "endpoint": "endpoint_url",
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
    "custom_domain": "custom_domain",
    "location": "location",
    "querystring_expire": "querystring_expire",
}


def media_storage(url: str) -> dict[str, Any]:
    """STORAGES["default"] for MEDIA_STORAGE_URL, e.g.
    `s3://KEY:SECRET@bucket?endpoint=https://oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou`
    (Alibaba OSS, Tencent COS and MinIO all speak the S3 protocol). Files stay
    private: every link is signed and expires."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL must start with s3://, got {parts.scheme or url!r}"
        )
    if not parts.hostname:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL names no bucket (s3://KEY:SECRET@bucket)"
        )
    options: dict[str, Any] = {
        # The hostname is lower-cased by urlsplit; bucket names are lower-case anyway.
        "bucket_name": parts.hostname,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    for key, values in parse_qs(parts.query).items():
        if key not in _STORAGE_OPTIONS:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE_URL has an unknown parameter {key!r}; known: "
                + ", ".join(sorted(_STORAGE_OPTIONS))
            )
        value: Any = values[-1]
        if key == "querystring_expire":
            value = int(value)
        options[_STORAGE_OPTIONS[key]] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def replica_database(url: str, primary: Any) -> Any:
    """DATABASES["replica"] for DATABASE_REPLICA_URL: the primary's options on
    another host. In tests it mirrors the primary's test database."""
    replica: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
    )
    if replica.get("ENGINE") != primary.get("ENGINE"):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must use the same database engine as DATABASE_URL"
        )
    replica["OPTIONS"] = {**primary.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    replica["CONN_HEALTH_CHECKS"] = primary.get("CONN_HEALTH_CHECKS", False)
    replica["TEST"] = {"MIRROR": "default"}
    return replica


def behind_pgbouncer(db: Any) -> Any:
    """The primary's settings behind pgbouncer in transaction mode: no server-side
    cursors (they live across transactions), no prepared statements, and
    connections kept open by Django since pgbouncer does the pooling."""
    if db.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_POOLER=pgbouncer needs a PostgreSQL DATABASE_URL"
        )
    db["DISABLE_SERVER_SIDE_CURSORS"] = True
    db.setdefault("OPTIONS", {})["prepare_threshold"] = None
    return db
