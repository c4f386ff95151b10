"""Thin Celery wrappers of the enterprises app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.quarterly_monitoring", acks_late=True)
def quarterly_monitoring(
    period: str = "", by_id: int | None = None, run_id: str = ""
) -> dict | None:
    """Monitor `period` ("2025Q3"), or the latest quarter past its deadline.
    Started from the page, it carries who asked (`by_id`) and reports its
    progress under `run_id`."""
    from dataclasses import asdict

    from django.utils import timezone

    from bureau.models import User
    from enterprises.monitoring import latest_due_quarter, parse_period
    from enterprises.services import quarterly_monitoring_run
    from enterprises.services.monitoring import monitoring_run_tracked

    year, quarter = (
        parse_period(period) if period else latest_due_quarter(timezone.localdate())
    )
    by = User.objects.filter(pk=by_id).first() if by_id else None
    if run_id:
        summary = monitoring_run_tracked(
            year=year, quarter=quarter, by=by, run_id=run_id
        )
        return asdict(summary) if summary else None
    return asdict(quarterly_monitoring_run(year=year, quarter=quarter, by=by))


@shared_task(name="enterprises.certifications_expire")
def certifications_expire() -> int:
    """Nightly: mark the certificates past their expiry, then move every
    enterprise's current tier past them (and onto awards dated today)."""
    from enterprises.services import certifications_expire, enterprise_tiers_refresh

    expired = certifications_expire()
    enterprise_tiers_refresh()
    return expired


@shared_task(name="enterprises.hnte_missed_reports_revoke")
def hnte_missed_reports_revoke() -> int:
    from enterprises.services import hnte_missed_reports_revoke

    return len(hnte_missed_reports_revoke())


@shared_task(name="enterprises.eligibility_snapshots_refresh")
def eligibility_snapshots_refresh() -> int:
    from enterprises.services import eligibility_snapshots_refresh

    return eligibility_snapshots_refresh()


@shared_task(name="enterprises.ladder_reminders_send")
def ladder_reminders_send() -> dict:
    """Daily: the 科小 registration and 高企 re-recognition reminders due
    today, each once per enterprise and year."""
    from dataclasses import asdict

    from enterprises.services import ladder_reminders_send

    return asdict(ladder_reminders_send())
