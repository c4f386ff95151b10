"""Pages that cost the same at any depth.

Two tools, used by the API pagination (bureau/lib/drf.py) and the list
pages:

- `DeferredJoinPaginator`: Django's Paginator, but a deep page first picks
  the page's primary keys in the list's order (an index scan that skips the
  earlier rows without joining or annotating them) and then loads those rows
  with everything the list shows. OFFSET still walks the skipped index
  entries, but no longer joins every one of them.
- `keyset_page`: keyset ("cursor") pagination. The cursor holds the ordering
  values of the row a page ends at; the next page is `WHERE (order) > (those
  values) ... LIMIT n`, read straight from the ordering's index. No count.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Field, Model, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# Below this offset a page is read in one query as usual; from it on, the
# primary keys first (one more query, constant).
DEFERRED_JOIN_FROM = 1000


class DeferredJoinPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if not isinstance(rows, QuerySet) or bottom < DEFERRED_JOIN_FROM:
            return Page(rows[bottom:top], number, self)
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        loaded = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
        return Page([loaded[pk] for pk in ids if pk in loaded], number, self)


@dataclass
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None
    previous_cursor: str | None


def _ordering(queryset: QuerySet[Any]) -> list[tuple[str, Field[Any, Any], bool]]:
    """(lookup, field, descending) for each term of the queryset's order,
    ending with the primary key so that the order is total."""
    model: type[Model] = queryset.model
    terms = list(queryset.query.order_by or model._meta.ordering or [])
    refused = ValidationError(
        {"cursor": [_("This list cannot be paged by cursor; use page.")]}
    )
    resolved: list[tuple[str, Field[Any, Any], bool]] = []
    for term in terms:
        if not isinstance(term, str) or term == "?":
            raise refused
        descending = term.startswith("-")
        lookup = term.lstrip("-")
        lookup = model._meta.pk.name if lookup == "pk" else lookup
        current: type[Model] = model
        field: Any = None
        for part in lookup.split("__"):
            field = current._meta.get_field(part)
            if field.is_relation:
                current = field.related_model
        if field is None or field.is_relation or getattr(field, "null", True):
            raise refused
        resolved.append((lookup, field, descending))
    pk = model._meta.pk
    if not resolved or resolved[-1][0] != pk.name:
        descending = resolved[-1][2] if resolved else False
        resolved.append((pk.name, pk, descending))
    return resolved


class _ExactEncoder(DjangoJSONEncoder):
    """Times with their microseconds (DjangoJSONEncoder keeps milliseconds,
    and a position must be exact)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _encode(values: list[Any], backwards: bool) -> str:
    raw = json.dumps({"v": values, "b": backwards}, cls=_ExactEncoder)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(
    cursor: str, ordering: list[tuple[str, Field[Any, Any], bool]]
) -> tuple[list[Any], bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = data["v"]
        if not isinstance(values, list) or len(values) != len(ordering):
            raise ValueError
        parsed = [
            field.to_python(value)
            for value, (_lookup, field, _desc) in zip(values, ordering, strict=True)
        ]
        return parsed, bool(data.get("b"))
    except (
        ValueError,
        TypeError,
        KeyError,
        binascii.Error,
        DjangoValidationError,
    ) as error:
        raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from error


def _beyond(
    ordering: list[tuple[str, Field[Any, Any], bool]], values: list[Any], forward: bool
) -> Q:
    """Rows strictly after (forward) or before the position `values`:
    (a > x) OR (a = x AND b > y) ..., with a leading `a >= x` that lets the
    database start its index scan at the position."""
    either = Q(pk__in=[])
    equal = Q()
    for (lookup, _field, descending), value in zip(ordering, values, strict=True):
        later = "lt" if descending == forward else "gt"
        either |= equal & Q(**{f"{lookup}__{later}": value})
        equal &= Q(**{lookup: value})
    lookup, _field, descending = ordering[0]
    start = "lte" if descending == forward else "gte"
    return Q(**{f"{lookup}__{start}": values[0]}) & either


def _position(row: Any, ordering: list[tuple[str, Field[Any, Any], bool]]) -> list[Any]:
    values = []
    for lookup, _field, _desc in ordering:
        value: Any = row
        for part in lookup.split("__"):
            value = getattr(value, part)
        values.append(value)
    return values


def keyset_page(queryset: QuerySet[Any], *, cursor: str, size: int) -> KeysetPage:
    """The page of `queryset` after (or, for a `previous` cursor, before) the
    position `cursor` holds; an empty cursor is the first page."""
    ordering = _ordering(queryset)
    order_by = [f"-{lookup}" if desc else lookup for lookup, _f, desc in ordering]
    queryset = queryset.order_by(*order_by)
    if not cursor:
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return KeysetPage(
            rows,
            _encode(_position(rows[-1], ordering), False) if more else None,
            None,
        )
    values, backwards = _decode(cursor, ordering)
    if backwards:
        rows = list(
            queryset.filter(_beyond(ordering, values, forward=False)).reverse()[
                : size + 1
            ]
        )
        more = len(rows) > size
        rows = list(reversed(rows[:size]))
        return KeysetPage(
            rows,
            _encode(_position(rows[-1], ordering), False) if rows else None,
            _encode(_position(rows[0], ordering), True) if more else None,
        )
    rows = list(queryset.filter(_beyond(ordering, values, forward=True))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        _encode(_position(rows[-1], ordering), False) if more else None,
        _encode(_position(rows[0], ordering), True) if rows else None,
    )
