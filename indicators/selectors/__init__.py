"""Reads of the indicators app, by subject: the dashboard, the street
drill-down, the import batches and the work summary's figures."""

from indicators.selectors.contracts import (
    AchievementFilters,
    ContractFilters,
    achievement_list,
    contract_counts_by_street,
    contract_figures,
    contract_list,
    contract_wan_by_street,
    contract_years,
)
from indicators.selectors.dashboard import (
    Book,
    Dashboard,
    Figure,
    IndicatorBoard,
    dashboard,
    red_black_lists,
)
from indicators.selectors.imports import import_batches
from indicators.selectors.rdstats import (
    RDFilters,
    StreetProgress,
    rd_default_year,
    rd_ledger_years,
    rd_progress,
    rd_statistics_figures,
    rd_unit_list,
    rd_units_by_street,
    street_choices,
)

__all__ = [
    "AchievementFilters",
    "ContractFilters",
    "RDFilters",
    "StreetProgress",
    "achievement_list",
    "contract_counts_by_street",
    "contract_figures",
    "contract_list",
    "contract_wan_by_street",
    "contract_years",
    "rd_default_year",
    "rd_ledger_years",
    "rd_progress",
    "rd_statistics_figures",
    "rd_unit_list",
    "rd_units_by_street",
    "street_choices",
    "Book",
    "Dashboard",
    "Figure",
    "IndicatorBoard",
    "dashboard",
    "import_batches",
    "red_black_lists",
]
