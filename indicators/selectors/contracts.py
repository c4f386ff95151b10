"""Reads of the technology contracts and achievements: the lists as each
user may see them, the computed indicators' figures by street, and the
figures a work summary prints."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from bureau.permissions import AnyUser
from indicators.ledgers import BOTH, INFLOW, OUTFLOW
from indicators.models import Achievement, TechContract
from indicators.permissions import achievements_visible_to, contracts_visible_to

# The street foreign key that places a contract of each direction.
STREET_FIELD = {OUTFLOW: "seller_street", INFLOW: "buyer_street"}
FEN = Decimal("0.01")


def _yuan(value: Decimal | None) -> Decimal:
    """A sum as 元 to the fen (SQLite hands back long decimals)."""
    return (value or Decimal(0)).quantize(FEN)


@dataclass(frozen=True)
class ContractFilters:
    q: str = ""
    year: int | None = None
    kind: str = ""
    direction: str = ""
    street: str = ""  # an org unit code


def contract_list(
    *, user: AnyUser, filters: ContractFilters | None = None
) -> QuerySet[TechContract]:
    """The contracts `user` may see, filtered; a direction filter of out or
    in includes the contracts between two of the district's parties."""
    filters = filters or ContractFilters()
    qs = contracts_visible_to(user).select_related("seller_street", "buyer_street")
    if filters.year:
        qs = qs.filter(registered_on__year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.direction in (OUTFLOW, INFLOW):
        qs = qs.filter(direction__in=[filters.direction, BOTH])
    elif filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.street:
        qs = qs.filter(
            Q(seller_street__code=filters.street) | Q(buyer_street__code=filters.street)
        )
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(registration_number__icontains=term)
            | Q(name__icontains=term)
            | Q(seller_name__icontains=term)
            | Q(buyer_name__icontains=term)
        )
    return qs.order_by("-registered_on", "-id")


def contract_years() -> list[int]:
    """The years with registered contracts, newest first (a filter's choices)."""
    return sorted(
        {d.year for d in TechContract.objects.dates("registered_on", "year")},
        reverse=True,
    )


def _in_direction(year: int, direction: str) -> QuerySet[TechContract]:
    return TechContract.objects.filter(
        registered_on__year=year, direction__in=[direction, BOTH]
    )


def contract_wan_by_street(*, year: int, direction: str) -> dict[int | None, Decimal]:
    """The contract amount (合同成交额) in 万元 of `year`'s contracts of
    `direction` (out or in), per street of our party there."""
    field = STREET_FIELD[direction]
    return {
        row[field]: (row["total"] or Decimal(0)) / 10000
        for row in _in_direction(year, direction)
        .values(field)
        .annotate(total=Sum("contract_amount"))
    }


def contract_counts_by_street(*, year: int, direction: str) -> dict[int | None, int]:
    """How many of `year`'s contracts of `direction` were registered, per
    street of our party there."""
    field = STREET_FIELD[direction]
    return {
        row[field]: row["n"]
        for row in _in_direction(year, direction).values(field).annotate(n=Count("id"))
    }


def contract_figures(year: int, *, top: int = 3) -> dict[str, Any]:
    """What a work summary prints about `year`'s technology contracts:
    count and amounts (元) by direction, the total over the district's
    contracts (each counted once), and the `top` streets by amount absorbed
    and by amount output: {"year", "count", "contract_amount",
    "transaction_amount", "output": {...}, "absorbed": {...},
    "top_absorbing": [(street name, count, amount)], "top_output": [...]}."""
    contracts = TechContract.objects.filter(registered_on__year=year)
    total = contracts.aggregate(
        n=Count("id"), amount=Sum("contract_amount"), tech=Sum("transaction_amount")
    )
    figures: dict[str, Any] = {
        "year": year,
        "count": total["n"],
        "contract_amount": _yuan(total["amount"]),
        "transaction_amount": _yuan(total["tech"]),
    }
    for key, direction in (("output", OUTFLOW), ("absorbed", INFLOW)):
        rows = _in_direction(year, direction).aggregate(
            n=Count("id"), amount=Sum("contract_amount"), tech=Sum("transaction_amount")
        )
        figures[key] = {
            "count": rows["n"],
            "contract_amount": _yuan(rows["amount"]),
            "transaction_amount": _yuan(rows["tech"]),
        }
        field = STREET_FIELD[direction]
        streets = (
            _in_direction(year, direction)
            .exclude(**{f"{field}__isnull": True})
            .values(f"{field}__name")
            .annotate(n=Count("id"), amount=Sum("contract_amount"))
            .order_by("-amount", f"{field}__name")[:top]
        )
        figures["top_absorbing" if direction == INFLOW else "top_output"] = [
            (row[f"{field}__name"], row["n"], _yuan(row["amount"])) for row in streets
        ]
    return figures


@dataclass(frozen=True)
class AchievementFilters:
    q: str = ""
    stage: str = ""
    way: str = ""
    street: str = ""


def achievement_list(
    *, user: AnyUser, filters: AchievementFilters | None = None
) -> QuerySet[Achievement]:
    """The achievements `user` may see, with their owner and linked contracts."""
    filters = filters or AchievementFilters()
    qs = achievements_visible_to(user).select_related("owner__org_unit")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.way:
        qs = qs.filter(way=filters.way)
    if filters.street:
        qs = qs.filter(owner__org_unit__code=filters.street)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(owner__name__icontains=term)
            | Q(field__icontains=term)
        )
    return qs.prefetch_related("contracts").order_by("-updated_at", "-id")


def achievement_figures(year: int) -> dict[str, Any]:
    """What a work summary prints about the achievements followed through
    transfer and pilot (成果转化/中试) in `year`: all of them by stage as
    they stand, those that started transfer, entered pilot and were
    industrialised in `year`, and the outputs (new output value in 元,
    jobs, patents) of those past the waiting stage: {"year", "count",
    "by_stage": {stage: n}, "started", "piloted", "industrialised",
    "new_output_value", "jobs", "patents"}."""
    stages = {
        stage: n
        for stage, n in Achievement.objects.values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
        .order_by()
    }
    moved = Achievement.objects.aggregate(
        started=Count("id", filter=Q(started_on__year=year)),
        piloted=Count("id", filter=Q(pilot_on__year=year)),
        industrialised=Count("id", filter=Q(industrialised_on__year=year)),
    )
    outputs = Achievement.objects.exclude(stage=Achievement.Stage.WAITING).aggregate(
        value=Sum("new_output_value"), jobs=Sum("jobs"), patents=Sum("patents")
    )
    return {
        "year": year,
        "count": sum(stages.values()),
        "by_stage": {
            key: stages[key] for key in Achievement.Stage.values if stages.get(key)
        },
        **moved,
        "new_output_value": _yuan(outputs["value"]),
        "jobs": outputs["jobs"] or 0,
        "patents": outputs["patents"] or 0,
    }
