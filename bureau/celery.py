"""The Celery app. Settings come from Django settings (CELERY_*): a Redis
broker when REDIS_URL is set, eager execution otherwise."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

app = Celery("bureau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_signals() -> None:
    """The request id rides along with each task (bureau/lib/logs.py) and every
    run is counted for /metrics (bureau/metrics.py)."""
    from celery import signals

    from bureau.lib import logs

    signals.before_task_publish.connect(logs.stamp_task_headers, weak=False)
    signals.task_prerun.connect(logs.adopt_task_request_id, weak=False)
    signals.task_postrun.connect(logs.drop_task_request_id, weak=False)

    def _finished(**kwargs: Any) -> None:
        from bureau import metrics

        metrics.task_finished(**kwargs)

    def _failed(**kwargs: Any) -> None:
        from bureau import metrics

        metrics.task_failed(**kwargs)

    signals.task_postrun.connect(_finished, weak=False)
    signals.task_failure.connect(_failed, weak=False)


_connect_signals()
