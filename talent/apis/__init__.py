"""The talent API, one APIView per operation, split by subject; api_urls and
the schema import the views from here."""

from talent.apis.allowances import AllowanceGrantApi, AllowancePaymentsApi
from talent.apis.calculators import WorkPermitClassApi
from talent.apis.commissioners import (
    CommissionerAssessApi,
    CommissionerListCreateApi,
    CommissionerLogsApi,
)
from talent.apis.people import TalentDetailApi, TalentListCreateApi, TalentSearchApi
from talent.apis.permit_cases import PermitCaseCreateApi, PermitCaseMoveApi
from talent.apis.teams import TeamCreateApi

__all__ = [
    "AllowanceGrantApi",
    "AllowancePaymentsApi",
    "CommissionerAssessApi",
    "CommissionerListCreateApi",
    "CommissionerLogsApi",
    "PermitCaseCreateApi",
    "PermitCaseMoveApi",
    "TalentDetailApi",
    "TalentListCreateApi",
    "TalentSearchApi",
    "TeamCreateApi",
    "WorkPermitClassApi",
]
