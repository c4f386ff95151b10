"""Reads behind the searchable enterprise picker of page forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from enterprises.models import Enterprise
from enterprises.permissions import enterprises_visible_to

if TYPE_CHECKING:
    from bureau.permissions import AnyUser

PICKER_LIMIT = 20


def enterprise_search(
    *,
    user: AnyUser,
    q: str,
    queryset: QuerySet[Enterprise] | None = None,
    limit: int = PICKER_LIMIT,
) -> list[dict[str, object]]:
    """The first `limit` enterprises `user` may see (within `queryset`, if
    given) whose name contains `q` or whose credit code starts with it, by
    name: [{"id", "name", "credit_code"}]. An empty `q` gives the first ones."""
    qs = enterprises_visible_to(user, queryset)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__istartswith=q))
    return [
        {"id": e.pk, "name": e.name, "credit_code": e.credit_code}
        for e in qs.order_by("name", "pk").only("name", "credit_code")[:limit]
    ]
