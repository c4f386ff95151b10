"""The renewal pipeline (重新认定, RULES §2.7): the 高企 holders whose
certificate ends in a given year, each with its application window and the
pre-check of the re-application; and who is due a reminder. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bureau.permissions import AnyUser
from enterprises.assessment import TierAssessment
from enterprises.models import Certification, LadderReminder, Tier
from enterprises.permissions import enterprises_visible_to
from enterprises.renewals import Window, renewal_window


def hnte_expiring(
    *, user: AnyUser, year: int, org_unit: str = "", q: str = ""
) -> QuerySet[Certification]:
    """The 高企 certificates of the enterprises `user` sees that end in
    `year` and were not cancelled, soonest first, annotated `renewed` (a later
    高企 award exists) and `reminded` (the renewal reminder was sent)."""
    later = Certification.objects.filter(
        enterprise=OuterRef("enterprise"),
        tier=OuterRef("tier"),
        issued_on__gt=OuterRef("issued_on"),
    ).exclude(status=Certification.Status.REVOKED)
    reminded = LadderReminder.objects.filter(
        enterprise=OuterRef("enterprise"), kind=LadderReminder.Kind.HNTE_RENEWAL
    )
    qs = (
        Certification.objects.filter(
            tier__code=Tier.HNTE,
            expires_on__year=year,
            enterprise__in=enterprises_visible_to(user),
        )
        .exclude(status=Certification.Status.REVOKED)
        .select_related("enterprise__org_unit", "tier")
        .annotate(renewed=Exists(later), reminded=Exists(reminded))
        .order_by("expires_on", "enterprise__name", "pk")
    )
    if org_unit:
        qs = qs.filter(enterprise__org_unit__code=org_unit)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(enterprise__name__icontains=text)
            | Q(enterprise__credit_code__icontains=text)
            | Q(number__icontains=text)
        )
    return qs


@dataclass
class RenewalRow:
    certification: Certification
    window: Window
    assessment: TierAssessment | None  # None once renewed

    @property
    def window_state(self) -> str:
        """before | open | closed, today."""
        today = timezone.localdate()
        if today < self.window.opens:
            return "before"
        return "open" if today <= self.window.closes else "closed"


def renewal_rows(
    certifications: list[Certification], *, today: date | None = None
) -> list[RenewalRow]:
    """Each certificate with its renewal window and, unless already renewed,
    the 高企 pre-check of the re-application (the stored-data verdict of
    `eligibility_for`), judged on today or, for a later window, on its
    opening day."""
    from enterprises.selectors.eligibility import eligibility_for

    today = today or timezone.localdate()
    rows = []
    tier = certifications[0].tier if certifications else None
    for certification in certifications:
        window = renewal_window(certification.expires_on or today)
        assessment = None
        if tier is not None and not getattr(certification, "renewed", False):
            on = today if today >= window.opens else window.opens
            assessment = eligibility_for(certification.enterprise, tier, on=on)
        rows.append(RenewalRow(certification, window, assessment))
    return rows


class RenewalRows(Sequence[RenewalRow]):
    """`hnte_expiring` as RenewalRows, pre-checked a slice at a time: a
    paginator counts the certificates with one query and pre-checks only the
    page it shows."""

    def __init__(self, certifications: QuerySet[Certification]) -> None:
        self.certifications = certifications

    def count(self) -> int:  # type: ignore[override]  # Paginator asks count()
        return self.certifications.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> RenewalRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[RenewalRow]: ...

    def __getitem__(self, index: int | slice) -> RenewalRow | list[RenewalRow]:
        if isinstance(index, slice):
            return renewal_rows(list(self.certifications[index]))
        return renewal_rows([self.certifications[index]])[0]
