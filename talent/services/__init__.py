"""Writes of the talent app, split by subject. Every one is atomic and
audited, with a keyword-only `by=`; callers import from `talent.services`."""

from talent.services.allowances import (
    add_months,
    allowance_grant,
    allowance_payments_pay,
    allowances_mark_due,
    month_start,
)
from talent.services.commissioners import (
    commissioner_assess,
    commissioner_create,
    grade_for,
    service_log_record,
)
from talent.services.people import (
    TALENT_AUDIT_FIELDS,
    TALENT_FIELDS,
    talent_create,
    talent_update,
)
from talent.services.permit_cases import (
    CASE_MOVES,
    case_document_add,
    permit_case_create,
    permit_case_move,
)
from talent.services.teams import award_record, team_create, team_warnings

__all__ = [
    "CASE_MOVES",
    "TALENT_AUDIT_FIELDS",
    "TALENT_FIELDS",
    "add_months",
    "allowance_grant",
    "allowance_payments_pay",
    "allowances_mark_due",
    "award_record",
    "case_document_add",
    "commissioner_assess",
    "commissioner_create",
    "grade_for",
    "month_start",
    "permit_case_create",
    "permit_case_move",
    "service_log_record",
    "talent_create",
    "talent_update",
    "team_create",
    "team_warnings",
]
