"""Reads of the application list page: search, filters and sorting over the
applications the user may see (projects.selectors.application_list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bureau.permissions import AnyUser
from bureau.selectors import district_streets
from projects.models import Application
from projects.permissions import calls_visible_to, is_bureau_reader
from projects.selectors.applications import application_list

# The list's orders: key → (label, ORM order). The first is the default.
SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "new": (_("Newest first"), ("-created_at", "-id")),
    "old": (_("Oldest first"), ("created_at", "id")),
    "amount": (_("Largest request first"), ("-requested_amount", "-id")),
    "title": (_("By project title"), ("title", "id")),
    "enterprise": (_("By enterprise"), ("enterprise__name", "id")),
    "state": (_("By state"), ("state", "-id")),
}


@dataclass(frozen=True)
class ApplicationFilters:
    """What the list page was asked for (GET parameters, as typed)."""

    q: str = ""
    call: str = ""
    state: str = ""
    street: str = ""
    year: str = ""
    sort: str = ""


def application_search(
    *, user: AnyUser, filters: ApplicationFilters
) -> QuerySet[Application]:
    """`user`'s applications matching `filters`: `q` in the title, the
    enterprise's name or its credit code; call, state, street (the
    enterprise's), year (the call's); sorted by `sort`."""
    qs = application_list(user=user)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(enterprise__name__icontains=filters.q)
            | Q(enterprise__credit_code__icontains=filters.q)
        )
    if filters.call.isdigit():
        qs = qs.filter(call_id=int(filters.call))
    # One state, or several from the home's queues: ?state=returned,draft
    states = [s for s in filters.state.split(",") if s in Application.State.values]
    if states:
        qs = qs.filter(state__in=states)
    if filters.street.isdigit():
        qs = qs.filter(enterprise__org_unit_id=int(filters.street))
    if filters.year.isdigit():
        qs = qs.filter(call__year=int(filters.year))
    order = SORTS.get(filters.sort) or next(iter(SORTS.values()))
    return qs.select_related("enterprise__org_unit").order_by(*order[1])


@dataclass(frozen=True)
class FilterChoices:
    calls: list[tuple[int, str]]
    streets: list[tuple[int, str]]
    years: list[int]


def application_filter_choices(*, user: AnyUser) -> FilterChoices:
    """The calls, streets and years the filters offer: those of the
    applications the user may see (two queries)."""
    visible = application_list(user=user).order_by()
    rows = list(
        calls_visible_to(user)
        .filter(pk__in=visible.values("call_id"))
        .order_by("-year", "-opens_at")
        .values_list("pk", "title", "year")
    )
    streets = district_streets().order_by("code")
    if not is_bureau_reader(user):
        # A liaison, an enterprise or an expert: the streets of what they
        # see, a probe per street (each by index). The bureau sees every
        # application, so every street of the district is offered without
        # reading the applications at all.
        streets = streets.filter(
            Exists(visible.filter(enterprise__org_unit_id=OuterRef("pk")))
        )
    return FilterChoices(
        calls=[(pk, title) for pk, title, _year in rows],
        streets=list(streets.values_list("pk", "name")),
        years=sorted({year for _pk, _title, year in rows}, reverse=True),
    )
