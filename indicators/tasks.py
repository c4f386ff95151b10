"""Thin Celery wrappers of the indicators app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="indicators.indicator_import_apply", acks_late=True)
def indicator_import_apply(batch_id: int) -> str:
    from indicators.services.imports import import_apply

    return import_apply(batch_id=batch_id, in_request=False).status


@shared_task(name="indicators.indicators_recompute", acks_late=True)
def indicators_recompute(year: int | None = None) -> int:
    """Recompute the computed indicators of `year` (default: this year and
    last year)."""
    from django.utils import timezone

    from indicators.services.computed import indicators_recompute as recompute

    if year:
        return recompute(year=year)
    this = timezone.localdate().year
    return recompute(year=this) + recompute(year=this - 1)
