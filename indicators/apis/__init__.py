"""The indicators API (DESIGN §5), by subject."""

from indicators.apis.contracts import (
    AchievementListCreateApi,
    TechContractListCreateApi,
)
from indicators.apis.dashboard import DashboardApi
from indicators.apis.imports import (
    ImportCreateApi,
    ImportDetailApi,
    ImportRollbackApi,
    ImportTemplateApi,
)
from indicators.apis.rdstats import RDUnitListCreateApi, RDUnitStatusApi
from indicators.apis.values import (
    IndicatorListCreateApi,
    IndicatorValueListCreateApi,
    TargetCheckApi,
    TargetListCreateApi,
)

__all__ = [
    "AchievementListCreateApi",
    "RDUnitListCreateApi",
    "RDUnitStatusApi",
    "TechContractListCreateApi",
    "DashboardApi",
    "ImportCreateApi",
    "ImportDetailApi",
    "ImportRollbackApi",
    "ImportTemplateApi",
    "IndicatorListCreateApi",
    "IndicatorValueListCreateApi",
    "TargetCheckApi",
    "TargetListCreateApi",
]
