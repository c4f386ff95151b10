"""Reads of the talent app."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from bureau.lib import pii
from bureau.permissions import AnyUser
from talent.models import (
    AllowancePayment,
    Commissioner,
    ForeignExpertCase,
    ServiceLog,
    Talent,
    TalentAward,
)
from talent.permissions import talents_visible_to


def talent_list(
    *, user: AnyUser, q: str = "", id_number: str = "", employer: int | None = None
) -> QuerySet[Talent]:
    """People `user` may see. `id_number` finds one person through the keyed
    hash; `q` searches names."""
    qs = talents_visible_to(user).select_related("employer")
    if id_number:
        qs = qs.filter(id_number_hash__in=pii.keyed_hashes(id_number))
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if employer:
        qs = qs.filter(employer_id=employer)
    return qs.order_by("name", "id")


def allowance_month(*, month: date) -> QuerySet[AllowancePayment]:
    return (
        AllowancePayment.objects.filter(month=month)
        .exclude(status=AllowancePayment.Status.PLANNED)
        .select_related("allowance__talent__employer", "allowance__rule")
        .order_by("allowance__talent__name", "id")
    )


def allowance_month_totals(*, month: date) -> dict[str, Any]:
    rows = (
        AllowancePayment.objects.filter(month=month)
        .values("status")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    labels = dict(AllowancePayment.Status.choices)
    return {
        row["status"]: {
            "label": labels[row["status"]],
            "count": row["n"],
            "amount": row["amount"],
        }
        for row in rows
    }


def commissioner_list() -> QuerySet[Commissioner]:
    return Commissioner.objects.annotate(
        services=Sum("service_logs__count", default=0),
        logs=Count("service_logs", distinct=True),
    ).order_by("-term_start", "name")


def permit_case_list() -> QuerySet[ForeignExpertCase]:
    return ForeignExpertCase.objects.select_related("talent").order_by(
        "-created_at", "-id"
    )


def talent_figures(*, year: int, start: date, end: date) -> dict[str, Any]:
    """For the work summary: talent arrived from `start` to `end`, the
    programme awards of `year`, allowances paid, commissioners serving and
    their services, foreign-expert permits decided."""
    return {
        "arrived": Talent.objects.filter(
            arrived_on__gte=start, arrived_on__lte=end
        ).aggregate(
            n=Count("id"),
            doctors=Count("id", filter=Q(degree="doctorate")),
            masters=Count("id", filter=Q(degree="master")),
        ),
        "awards": list(
            TalentAward.objects.filter(year=year)
            .values_list("programme__name")
            .annotate(
                people=Count("talent", distinct=True),
                teams=Count("team", distinct=True),
            )
            .values_list("programme__name", "people", "teams")
            .order_by("programme__level", "programme__name")
        ),
        "paid": AllowancePayment.objects.filter(
            status=AllowancePayment.Status.PAID,
            month__gte=start,
            month__lte=end,
        ).aggregate(
            total=Sum("amount"), people=Count("allowance__talent", distinct=True)
        ),
        "serving": Commissioner.objects.filter(
            term_start__lte=end, term_end__gte=start
        ).count(),
        "services": ServiceLog.objects.filter(
            served_on__gte=start, served_on__lte=end
        ).aggregate(n=Sum("count"))["n"]
        or 0,
        "permits": ForeignExpertCase.objects.filter(
            decided_on__gte=start, decided_on__lte=end
        ).count(),
    }


def commissioner_figures(*, start: date, end: date) -> list[tuple[str, str, int]]:
    """For the work summary: the S&T commissioners serving at some time from
    `start` to `end`, per kind (individual, team, legal entity), as (kind,
    label, count) in the kinds' order, kinds without any left out."""
    counts = dict(
        Commissioner.objects.filter(term_start__lte=end, term_end__gte=start)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [
        (str(kind), str(label), counts[kind])
        for kind, label in Commissioner.Kind.choices
        if counts.get(kind)
    ]
