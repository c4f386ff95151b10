"""Thin Celery wrappers of the enterprises app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.quarterly_monitoring", acks_late=True)
def quarterly_monitoring(period: str = "") -> dict:
    """Monitor `period` ("2025Q3"), or the latest quarter past its deadline."""
    from dataclasses import asdict

    from django.utils import timezone

    from enterprises.monitoring import latest_due_quarter, parse_period
    from enterprises.services import quarterly_monitoring_run

    year, quarter = (
        parse_period(period) if period else latest_due_quarter(timezone.localdate())
    )
    return asdict(quarterly_monitoring_run(year=year, quarter=quarter))


@shared_task(name="enterprises.certifications_expire")
def certifications_expire() -> int:
    from enterprises.services import certifications_expire

    return certifications_expire()


@shared_task(name="enterprises.hnte_missed_reports_revoke")
def hnte_missed_reports_revoke() -> int:
    from enterprises.services import hnte_missed_reports_revoke

    return len(hnte_missed_reports_revoke())


@shared_task(name="enterprises.eligibility_snapshots_refresh")
def eligibility_snapshots_refresh() -> int:
    from enterprises.services import eligibility_snapshots_refresh

    return eligibility_snapshots_refresh()
