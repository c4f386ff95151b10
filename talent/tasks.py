"""Thin Celery wrappers of the talent app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="talent.allowances_mark_due", acks_late=True)
def allowances_mark_due(month: str = "") -> dict:
    """Mark the allowance payments of `month` ("2026-03", default this month)
    due, and stop those of people who have left. Idempotent."""
    from datetime import date

    from django.utils import timezone

    from talent.services import allowances_mark_due as mark_due

    if month:
        year, number = (int(x) for x in month.split("-"))
        day = date(year, number, 1)
    else:
        day = timezone.localdate()
    return mark_due(month=day)
