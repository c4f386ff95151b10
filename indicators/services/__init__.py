"""Writes of the indicators app, by subject: indicators, values and
targets; the computed indicators; the imports; the ledgers (contracts,
achievements, R&D statistics)."""

from indicators.permissions import may_enter
from indicators.services.achievements import achievement_save, achievements_import
from indicators.services.computed import indicators_recompute, recompute_later
from indicators.services.contracts import (
    LedgerImportError,
    LedgerImportResult,
    tech_contract_create,
    tech_contracts_import,
)
from indicators.services.imports import (
    ImportRefused,
    import_apply,
    import_rollback,
    import_start,
)
from indicators.services.rdstats import (
    rd_unit_create,
    rd_unit_set_status,
    rd_units_bulk_status,
    rd_units_import,
)
from indicators.services.values import (
    check_value_target,
    indicator_create,
    plain_number,
    target_set,
    target_split_check,
    value_set,
)

__all__ = [
    "LedgerImportError",
    "LedgerImportResult",
    "achievement_save",
    "achievements_import",
    "rd_unit_create",
    "rd_unit_set_status",
    "rd_units_bulk_status",
    "rd_units_import",
    "tech_contract_create",
    "tech_contracts_import",
    "ImportRefused",
    "check_value_target",
    "import_apply",
    "import_rollback",
    "import_start",
    "indicator_create",
    "indicators_recompute",
    "may_enter",
    "plain_number",
    "recompute_later",
    "target_set",
    "target_split_check",
    "value_set",
]
