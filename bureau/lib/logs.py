"""Logging for operations: one line per record, plain text in development and
JSON in production (LOG_FORMAT=json), each carrying the id of the request that
caused it. The id travels with the Celery tasks a request queues, so a task's
log lines can be joined to the request that queued it."""

from __future__ import annotations

import logging
from typing import Any

from bureau.lib.request_context import current_request_id

TASK_HEADER = "request_id"


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record ('-' outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """The LOGGING dict: `fmt` is "json" or "plain"."""
    formatters: dict[str, dict[str, Any]] = {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "json_ensure_ascii": False,
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
            "timestamp": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "bureau.lib.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if fmt == "json" else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }


# --- Celery: the request id rides in the message headers ---------------------


def stamp_task_headers(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """before_task_publish: copy the current request id into the message."""
    request_id = current_request_id.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def adopt_task_request_id(task: Any = None, **_: Any) -> None:
    """task_prerun: the task's log lines carry the id of the request that
    queued it (or the task's own id when nothing queued it from a request)."""
    request = getattr(task, "request", None)
    request_id = getattr(request, TASK_HEADER, None) or getattr(request, "id", None)
    token = current_request_id.set(request_id)
    if request is not None:
        request._request_id_token = token


def drop_task_request_id(task: Any = None, **_: Any) -> None:
    """task_postrun: forget the id again (a worker runs many tasks)."""
    token = getattr(getattr(task, "request", None), "_request_id_token", None)
    if token is not None:
        try:
            current_request_id.reset(token)
        except ValueError:  # set in another context (eager run inside a request)
            current_request_id.set(None)
