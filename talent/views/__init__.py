"""Pages of the talent app, split by subject; urls import them from here."""

from talent.views.allowances import allowance_month_view, allowance_pay_view
from talent.views.calculators import work_permit_calculator_view
from talent.views.commissioners import commissioner_detail_view, commissioner_list_view
from talent.views.people import (
    talent_create_view,
    talent_detail_view,
    talent_list_view,
)
from talent.views.permit_cases import (
    case_document_download_view,
    case_document_upload_view,
    permit_cases_view,
)

__all__ = [
    "allowance_month_view",
    "allowance_pay_view",
    "case_document_download_view",
    "case_document_upload_view",
    "commissioner_detail_view",
    "commissioner_list_view",
    "permit_cases_view",
    "talent_create_view",
    "talent_detail_view",
    "talent_list_view",
    "work_permit_calculator_view",
]
