"""Concurrent requests: a state change locks its row, and a unique-constraint
race is answered like the sequential path.

    @transaction.atomic
    def milestone_achieve(*, milestone, by):
        lock_for_update(milestone)   # waits for a concurrent change, then rereads
        if milestone.achieved_on is not None: raise ApplicationError(...)


Two requests that both pass a service's "does it exist yet?" check race to
the INSERT; the loser's IntegrityError would be a 500. Wrap the write:

    with conflict_on_integrity_error(obj):            # same 400 as full_clean
        obj.save()
    with conflict_on_integrity_error(error=ApplicationError(...)):   # a 409
        Contract.objects.create(...)

The write runs in a savepoint, so the surrounding transaction stays usable
after the failure (PostgreSQL aborts a transaction on any error otherwise).

Writers that lock many rows in an order they do not choose (the indicator
values, whose triggers lock the value groups they touch) first take one
named lock for the rest of their transaction, so they queue instead of
deadlocking:

    @transaction.atomic
    def value_set(...):
        advisory_lock("indicators.values")

Should PostgreSQL still end a transaction as a deadlock or a serialization
failure, is_lock_conflict() recognises it and the API and the pages answer
409 ("try again"), not 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, models, transaction
from django.utils.translation import gettext as _

from bureau.lib.exceptions import ApplicationError

M = TypeVar("M", bound=models.Model)


def lock_for_update(obj: M) -> M:
    """Lock `obj`'s row until the surrounding transaction ends (SELECT … FOR
    UPDATE) and reload its fields, so the state checks that follow see what
    a concurrent request committed meanwhile. Call inside transaction.atomic."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_update needs a transaction")
    list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values("pk"))
    obj.refresh_from_db()
    return obj


@contextmanager
def conflict_on_integrity_error(
    obj: models.Model | None = None, *, error: Exception | None = None
) -> Iterator[None]:
    """Run the block in a savepoint; an IntegrityError becomes `error`, or
    the ValidationError that `obj`'s unique checks now give (the winner of
    the race has committed, so they see its row), or a 409 `conflict`."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if obj is not None:
            try:
                obj.validate_unique()
                obj.validate_constraints()
            except ValidationError as found:
                raise found from exc
        if error is not None:
            raise error from exc
        raise conflict_error() from exc


def advisory_lock(name: str, *, wait_seconds: float | None = None) -> None:
    """Wait for, and hold until the surrounding transaction ends, the lock
    called `name` (PostgreSQL's pg_advisory_xact_lock; taken again by the
    same transaction, it does not wait). With `wait_seconds`, a longer wait
    ends the transaction as a lock timeout (is_lock_conflict: a 409 "try
    again"), so a request does not hold its web worker until the holder is
    done; later waits of the transaction keep the configured lock_timeout.
    SQLite runs one writer at a time anyway: nothing to do there. Call
    inside transaction.atomic."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_lock needs a transaction")
    if connection.vendor != "postgresql":
        return
    key = "hashtextextended(%s, 0)"
    with connection.cursor() as cursor:
        if wait_seconds is None:
            cursor.execute(f"SELECT pg_advisory_xact_lock({key})", [name])
            return
        cursor.execute(
            "SELECT current_setting('lock_timeout'), "
            "set_config('lock_timeout', %s, true)",
            [f"{max(1, round(wait_seconds * 1000))}ms"],
        )
        configured = cursor.fetchone()[0]
        cursor.execute(f"SELECT pg_advisory_xact_lock({key})", [name])
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [configured])


# PostgreSQL's codes for a transaction ended only because another ran at
# the same moment: deadlock_detected, serialization_failure,
# lock_not_available (a lock_timeout).
LOCK_CONFLICTS = frozenset({"40P01", "40001", "55P03"})


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether `exc` is a database error that another request's concurrent
    work caused, and that trying again would clear."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in LOCK_CONFLICTS


def is_lock_wait_timeout(exc: BaseException) -> bool:
    """A lock conflict that is a wait given up (lock_not_available): the
    other work is still running, rather than done at the same moment."""
    return is_lock_conflict(exc) and exc.__cause__.sqlstate == "55P03"  # type: ignore[union-attr]


def busy_error() -> ApplicationError:
    """The 409 a lock wait given up is answered with."""
    return ApplicationError(
        _(
            "Other work on the same data (an import, say) is still running and "
            "nothing of yours was saved; try again in a moment."
        ),
        code="conflict",
    )


def conflict_error() -> ApplicationError:
    """The 409 a lock conflict is answered with."""
    return ApplicationError(
        _(
            "Another request changed this record at the same moment; reload and try again."
        ),
        code="conflict",
    )
