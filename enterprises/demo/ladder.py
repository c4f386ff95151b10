"""Demo ladder: certifications of the featured enterprises, and the
quarterly monitoring run."""

from __future__ import annotations

from datetime import date, timedelta

from bureau.models import User
from enterprises.demo.vocabulary import SECTIONS
from enterprises.models import (
    Certification,
    Enterprise,
    Tier,
)
from enterprises.monitoring import latest_due_quarter
from enterprises.services import (
    certification_create,
    quarterly_monitoring_run,
)


def _seed_monitoring(by: User | None, today: date) -> None:
    """Run the latest quarter past its filing deadline, so 季度监测 has its
    reports after the seed (running it again replaces them)."""
    year, quarter = latest_due_quarter(today)
    quarterly_monitoring_run(year=year, quarter=quarter, today=today, by=by)


def _fill_featured(e: Enterprise, field: str) -> None:
    """Give a demo-login enterprise a complete profile (through the service)."""
    from enterprises.services import enterprise_update

    if e.founded_on:
        return
    section, division = SECTIONS["electronics"]
    enterprise_update(
        enterprise=e,
        by=User(role="staff"),
        industry_section=section,
        industry_division=division,
        high_tech_field="electronics",
        founded_on=date(2017, 3, 15),
        legal_representative="陈建国",
        contact_name="陈专员",
        contact_phone="0571-88012345",
        address="杭州市拱墅区莫干山路1418号",
    )


def _seed_ladder(
    e: Enterprise, stage: int, tiers: dict[str, Tier], rng, today: date
) -> None:  # type: ignore[no-untyped-def]
    if Certification.objects.filter(enterprise=e).exists():
        return
    year = today.year - rng.randint(2, 5)
    if stage >= 1:
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["xuri"],
            year=year,
            issued_on=date(year, 4, rng.randint(1, 28)),
            echelon=rng.choice((1, 2, 2, 3, 3)),
            source_document=f"拱科〔{year}〕{rng.randint(5, 40)}号",
        )
    if stage >= 2:
        y = min(year + 1, today.year - 1)
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["chuying"],
            year=y,
            issued_on=date(y, 9, rng.randint(1, 28)),
            source_document=f"杭科高〔{y}〕{rng.randint(50, 120)}号",
        )
    if stage >= 3:
        for y in range(max(year + 1, today.year - 2), today.year + 1):
            issued = date(y, rng.randint(5, 10), rng.randint(1, 28))
            if issued > today:
                continue
            certification_create(
                by=None,
                enterprise=e,
                tier=tiers["tech_sme"],
                year=y,
                issued_on=issued,
                number=f"{y}330105{rng.randint(10000, 99999)}",
            )
    if stage >= 4:
        pattern = rng.random()
        y = today.year - rng.randint(0, 2)
        if pattern < 0.3:
            # A holder in its expiry year: on the 重新认定 list this year.
            y = today.year - 3
        issued = date(y, 12, rng.randint(1, 20))
        if issued > today:
            y -= 1
            issued = date(y, 12, rng.randint(1, 20))
        first = date(y - 3, 11, rng.randint(1, 28))
        # Registered a year before (RULES §2.2 condition 1).
        old_enough = e.founded_on is None or first >= e.founded_on + timedelta(366)
        if 0.3 <= pattern < 0.65 and old_enough:
            # Recognised three years earlier: the current award is a
            # re-recognition (重新认定), not a new high-tech enterprise.
            certification_create(
                by=None,
                enterprise=e,
                tier=tiers["hnte"],
                year=y - 3,
                issued_on=first,
                number=f"GR{y - 3}33{rng.randint(100000, 999999)}",
            )
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["hnte"],
            year=y,
            issued_on=issued,
            number=f"GR{y}33{rng.randint(100000, 999999)}",
        )
