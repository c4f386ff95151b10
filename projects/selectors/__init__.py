"""Reads of the projects app, by subject. Callers import from here."""

from projects.selectors.applications import QUEUES, application_list, work_queue
from projects.selectors.calls import (
    CallEligibility,
    RankedApplication,
    call_eligibility,
    call_list,
    call_ranking,
)
from projects.selectors.figures import (
    approved_funds_above_district,
    project_figures,
    project_progress_figures,
    reward_rule_figures,
    voucher_figures,
)
from projects.selectors.money import ledger
from projects.selectors.queues import (
    APPLICATION_QUEUES,
    applications_waiting,
    open_calls,
    open_reviews,
    panels_ready,
)
from projects.selectors.reviews import (
    ReviewGap,
    assignments_for_expert,
    panel_assignments,
    panel_events,
    panel_gaps,
)
from projects.selectors.rewards import (
    BatchTotals,
    RuleTotal,
    entitlement_list,
    reward_batch_export_rows,
    reward_batch_list,
    reward_batch_totals,
)
from projects.selectors.upward import (
    hit_rate,
    recommendable_applications,
    reserve_list,
    upward_approved_by_street,
    upward_figures,
    upward_funds_by_street,
    upward_project_list,
    upward_recommended_by_street,
)
from projects.selectors.vouchers import (
    service_provider_list,
    voucher_claim_list,
    voucher_enterprise_held,
    voucher_scheme_current,
    voucher_scheme_list,
)

__all__ = [
    "hit_rate",
    "recommendable_applications",
    "reserve_list",
    "upward_approved_by_street",
    "upward_figures",
    "upward_funds_by_street",
    "upward_project_list",
    "upward_recommended_by_street",
    "APPLICATION_QUEUES",
    "QUEUES",
    "BatchTotals",
    "CallEligibility",
    "RankedApplication",
    "ReviewGap",
    "RuleTotal",
    "application_list",
    "applications_waiting",
    "approved_funds_above_district",
    "project_progress_figures",
    "reward_rule_figures",
    "voucher_figures",
    "assignments_for_expert",
    "panel_assignments",
    "panel_events",
    "panel_gaps",
    "call_eligibility",
    "call_list",
    "call_ranking",
    "entitlement_list",
    "ledger",
    "open_calls",
    "open_reviews",
    "panels_ready",
    "project_figures",
    "reward_batch_export_rows",
    "reward_batch_list",
    "reward_batch_totals",
    "service_provider_list",
    "voucher_claim_list",
    "voucher_enterprise_held",
    "voucher_scheme_current",
    "voucher_scheme_list",
    "work_queue",
]
