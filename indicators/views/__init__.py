"""Pages of the indicators app, by subject: the dashboard and its export,
one indicator's drill-down, the imports, the work-summary download."""

from indicators.views.contracts import (
    achievement_create_view,
    achievement_edit_view,
    achievement_import_view,
    achievement_list_view,
    achievement_template_view,
    contract_import_view,
    contract_list_view,
    contract_template_view,
)
from indicators.views.dashboard import dashboard_export_view, dashboard_view
from indicators.views.imports import (
    import_detail_view,
    import_list_view,
    import_rollback_view,
    import_template_view,
)
from indicators.views.indicator import indicator_view
from indicators.views.rdstats import (
    rd_bulk_view,
    rd_import_view,
    rd_ledger_view,
    rd_template_view,
    rd_unit_view,
)
from indicators.views.summary import work_summary_view

__all__ = [
    "achievement_create_view",
    "achievement_edit_view",
    "achievement_import_view",
    "achievement_list_view",
    "achievement_template_view",
    "contract_import_view",
    "contract_list_view",
    "contract_template_view",
    "rd_bulk_view",
    "rd_import_view",
    "rd_ledger_view",
    "rd_template_view",
    "rd_unit_view",
    "dashboard_export_view",
    "dashboard_view",
    "import_detail_view",
    "import_list_view",
    "import_rollback_view",
    "import_template_view",
    "indicator_view",
    "work_summary_view",
]
