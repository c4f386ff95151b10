"""Prometheus metrics for the security administrator's scraper (/metrics).

- request latency: a histogram per view, method and status class, kept by the
  web process (with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR, see
  deploy/, so every worker's samples are summed);
- task runs, failures and the time of each task's last success: counted in the
  cache backend by the Celery signals, so the worker processes (or nodes) and
  the web processes read the same figures — "the last successful monitoring
  run" is `bureau_task_last_success_timestamp_seconds{task="enterprises.quarterly_monitoring"}`;
- queue length: the Redis list of each Celery queue (none when tasks run eagerly).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from prometheus_client import (
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "bureau_http_request_duration_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_KEY = "metrics:task:{kind}:{name}"
_KINDS = ("runs", "failures", "last_success")


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(
        view=view or "unmatched", method=method, status=f"{status // 100}xx"
    ).observe(seconds)


def _bump(kind: str, name: str) -> None:
    key = _KEY.format(kind=kind, name=name)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)


def task_finished(task: Any = None, state: str | None = None, **_: Any) -> None:
    """task_postrun: count a run; a success stamps the time."""
    name = getattr(task, "name", None)
    if not name:
        return
    try:
        _bump("runs", name)
        if state == "SUCCESS":
            cache.set(_KEY.format(kind="last_success", name=name), time.time(), None)
    except Exception:  # metrics never break a task
        return


def task_failed(sender: Any = None, **_: Any) -> None:
    """task_failure: count a failure."""
    name = getattr(sender, "name", None)
    if name:
        try:
            _bump("failures", name)
        except Exception:
            return


def _task_names() -> list[str]:
    from bureau.celery import app

    return sorted(n for n in app.tasks if not n.startswith("celery."))


class TaskCollector(Collector):
    """Task figures from the cache, read at scrape time."""

    def collect(self) -> Iterator[Any]:
        names = _task_names()
        keys = [_KEY.format(kind=k, name=n) for n in names for k in _KINDS]
        values = cache.get_many(keys)
        runs = CounterMetricFamily(
            "bureau_task_runs", "Celery task runs, by task.", labels=["task"]
        )
        failures = CounterMetricFamily(
            "bureau_task_failures", "Celery task failures, by task.", labels=["task"]
        )
        last = GaugeMetricFamily(
            "bureau_task_last_success_timestamp_seconds",
            "Unix time of the task's last successful run.",
            labels=["task"],
        )
        for name in names:
            runs.add_metric([name], values.get(_KEY.format(kind="runs", name=name), 0))
            failures.add_metric(
                [name], values.get(_KEY.format(kind="failures", name=name), 0)
            )
            stamp = values.get(_KEY.format(kind="last_success", name=name))
            if stamp is not None:
                last.add_metric([name], stamp)
        yield runs
        yield failures
        yield last


class QueueCollector(Collector):
    """The length of each Celery queue in Redis."""

    def collect(self) -> Iterator[Any]:
        gauge = GaugeMetricFamily(
            "bureau_queue_length",
            "Messages waiting in a Celery queue.",
            labels=["queue"],
        )
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
            )
            try:
                for queue in settings.CELERY_QUEUE_NAMES:
                    gauge.add_metric([queue], client.llen(queue))
            except redis.RedisError:
                pass
            finally:
                client.close()
        yield gauge


def render() -> bytes:
    """The text exposition of every metric."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(TaskCollector())
    registry.register(QueueCollector())
    return generate_latest(registry)
