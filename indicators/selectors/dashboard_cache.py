"""The finished dashboard kept in the cache backend (Redis in production).

An entry is keyed by what it was built from: the part ("board" for the
selector's Dashboard, "api" for the API's answer), the year, the scope (the
district, or the one street a liaison sees), today's date (computed
indicators of this year are due up to this month) and the red/black list
thresholds, all under a version token. Any change to values, targets,
indicators or org units replaces the token once its transaction commits
(`dashboard_cache_invalidate`, connected in apps.py to the
`indicator_data_changed` signal the indicators services send and to saves
of the models), so the next request builds afresh and old entries expire
unread. The token is random, not a counter: a cache that evicts it cannot
bring back entries of an older version.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from indicators.permissions import is_street_scoped

if TYPE_CHECKING:
    from bureau.permissions import AnyUser

T = TypeVar("T")

VERSION_KEY = "indicators:dashboard:version"


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return str(version)


def dashboard_scope(user: AnyUser | None) -> str:
    """Whose dashboard: the whole district, or one street for a liaison."""
    if user is not None and is_street_scoped(user):
        return f"street-{user.org_unit_id}"
    return "district"


def cached_dashboard_part(
    part: str, *, year: int, user: AnyUser | None, build: Callable[[], T]
) -> T:
    """`build()`'s result for (part, year, scope), from the cache when a
    current entry is there."""
    seconds = settings.INDICATOR_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return build()
    lists = settings.INDICATOR_LISTS
    key = ":".join(
        [
            "indicators:dashboard",
            _version(),
            part,
            str(year),
            dashboard_scope(user),
            timezone.localdate().isoformat(),
            str(lists["amber_tolerance"]),
            str(lists["honour_margin"]),
        ]
    )
    found: Any = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = build()
    cache.set(key, value, timeout=seconds)
    return value


def dashboard_cache_invalidate(**kwargs: Any) -> None:
    """Start a new version once the current transaction commits (a reader
    inside the transaction's window caches under the old version)."""
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
