"""Reads about project money: the funding ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from projects.models import Application, Disbursement


def ledger(
    *, year: int | None = None, programme: int | None = None, call: int | None = None
) -> list[dict[str, Any]]:
    """Approved, paid, withheld and still planned money per call."""
    apps = Application.objects.filter(approved_amount__isnull=False)
    money = Disbursement.objects.all()
    if year:
        apps, money = (
            apps.filter(call__year=year),
            money.filter(application__call__year=year),
        )
    if programme:
        apps = apps.filter(call__programme_id=programme)
        money = money.filter(application__call__programme_id=programme)
    if call:
        apps, money = apps.filter(call_id=call), money.filter(application__call_id=call)
    per_call = {
        r["call_id"]: r
        for r in apps.values(
            "call_id", "call__title", "call__year", "call__programme__name"
        ).annotate(projects=Count("id"), approved=Sum("approved_amount"))
    }
    flows: dict[int, dict[str, Decimal]] = {}
    # Planned tranches of terminated or failed projects will not be paid.
    ended = [Application.State.TERMINATED, Application.State.FAILED_ACCEPTANCE]
    for flow in (
        money.exclude(status="planned", application__state__in=ended)
        .values("application__call_id", "status")
        .annotate(total=Sum("amount"))
    ):
        flows.setdefault(flow["application__call_id"], {})[flow["status"]] = flow[
            "total"
        ]
    rows = []
    for call_id, r in sorted(
        per_call.items(), key=lambda kv: (-kv[1]["call__year"], kv[0])
    ):
        f = flows.get(call_id, {})
        approved = r["approved"] or Decimal(0)
        paid = f.get("paid", Decimal(0))
        withheld = f.get("withheld", Decimal(0))
        planned = f.get("planned", Decimal(0))
        rows.append(
            {
                "call_id": call_id,
                "call": r["call__title"],
                "year": r["call__year"],
                "programme": r["call__programme__name"],
                "projects": r["projects"],
                "approved": approved,
                "paid": paid,
                "withheld": withheld,
                "planned": planned,
                # Not yet in a contract, or no longer payable (terminated, failed).
                "unscheduled": approved - paid - withheld - planned,
            }
        )
    return rows


LEDGER_SUMS = ("projects", "approved", "paid", "withheld", "planned", "unscheduled")


def _sum_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: sum((r[key] for r in rows), 0) for key in LEDGER_SUMS}


def ledger_grouped(
    *, year: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The ledger as the page shows it: one group per year (newest first),
    each with its calls and a 合计 row, and the 合计 of all the groups."""
    rows = ledger(year=year)
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["year"] != row["year"]:
            groups.append({"year": row["year"], "rows": []})
        groups[-1]["rows"].append(row)
    for group in groups:
        group["total"] = _sum_rows(group["rows"])
    return groups, _sum_rows(rows)


def ledger_years() -> list[int]:
    """The years of calls with an approved project (the ledger's filter)."""
    return sorted(
        set(
            Application.objects.filter(approved_amount__isnull=False)
            .order_by()
            .values_list("call__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def tranche_number(disbursement: Disbursement) -> int:
    """The tranche's place among its project's (第2期), in the order they
    are planned."""
    ids = list(
        Disbursement.objects.filter(application_id=disbursement.application_id)
        .order_by("planned_on", "id")
        .values_list("id", flat=True)
    )
    return ids.index(disbursement.pk) + 1 if disbursement.pk in ids else 1
