"""季度监测: quarterly monitoring of the enterprises on the ladder.

After each quarter's filing deadline: who filed on time, late or not at all,
year-on-year revenue growth, decliners, certificates about to expire. One
report per street or park, replaced (never duplicated) when the quarter is
run again; staff and liaisons are told once, when the quarter's reports are
first made.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.models import OrgUnit, Role, User
from enterprises.models import (
    Certification,
    Enterprise,
    FilingStatus,
    MonitoringReport,
    QuarterlyReport,
    Tier,
)

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def parse_period(value: str) -> tuple[int, int]:
    """ "2025Q3" → (2025, 3); ValueError with a clear message otherwise."""
    match = PERIOD.match(value.strip().upper())
    if not match:
        raise ValueError(f"{value!r} is not a quarter like 2025Q3")
    return int(match.group(1)), int(match.group(2))


def filing_deadline(year: int, quarter: int) -> date:
    return QuarterlyReport.quarter_end(year, quarter) + timedelta(
        days=settings.LADDER["quarterly_filing_days"]
    )


def latest_due_quarter(today: date) -> tuple[int, int]:
    """The most recent quarter whose filing deadline has passed."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(8):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if filing_deadline(year, quarter) < today:
            return year, quarter
    raise AssertionError("unreachable")


@dataclass
class MonitoringSummary:
    year: int
    quarter: int
    monitored: int
    on_time: int
    late: int
    missing: int
    decliners: int
    expiring: int
    reports: int
    created: bool


@transaction.atomic
def quarterly_monitoring_run(
    *, year: int, quarter: int, today: date | None = None, by: User | None = None
) -> MonitoringSummary:
    """Monitor the quarter and store one report per street or park."""
    today = today or timezone.localdate()
    quarter_end = QuarterlyReport.quarter_end(year, quarter)
    deadline = filing_deadline(year, quarter)
    if deadline >= today:
        raise ValueError(
            f"{year}Q{quarter} is not due until {deadline.isoformat()}; run it after that"
        )
    decline = Decimal(settings.LADDER["decline_threshold"])
    warn_until = today + timedelta(days=settings.LADDER["expiry_warning_days"])

    # Enterprises on the ladder at the quarter's end, with the soonest expiry of
    # a multi-year certificate (高企); yearly ones (科小) renew as routine.
    monitored: dict[int, date | None] = {}
    for enterprise_id, expires, validity in Certification.objects.current(
        quarter_end
    ).values_list("enterprise_id", "expires_on", "tier__validity"):
        monitored.setdefault(enterprise_id, None)
        if validity == Tier.Validity.YEARS and expires is not None:
            known = monitored[enterprise_id]
            if known is None or expires < known:
                monitored[enterprise_id] = expires
    filings = {
        row["enterprise_id"]: row
        for row in QuarterlyReport.objects.filter(
            year=year,
            quarter=quarter,
            status__in=[FilingStatus.SUBMITTED, FilingStatus.ACCEPTED],
        ).values("enterprise_id", "submitted_at", "revenue_ytd")
    }
    base = dict(
        QuarterlyReport.objects.filter(
            year=year - 1,
            quarter=quarter,
            status__in=[FilingStatus.SUBMITTED, FilingStatus.ACCEPTED],
        ).values_list("enterprise_id", "revenue_ytd")
    )
    names = dict(Enterprise.objects.filter(pk__in=monitored).values_list("pk", "name"))
    units = dict(
        Enterprise.objects.filter(pk__in=monitored).values_list("pk", "org_unit_id")
    )

    per_unit: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "n": 0,
            "on_time": 0,
            "late": 0,
            "missing": 0,
            "decl": 0,
            "exp": 0,
            "details": [],
        }
    )
    for enterprise_id, expires in monitored.items():
        unit = per_unit[units[enterprise_id]]
        unit["n"] += 1
        flags: list[str] = []
        filing = filings.get(enterprise_id)
        growth = None
        if filing is None:
            unit["missing"] += 1
            flags.append("missing")
        else:
            submitted = (
                timezone.localtime(filing["submitted_at"]).date()
                if filing["submitted_at"]
                else None
            )
            if submitted is not None and submitted > deadline:
                unit["late"] += 1
                flags.append("late")
            else:
                unit["on_time"] += 1
            previous = base.get(enterprise_id)
            if previous:
                growth = (filing["revenue_ytd"] - previous) / previous
                if growth <= decline:
                    unit["decl"] += 1
                    flags.append("declining")
        if expires is not None and expires <= warn_until:
            unit["exp"] += 1
            flags.append("expiring")
        if flags:
            unit["details"].append(
                {
                    "id": enterprise_id,
                    "name": names[enterprise_id],
                    "flags": flags,
                    "revenue_yoy": str(growth.quantize(Decimal("0.0001")))
                    if growth is not None
                    else None,
                    "expires_on": expires.isoformat() if expires else None,
                }
            )

    created_any = False
    for unit_id, data in per_unit.items():
        data["details"].sort(key=lambda d: (len(d["flags"]) * -1, d["name"]))
        _report, created = MonitoringReport.objects.update_or_create(
            year=year,
            quarter=quarter,
            org_unit_id=unit_id,
            defaults={
                "enterprises_monitored": data["n"],
                "filed_on_time": data["on_time"],
                "filed_late": data["late"],
                "missing": data["missing"],
                "decliners": data["decl"],
                "expiring": data["exp"],
                "details": data["details"],
            },
        )
        created_any = created_any or created
    # Units with nobody left to monitor lose a stale report from an earlier run.
    MonitoringReport.objects.filter(year=year, quarter=quarter).exclude(
        org_unit_id__in=list(per_unit)
    ).delete()

    summary = MonitoringSummary(
        year=year,
        quarter=quarter,
        monitored=len(monitored),
        on_time=sum(d["on_time"] for d in per_unit.values()),
        late=sum(d["late"] for d in per_unit.values()),
        missing=sum(d["missing"] for d in per_unit.values()),
        decliners=sum(d["decl"] for d in per_unit.values()),
        expiring=sum(d["exp"] for d in per_unit.values()),
        reports=len(per_unit),
        created=created_any,
    )
    if created_any:
        _notify(summary, per_unit)
    audit(
        by=by,
        action="monitoring.run",
        message=f"{year}Q{quarter}：监测{summary.monitored}家，未报{summary.missing}家，"
        f"逾期{summary.late}家，下滑{summary.decliners}家，证书将到期{summary.expiring}家",
    )
    return summary


