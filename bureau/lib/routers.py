"""Reads for dashboards, exports and reports from a read replica, when the
deployment has one (DATABASE_REPLICA_URL).

Nothing is routed to the replica unless code asks for it with
`reading_from_replica()` (ReplicaReadsMiddleware does so for the views named in
REPLICA_READ_VIEWS, and for any `?export=xlsx`); writes always go to the
primary, and so does every read made inside a transaction on the primary — a
service that reads before it writes (the audit chain's head, a row it locks)
must see the primary's rows, never a replica that lags behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def replica_configured() -> bool:
    return settings.REPLICA_READS and REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Route the reads in this block to the replica (if there is one)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if (
            _use_replica.get()
            and replica_configured()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
