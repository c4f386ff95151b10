"""/healthz: is the database reachable, and the broker?"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database check failed: %s", exc)
        return "error"
    return "ok"


def _check_broker() -> str:
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s", exc)
        return "error"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    broker = _check_broker()
    failing = [
        name
        for name, state in (("database", database), ("broker", broker))
        if state == "error"
    ]
    body: dict[str, str | list[str]] = {
        "status": "ok" if not failing else "error",
        "database": database,
        "broker": broker,
    }
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
