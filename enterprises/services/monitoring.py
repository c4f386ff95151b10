"""季度监测: store the quarter's monitoring, one report per street or park,
replaced (never duplicated) when the quarter is run again; staff and liaisons
are told once, when the quarter's reports are first made. The arithmetic is in
enterprises/monitoring.py.

Staff start a quarter from the page (`monitoring_start`): a Celery task
(`enterprises.tasks.quarterly_monitoring`) runs it and reports its progress
in the cache under a run id, which the page polls (`monitoring_run_status`).
Without Redis the task runs eagerly, so the run is done when the page returns.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import OrgUnit, Role, User
from bureau.permissions import BUREAU_WRITERS
from enterprises.models import (
    Certification,
    Enterprise,
    FilingStatus,
    MonitoringReport,
    QuarterlyReport,
    Tier,
)
from enterprises.monitoring import (
    Filing,
    UnitTally,
    due_quarters,
    filing_deadline,
    tally,
)
from enterprises.renewals import warning_until
from enterprises.services.registry import ladder_setting

_HANDED_IN = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)


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


# (units stored so far, units in all): called as the reports are stored.
Progress = Callable[[int, int], None]


@transaction.atomic
def quarterly_monitoring_run(
    *,
    year: int,
    quarter: int,
    today: date | None = None,
    by: User | None = None,
    progress: Progress | None = None,
) -> MonitoringSummary:
    """Monitor the quarter and store one report per street or park."""
    today = today or timezone.localdate()
    quarter_end = QuarterlyReport.quarter_end(year, quarter)
    deadline = filing_deadline(year, quarter)
    if deadline >= today:
        raise ValueError(
            f"{year}Q{quarter} is not due until {deadline.isoformat()}; run it after that"
        )

    # Enterprises on the ladder at the quarter's end, with the soonest expiry of
    # a multi-year certificate (高企); yearly ones (科小) renew as routine.
    # Which tiers are monitored is a setting (LADDER["monitored_tiers"]).
    on_ladder = Certification.objects.current(quarter_end)
    tiers = ladder_setting("monitored_tiers")
    if tiers is not None:
        on_ladder = on_ladder.filter(tier__code__in=tiers)
    monitored: dict[int, date | None] = {}
    for enterprise_id, expires, validity in on_ladder.values_list(
        "enterprise_id", "expires_on", "tier__validity"
    ):
        monitored.setdefault(enterprise_id, None)
        if validity == Tier.Validity.YEARS and expires is not None:
            known = monitored[enterprise_id]
            if known is None or expires < known:
                monitored[enterprise_id] = expires
    filings = {
        enterprise_id: Filing(submitted_at, revenue)
        for enterprise_id, submitted_at, revenue in QuarterlyReport.objects.filter(
            year=year, quarter=quarter, status__in=_HANDED_IN
        ).values_list("enterprise_id", "submitted_at", "revenue_ytd")
    }
    last_year = dict(
        QuarterlyReport.objects.filter(
            year=year - 1, quarter=quarter, status__in=_HANDED_IN
        ).values_list("enterprise_id", "revenue_ytd")
    )
    names, units = {}, {}
    for pk, name, unit_id in Enterprise.objects.filter(pk__in=monitored).values_list(
        "pk", "name", "org_unit_id"
    ):
        names[pk], units[pk] = name, unit_id

    per_unit = tally(
        monitored=monitored,
        units=units,
        names=names,
        filings=filings,
        last_year_revenue=last_year,
        deadline=deadline,
        decline=Decimal(ladder_setting("decline_threshold")),
        warn_until=warning_until(today),
    )

    created_any = False
    total = len(per_unit)
    for stored, (unit_id, unit) in enumerate(per_unit.items()):
        if progress is not None:
            progress(stored, total)
        _report, created = MonitoringReport.objects.update_or_create(
            year=year,
            quarter=quarter,
            org_unit_id=unit_id,
            defaults={
                "enterprises_monitored": unit.monitored,
                "filed_on_time": unit.on_time,
                "filed_late": unit.late,
                "missing": unit.missing,
                "decliners": unit.decliners,
                "expiring": unit.expiring,
                "details": unit.details,
            },
        )
        created_any = created_any or created
    # Units with nobody left to monitor lose a stale report from an earlier run.
    MonitoringReport.objects.filter(year=year, quarter=quarter).exclude(
        org_unit_id__in=list(per_unit)
    ).delete()

    units_tallied = per_unit.values()
    summary = MonitoringSummary(
        year=year,
        quarter=quarter,
        monitored=len(monitored),
        on_time=sum(u.on_time for u in units_tallied),
        late=sum(u.late for u in units_tallied),
        missing=sum(u.missing for u in units_tallied),
        decliners=sum(u.decliners for u in units_tallied),
        expiring=sum(u.expiring for u in units_tallied),
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


def _body(unit: UnitTally | MonitoringSummary, monitored: int) -> str:
    return _(
        "%(n)d enterprises monitored: %(missing)d did not file, %(late)d filed late, "
        "%(decl)d declining, %(exp)d certificates expiring."
    ) % {
        "n": monitored,
        "missing": unit.missing,
        "late": unit.late,
        "decl": unit.decliners,
        "exp": unit.expiring,
    }


def _notify(summary: MonitoringSummary, per_unit: dict[int, UnitTally]) -> None:
    from bureau.services import notification_create

    period = QuarterlyReport.period_label(summary.year, summary.quarter)
    url = reverse(
        "monitoring-period", kwargs={"year": summary.year, "quarter": summary.quarter}
    )
    for user in User.objects.filter(role__in=BUREAU_WRITERS, is_active=True):
        notification_create(
            recipient=user,
            subject=_("%(period)s monitoring is ready") % {"period": period},
            body=_body(summary, summary.monitored),
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
        unit_id = user.org_unit_id
        if unit_id is None:  # the filter above keeps only liaisons with a unit
            continue
        unit = per_unit[unit_id]
        notification_create(
            recipient=user,
            subject=_("%(period)s monitoring of %(unit)s")
            % {"period": period, "unit": units[unit_id]},
            body=_body(unit, unit.monitored),
            url=url,
            send_email=True,
        )


# --- Starting a run from the page, and its progress -----------------------------

RUN_TTL = 24 * 3600  # seconds a run's progress stays readable


def _run_key(run_id: str) -> str:
    return f"enterprises:monitoring-run:{run_id}"


def monitoring_run_status(run_id: str) -> dict[str, Any] | None:
    """A started run as the page shows it: `state` (queued, running, done,
    failed), `done` and `total` units, `percent`, `year`, `quarter`, `by`
    (the user id who started it), and the `summary` once done; None for an
    unknown or expired run."""
    status: dict[str, Any] | None = cache.get(_run_key(run_id))
    return status


def monitoring_run_update(run_id: str, **changes: Any) -> None:
    """Record a run's progress (the task calls this as it goes)."""
    status = monitoring_run_status(run_id) or {}
    status.update(changes)
    done, total = status.get("done", 0), status.get("total", 0)
    if status.get("state") == "done":
        status["percent"] = 100
    else:
        status["percent"] = round(90 * done / total) if total else 5
    cache.set(_run_key(run_id), status, RUN_TTL)


