"""The ladder funnel: awards and holders per tier and year, and how each
year's cohort climbed."""

from __future__ import annotations

from datetime import date
from typing import Any

from bureau.permissions import AnyUser
from enterprises.models import Certification, Tier
from enterprises.permissions import enterprises_visible_to


def ladder_funnel(*, user: AnyUser, first_year: int, last_year: int) -> dict[str, Any]:
    """Per tier and year: awards (renewals included), first awards, and the
    enterprises holding the tier at year end; and for each cohort (the
    enterprises first awarded tier T in year N: a renewal starts no cohort)
    how many reached each higher tier within 1, 2 and 3 years (awarded no
    earlier than T, by year N + k)."""
    from collections import defaultdict

    tiers = list(Tier.objects.filter(is_active=True).order_by("rank"))
    rows = list(
        Certification.objects.filter(
            enterprise__in=enterprises_visible_to(user)
        ).values_list(
            "enterprise_id",
            "tier_id",
            "year",
            "issued_on",
            "expires_on",
            "revoked_on",
            "first_time",
        )
    )
    years = list(range(first_year, last_year + 1))
    counts: dict[str, dict[int, dict[str, int]]] = {
        t.code: {y: {"awarded": 0, "first": 0, "held": 0} for y in years} for t in tiers
    }
    code_of = {t.pk: t.code for t in tiers}
    rank_of = {t.pk: t.rank for t in tiers}
    held: dict[tuple[str, int], set[int]] = defaultdict(set)
    awards: dict[int, list[tuple[int, int, date, bool]]] = defaultdict(list)
    for enterprise_id, tier_id, year, issued, expires, revoked, first in rows:
        if tier_id not in code_of:
            continue
        code = code_of[tier_id]
        awards[enterprise_id].append((tier_id, year, issued, first))
        if year in counts[code]:
            counts[code][year]["awarded"] += 1
            counts[code][year]["first"] += int(first)
        for y in years:
            end = date(y, 12, 31)
            ended = (expires is not None and expires < end) or (
                revoked is not None and revoked <= end
            )
            if issued <= end and not ended:
                held[(code, y)].add(enterprise_id)
    for (code, y), ids in held.items():
        counts[code][y]["held"] = len(ids)

    conversion = []
    for tier in tiers:
        higher = [t for t in tiers if t.rank > tier.rank]
        for year in years:
            cohort = {
                (e, issued)
                for e, items in awards.items()
                for tier_id, y, issued, first in items
                if tier_id == tier.pk and y == year and first
            }
            if not cohort:
                continue
            reached: dict[str, dict[str, int]] = {}
            for target in higher:
                within = {}
                for k in (1, 2, 3):
                    within[str(k)] = sum(
                        1
                        for e, issued in cohort
                        if any(
                            tid == target.pk and y2 <= year + k and iss2 >= issued
                            for tid, y2, iss2, _first in awards[e]
                        )
                    )
                reached[target.code] = within
            conversion.append(
                {
                    "tier": tier.code,
                    "year": year,
                    "cohort": len(cohort),
                    "reached": reached,
                }
            )
    return {
        "years": years,
        "tiers": [
            {"code": t.code, "name": t.name, "level": t.level, "rank": rank_of[t.pk]}
            for t in tiers
        ],
        "counts": {
            code: {str(y): v for y, v in by_year.items()}
            for code, by_year in counts.items()
        },
        "conversion": conversion,
    }


def ladder_years(*, user: AnyUser) -> list[int]:
    """The years in which the enterprises `user` may see were awarded a
    tier, newest first (the funnel page's year filter). One query."""
    return list(
        Certification.objects.filter(enterprise__in=enterprises_visible_to(user))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
