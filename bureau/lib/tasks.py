from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> None:
    """Queue `task` now. If the broker is unreachable, log it and carry on:
    the write that asked for the task has already been stored, and the
    periodic sweeps pick up what was not sent."""
    try:
        task.delay(*args)
    except Exception:  # kombu raises several unrelated types when Redis is down
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.exception("Could not queue %s%r; a sweep will retry it", task.name, args)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue `task` once the current transaction commits (never for a write
    that was rolled back)."""
    transaction.on_commit(lambda: enqueue(task, *args))