def monitoring_start(
    *, year: int, quarter: int, by: User, today: date | None = None
) -> str:
    """Start monitoring a quarter whose filing deadline has passed: audit who
    asked, queue the task and return the run id the page polls."""
    from enterprises.tasks import quarterly_monitoring as quarterly_monitoring_task

    today = today or timezone.localdate()
    if (year, quarter) not in due_quarters(today):
        raise ApplicationError(
            _(
                "%(period)s cannot be monitored: choose a quarter whose filing deadline has passed."
            )
            % {"period": QuarterlyReport.period_label(year, quarter)},
            code="quarter_not_due",
        )
    run_id = uuid.uuid4().hex
    monitoring_run_update(
        run_id, state="queued", year=year, quarter=quarter, by=by.pk, done=0, total=0
    )
    audit(
        by=by,
        action="monitoring.start",
        message=QuarterlyReport.period_label(year, quarter),
    )
    try:
        quarterly_monitoring_task.delay(f"{year}Q{quarter}", by.pk, run_id)
    except Exception:  # kombu raises several unrelated types when Redis is down
        logging.getLogger(__name__).exception("Could not queue monitoring %s", run_id)
        monitoring_run_update(run_id, state="failed", error="not queued")
    return run_id


def monitoring_run_tracked(
    *, year: int, quarter: int, by: User | None, run_id: str
) -> MonitoringSummary | None:
    """The task's body for a run started from the page: run the quarter,
    reporting progress under `run_id`; a failure is recorded for the page
    (and logged), not raised, so an eager run never breaks the request."""

    def progress(done: int, total: int) -> None:
        monitoring_run_update(run_id, state="running", done=done, total=total)

    monitoring_run_update(run_id, state="running")
    try:
        summary = quarterly_monitoring_run(
            year=year, quarter=quarter, by=by, progress=progress
        )
    except Exception as exc:  # the page shows the failure; the log keeps it
        logging.getLogger(__name__).exception("Monitoring run %s failed", run_id)
        monitoring_run_update(run_id, state="failed", error=str(exc))
        return None
    monitoring_run_update(
        run_id,
        state="done",
        done=summary.reports,
        total=summary.reports,
        summary=asdict(summary),
    )
    return summary
