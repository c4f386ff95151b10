"""Serializer fields the projects API shares."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

# The largest value a database integer column holds (SQLite's INTEGER and
# PostgreSQL's bigint): a larger one in a filter would overflow in the
# database driver (a 500) instead of being refused as bad input.
MAX_INTEGER = 2**63 - 1


class IntegerFilter(serializers.IntegerField):
    """An optional whole number in a query string (an id or a year), from 1
    up to what the database holds; out of range is a 400 naming the field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_INTEGER, **kwargs)


class OptionalBooleanField(serializers.BooleanField):
    """A filter that is None when left out of the query string (DRF reads a
    missing boolean in form data as False, as for an unticked checkbox)."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, default=None, **kwargs)