def _notify(summary: MonitoringSummary, per_unit: dict[int, dict[str, Any]]) -> None:
    from bureau.services import notification_create

    period = f"{summary.year}年第{summary.quarter}季度"
    url = f"/monitoring/{summary.year}Q{summary.quarter}/"
    for user in User.objects.filter(
        role__in=[Role.STAFF, Role.SECTION_HEAD], is_active=True
    ):
        notification_create(
            recipient=user,
            subject=_("%(period)s monitoring is ready") % {"period": period},
            body=_(
                "%(n)d enterprises monitored: %(missing)d did not file, %(late)d filed late, "
                "%(decl)d declining, %(exp)d certificates expiring."
            )
            % {
                "n": summary.monitored,
                "missing": summary.missing,
                "late": summary.late,
                "decl": summary.decliners,
                "exp": summary.expiring,
            },
            url=url,
            send_email=True,
        )
    liaisons = User.objects.filter(
        role=Role.STREET_LIAISON, is_active=True, org_unit_id__in=list(per_unit)
    )
    units = dict(
        OrgUnit.objects.filter(pk__in=list(per_unit)).values_list("pk", "name")
    )
    for user in liaisons:
        data = per_unit[user.org_unit_id]
        notification_create(
            recipient=user,
            subject=_("%(period)s monitoring of %(unit)s")
            % {"period": period, "unit": units[user.org_unit_id]},
            body=_(
                "%(n)d enterprises monitored: %(missing)d did not file, %(late)d filed late, "
                "%(decl)d declining, %(exp)d certificates expiring."
            )
            % {
                "n": data["n"],
                "missing": data["missing"],
                "late": data["late"],
                "decl": data["decl"],
                "exp": data["exp"],
            },
            url=url,
            send_email=True,
        )
