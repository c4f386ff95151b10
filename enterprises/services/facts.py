"""Record the facts the pre-check cannot take from figures: a credit or
incident check, an expert's judgement of the core-technology field …"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from bureau.audit import audited_save
from bureau.models import User
from enterprises.models import Enterprise, EnterpriseFact


@transaction.atomic
def enterprise_fact_record(
    *,
    enterprise: Enterprise,
    subject: str,
    met: bool,
    checked_on: date,
    source: str,
    note: str = "",
    by: User,
) -> EnterpriseFact:
    """Record one check of `subject` for `enterprise`. Earlier checks are
    kept (the history); the latest still valid decides the pre-check."""
    return audited_save(
        EnterpriseFact(
            enterprise=enterprise,
            subject=subject,
            met=met,
            checked_on=checked_on,
            source=source.strip(),
            note=note.strip(),
            recorded_by=by,
        ),
        by=by,
        action="enterprise_fact.record",
        fields=["subject", "met", "checked_on", "source", "note"],
        message=str(enterprise),
    )
