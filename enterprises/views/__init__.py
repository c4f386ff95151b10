"""Pages of the enterprises app, split by subject."""

from enterprises.views.accounts import enterprise_accounts_issue_view
from enterprises.views.calculators import super_deduction_view
from enterprises.views.carriers import (
    carrier_detail_view,
    carrier_edit_view,
    carrier_import_view,
    carrier_list_view,
    carrier_template_view,
    carrier_years_import_view,
    carrier_years_template_view,
)
from enterprises.views.cooperation import (
    agreement_detail_view,
    agreement_edit_view,
    agreement_import_view,
    agreement_list_view,
    agreement_template_view,
    alliance_detail_view,
    alliance_edit_view,
    alliance_import_view,
    alliance_list_view,
    alliance_template_view,
    cooperation_visit_add_view,
)
from enterprises.views.facts import enterprise_facts_view
from enterprises.views.filings import (
    filing_bulk_approve_view,
    filing_edit_view,
    filing_list_view,
    filing_review_view,
)
from enterprises.views.institutions import (
    rd_institution_edit_view,
    rd_institution_import_view,
    rd_institution_list_view,
    rd_institution_template_view,
)
from enterprises.views.ladder import (
    certification_add_view,
    certification_revoke_view,
    closest_view,
    funnel_view,
    renewals_view,
)
from enterprises.views.monitoring import (
    monitoring_index_view,
    monitoring_period_view,
    monitoring_run_view,
    monitoring_start_view,
)
from enterprises.views.registrations import (
    register_view,
    registration_approve_view,
    registration_detail_view,
    registration_list_view,
    registration_refuse_view,
)
from enterprises.views.registry import (
    enterprise_detail_view,
    enterprise_edit_view,
    enterprise_list_view,
    roster_import_view,
    roster_template_view,
)
from enterprises.views.support import follow_up_close_view, visit_add_view

__all__ = [
    "enterprise_facts_view",
    "agreement_detail_view",
    "agreement_edit_view",
    "agreement_import_view",
    "agreement_list_view",
    "agreement_template_view",
    "alliance_detail_view",
    "alliance_edit_view",
    "alliance_import_view",
    "alliance_list_view",
    "alliance_template_view",
    "carrier_detail_view",
    "carrier_edit_view",
    "carrier_import_view",
    "carrier_template_view",
    "rd_institution_edit_view",
    "rd_institution_import_view",
    "rd_institution_list_view",
    "rd_institution_template_view",
    "carrier_list_view",
    "carrier_years_import_view",
    "carrier_years_template_view",
    "cooperation_visit_add_view",
    "enterprise_accounts_issue_view",
    "register_view",
    "registration_approve_view",
    "registration_detail_view",
    "registration_list_view",
    "registration_refuse_view",
    "certification_add_view",
    "certification_revoke_view",
    "closest_view",
    "enterprise_detail_view",
    "enterprise_edit_view",
    "enterprise_list_view",
    "filing_bulk_approve_view",
    "filing_edit_view",
    "filing_list_view",
    "filing_review_view",
    "follow_up_close_view",
    "funnel_view",
    "renewals_view",
    "monitoring_index_view",
    "monitoring_period_view",
    "monitoring_run_view",
    "monitoring_start_view",
    "roster_import_view",
    "roster_template_view",
    "super_deduction_view",
    "visit_add_view",
]
