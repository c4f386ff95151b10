"""Reads of the IP and transfer registers, and what the rules derive from
them (enterprises/ip_rules.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from bureau.permissions import AnyUser
from enterprises import ip_rules
from enterprises.models import Enterprise, IPItem, TechTransfer
from enterprises.permissions import ip_items_visible_to


def ip_item_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[IPItem]:
    """The IP items `user` may see, filtered: q (title, number or
    enterprise), ip_type, ip_class, status, org_unit, enterprise."""
    filters = filters or {}
    qs = ip_items_visible_to(user).select_related("enterprise__org_unit")
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(enterprise__name__icontains=q)
        )
    for name in ("ip_type", "ip_class", "status"):
        if value := filters.get(name):
            qs = qs.filter(**{name: value})
    if unit := filters.get("org_unit"):
        qs = qs.filter(enterprise__org_unit__code=unit)
    if enterprise := filters.get("enterprise"):
        qs = qs.filter(enterprise=enterprise)
    return qs.order_by("enterprise__name", "-granted_on", "-id")


def enterprise_ip_items(enterprise: Enterprise) -> QuerySet[IPItem]:
    return IPItem.objects.filter(enterprise=enterprise)


def enterprise_transfers(enterprise: Enterprise) -> QuerySet[TechTransfer]:
    return TechTransfer.objects.filter(enterprise=enterprise).prefetch_related(
        "ip_items"
    )


@dataclass(frozen=True)
class IPSummary:
    """What the registers give the pre-check on `on`."""

    on: date
    items: int
    high_tech: ip_rules.IPBand
    tech_sme: ip_rules.IPCount
    transfers_3y: int
    transfer_years: tuple[int, int]


def ip_summary(*, enterprise: Enterprise, on: date) -> IPSummary:
    """The 高企 IP count and band, the 科小 count and the 3-year transfer
    count of `enterprise` for an application made on `on` (two queries)."""
    return ip_summary_of(
        [item.facts() for item in enterprise_ip_items(enterprise)],
        [t.facts() for t in TechTransfer.objects.filter(enterprise=enterprise)],
        on=on,
    )


def ip_summary_of(
    facts: list[ip_rules.IPFacts],
    transfers: list[ip_rules.TransferFacts],
    *,
    on: date,
) -> IPSummary:
    """ip_summary() of registers already read (the pre-check's inputs)."""
    return IPSummary(
        on=on,
        items=len(facts),
        high_tech=ip_rules.high_tech_ip_band(facts, on=on),
        tech_sme=ip_rules.count_for_tech_sme(facts, on=on),
        transfers_3y=ip_rules.high_tech_transfer_count(transfers, on=on),
        transfer_years=(on.year - 3, on.year - 1),
    )


def ip_facts_by_enterprise(
    enterprise: Enterprise | None = None,
) -> dict[int, list[ip_rules.IPFacts]]:
    """The register's items as the rules read them, by enterprise (all, or
    one), in one query; an enterprise without items is absent."""
    qs = IPItem.objects.all() if enterprise is None else enterprise_ip_items(enterprise)
    found: dict[int, list[ip_rules.IPFacts]] = {}
    rows = qs.only(
        "enterprise_id",
        "ip_class",
        "status",
        "granted_on",
        "expires_on",
        "ownership",
        "hnte_used_year",
    )
    # In chunks for the whole register; one enterprise's items at once (a
    # server-side cursor costs more than its few rows).
    for item in rows.iterator(chunk_size=5000) if enterprise is None else rows:
        found.setdefault(item.enterprise_id, []).append(item.facts())
    return found


def transfer_facts_by_enterprise(
    enterprise: Enterprise | None = None,
) -> dict[int, list[ip_rules.TransferFacts]]:
    """The conversions as the rules read them, by enterprise, in one query."""
    qs = TechTransfer.objects.all()
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    found: dict[int, list[ip_rules.TransferFacts]] = {}
    for enterprise_id, title, year in qs.values_list("enterprise_id", "title", "year"):
        found.setdefault(enterprise_id, []).append(
            ip_rules.TransferFacts(ip_rules.result_key(title), year)
        )
    return found
