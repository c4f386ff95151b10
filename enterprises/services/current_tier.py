"""The current tier kept on the enterprise (Enterprise.held_tier,
held_tier_expires_on, held_echelon).

The highest tier in force is derived from the certifications; lists read it
from these columns so that a page costs the same at any depth. Two writers
keep them true: `enterprise_tier_refresh` after every award or revocation of
one enterprise, and `enterprise_tiers_refresh` every night (certificates run
out and awards dated in the future come into force without anyone saving
anything). Both only copy what the certifications already say, so they are
not audited: the audited writes are the certifications themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from enterprises.models import Certification, Enterprise

HELD_FIELDS = ("held_tier_id", "held_tier_expires_on", "held_echelon")


def _best(today: date) -> QuerySet[Certification]:
    """The certifications in force on `today`, best first: the highest rank,
    then the latest award (the order with_current_tier always used)."""
    return Certification.objects.current(today).order_by("-tier__rank", "-issued_on")


def held_tier_values(enterprise_id: int, *, today: date) -> dict[str, Any]:
    """The three columns as the certifications of one enterprise give them."""
    best = _best(today).filter(enterprise_id=enterprise_id).first()
    if best is None:
        return dict.fromkeys(HELD_FIELDS)
    return {
        "held_tier_id": best.tier_id,
        "held_tier_expires_on": best.expires_on,
        "held_echelon": best.echelon,
    }


@transaction.atomic
def enterprise_tier_refresh(
    enterprise: Enterprise, *, today: date | None = None
) -> None:
    """Copy the highest tier in force of `enterprise` onto it (one read,
    one UPDATE; `updated_at` is left alone: nobody edited the enterprise)."""
    today = today or timezone.localdate()
    values = held_tier_values(enterprise.pk, today=today)
    Enterprise.objects.filter(pk=enterprise.pk).update(**values)
    for name, value in values.items():
        setattr(enterprise, name, value)


@transaction.atomic
def enterprise_tiers_refresh(*, today: date | None = None) -> int:
    """Bring every enterprise's current tier up to date (nightly, after the
    expiry job). One read of what the certifications say for all of them;
    only the rows that differ are written. Returns how many changed."""
    today = today or timezone.localdate()
    best = _best(today).filter(enterprise=OuterRef("pk"))
    rows = Enterprise.objects.annotate(
        want_tier=Subquery(best.values("tier_id")[:1]),
        want_expires=Subquery(best.values("expires_on")[:1]),
        want_echelon=Subquery(best.values("echelon")[:1]),
    ).values_list(
        "pk",
        "held_tier_id",
        "held_tier_expires_on",
        "held_echelon",
        "want_tier",
        "want_expires",
        "want_echelon",
    )
    stale = [
        Enterprise(
            pk=pk,
            held_tier_id=want_tier,
            held_tier_expires_on=want_expires,
            held_echelon=want_echelon,
        )
        for pk, tier, expires, echelon, want_tier, want_expires, want_echelon in (
            rows.iterator(chunk_size=5000)
        )
        if (tier, expires, echelon) != (want_tier, want_expires, want_echelon)
    ]
    Enterprise.objects.bulk_update(
        stale,
        ["held_tier", "held_tier_expires_on", "held_echelon"],
        batch_size=1000,
    )
    return len(stale)
