"""Writes of the enterprises app, split by subject; import from here."""

from enterprises.services.accounts import (
    IssuedAccount,
    enterprise_accounts_issue,
    enterprises_without_account,
    issued_accounts_workbook,
)
from enterprises.services.carriers import (
    YearsSaved,
    carrier_years_import,
    carrier_years_save,
    carriers_import,
)
from enterprises.services.cooperation import (
    CooperationImportError,
    ImportResult,
    agreement_save,
    agreements_import,
    alliance_save,
    alliances_import,
    cooperation_visit_record,
)
from enterprises.services.current_tier import (
    enterprise_tier_refresh,
    enterprise_tiers_refresh,
)
from enterprises.services.echelons import AssessmentSummary, echelon_assessment_run
from enterprises.services.events import (
    EVENT_COLUMNS,
    EventImportError,
    event_save,
    events_import,
    science_base_save,
    science_bases_import,
)
from enterprises.services.facts import enterprise_fact_record
from enterprises.services.filings import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    filing_review,
    filing_submit,
    filing_update,
    filings_accept,
    quarterly_report_create,
)
from enterprises.services.institutions import rd_institutions_import
from enterprises.services.monitoring import (
    MonitoringSummary,
    quarterly_monitoring_run,
)
from enterprises.services.registrations import (
    RegistrationRateLimited,
    registration_approve,
    registration_refuse,
    registration_submit,
)
from enterprises.services.registry import (
    CERTIFICATION_FIELDS,
    ENTERPRISE_FIELDS,
    certification_create,
    certification_expiry,
    certification_revoke,
    certifications_expire,
    eligibility_snapshots_refresh,
    enterprise_create,
    enterprise_update,
    enterprises_bulk_create,
    hnte_annual_report_record,
    hnte_missed_reports,
    hnte_missed_reports_revoke,
    hnte_report_due,
    ladder_setting,
)
from enterprises.services.renewals import RemindersSent, ladder_reminders_send
from enterprises.services.roster import (
    RosterImportError,
    RosterImportResult,
    roster_import,
)
from enterprises.services.support import (
    carrier_save,
    follow_up_close,
    loan_record,
    rd_institution_record,
    rd_institution_update,
    visit_record,
)

__all__ = [
    "EVENT_COLUMNS",
    "EventImportError",
    "event_save",
    "events_import",
    "science_base_save",
    "science_bases_import",
    "RemindersSent",
    "ladder_reminders_send",
    "enterprise_fact_record",
    "CooperationImportError",
    "ImportResult",
    "YearsSaved",
    "agreement_save",
    "agreements_import",
    "alliance_save",
    "alliances_import",
    "carrier_years_import",
    "carrier_years_save",
    "carriers_import",
    "rd_institutions_import",
    "rd_institution_update",
    "cooperation_visit_record",
    "enterprise_tier_refresh",
    "enterprise_tiers_refresh",
    "IssuedAccount",
    "RegistrationRateLimited",
    "enterprise_accounts_issue",
    "enterprises_without_account",
    "issued_accounts_workbook",
    "registration_approve",
    "registration_refuse",
    "registration_submit",
    "AssessmentSummary",
    "MonitoringSummary",
    "RosterImportError",
    "RosterImportResult",
    "echelon_assessment_run",
    "quarterly_monitoring_run",
    "roster_import",
    "ANNUAL_RETURN_FIELDS",
    "CERTIFICATION_FIELDS",
    "ENTERPRISE_FIELDS",
    "QUARTERLY_FIELDS",
    "annual_return_create",
    "filings_accept",
    "carrier_save",
    "certification_create",
    "certification_expiry",
    "certification_revoke",
    "certifications_expire",
    "eligibility_snapshots_refresh",
    "enterprise_create",
    "enterprise_update",
    "enterprises_bulk_create",
    "filing_review",
    "filing_submit",
    "filing_update",
    "follow_up_close",
    "hnte_annual_report_record",
    "hnte_missed_reports",
    "hnte_missed_reports_revoke",
    "hnte_report_due",
    "ladder_setting",
    "loan_record",
    "quarterly_report_create",
    "rd_institution_record",
    "visit_record",
]
