"""Writes of 科技特派员: creation, service logs, annual assessment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save
from bureau.models import User
from talent.models import (
    Commissioner,
    CommissionerAssessment,
    ServiceLog,
)


@transaction.atomic
def commissioner_create(
    *, by: User, served_enterprises: list[Any] | None = None, **fields: Any
) -> Commissioner:
    commissioner = audited_save(
        Commissioner(**fields),
        by=by,
        action="commissioner.create",
        fields=[
            "kind",
            "name",
            "sending_organisation",
            "served_area",
            "term_start",
            "term_end",
        ],
    )
    if served_enterprises:
        commissioner.served_enterprises.set(served_enterprises)
    return commissioner


@transaction.atomic
def service_log_record(
    *, by: User, commissioner: Commissioner, **fields: Any
) -> ServiceLog:
    log = ServiceLog(commissioner=commissioner, **fields)
    log.full_clean()
    if log.served_on > timezone.localdate():
        raise ValidationError({"served_on": _("The date is in the future.")})
    return audited_save(
        log,
        by=by,
        action="service_log.record",
        fields=["served_on", "kind", "count", "result"],
        validate=False,
    )


def grade_for(score: int) -> str:
    thresholds = settings.TALENT_COMMISSIONER_GRADES
    if score >= thresholds["excellent"]:
        return CommissionerAssessment.Grade.EXCELLENT
    if score >= thresholds["good"]:
        return CommissionerAssessment.Grade.GOOD
    if score >= thresholds["pass"]:
        return CommissionerAssessment.Grade.PASS
    return CommissionerAssessment.Grade.FAIL


@transaction.atomic
def commissioner_assess(
    *, by: User, commissioner: Commissioner, year: int, score: int, comment: str = ""
) -> CommissionerAssessment:
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("The score is out of 100.")})
    assessment, created = CommissionerAssessment.objects.update_or_create(
        commissioner=commissioner,
        year=year,
        defaults={"score": score, "grade": grade_for(score), "comment": comment},
    )
    audit(
        by=by,
        action="commissioner.assess",
        target=assessment,
        after={"year": year, "score": score, "grade": assessment.grade},
    )
    return assessment
