"""The indicators API (DESIGN §5), by subject."""

from indicators.apis.dashboard import DashboardApi
from indicators.apis.imports import (
    ImportCreateApi,
    ImportDetailApi,
    ImportRollbackApi,
    ImportTemplateApi,
)
from indicators.apis.values import (
    IndicatorListCreateApi,
    IndicatorValueListCreateApi,
    TargetCheckApi,
    TargetListCreateApi,
)

__all__ = [
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
