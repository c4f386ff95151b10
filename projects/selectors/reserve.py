"""The reserve of projects to apply for upward (储备库) counted for the work
summary: district-wide, reads only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from projects.models import ReserveProject

R = ReserveProject.Status


def reserve_figures(year: int) -> dict[str, Any]:
    """What a work summary prints about the reserve in `year`: the projects
    in reserve now (status 在库) by target level with their planned requests
    (元), those expected to apply next year, those promoted to an
    application in `year` (the application created that year) and those
    added in `year`: {"year", "in_reserve", "by_level": {level: n},
    "planned_amount", "for_next_year", "promoted", "added"}."""
    standing = ReserveProject.objects.filter(status=R.RESERVE)
    by_level = {
        level: n
        for level, n in standing.values_list("target_level")
        .annotate(n=Count("id"))
        .values_list("target_level", "n")
        .order_by()
    }
    planned = standing.aggregate(total=Sum("planned_amount"))["total"]
    return {
        "year": year,
        "in_reserve": sum(by_level.values()),
        "by_level": by_level,
        "planned_amount": planned or Decimal(0),
        "for_next_year": standing.filter(expected_year=year + 1).count(),
        "promoted": ReserveProject.objects.filter(
            status=R.PROMOTED, application__created_at__year=year
        ).count(),
        "added": ReserveProject.objects.filter(created_at__year=year).count(),
    }
