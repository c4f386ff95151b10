"""Writes of the projects won from higher levels, by subject: the
recommendation and the higher level's decisions with the running project's
checks (decisions), the Excel import of decisions (imports), the
reserve (reserve) and its Excel import (reserve_import)."""

from projects.services.upward.decisions import (
    recommendation_create,
    upward_acceptance_record,
    upward_midterm_record,
    upward_outcome_record,
    upward_outcomes_record,
)
from projects.services.upward.imports import (
    OUTCOME_COLUMNS,
    OutcomeImportError,
    OutcomeImportResult,
    upward_outcomes_import,
)
from projects.services.upward.reserve import (
    reserve_drop,
    reserve_promote,
    reserve_save,
)
from projects.services.upward.reserve_import import (
    RESERVE_IMPORT_COLUMNS,
    ReserveImportError,
    ReserveImportResult,
    reserve_import,
)

__all__ = [
    "OUTCOME_COLUMNS",
    "OutcomeImportError",
    "OutcomeImportResult",
    "RESERVE_IMPORT_COLUMNS",
    "ReserveImportError",
    "ReserveImportResult",
    "recommendation_create",
    "reserve_drop",
    "reserve_import",
    "reserve_promote",
    "reserve_save",
    "upward_acceptance_record",
    "upward_midterm_record",
    "upward_outcome_record",
    "upward_outcomes_record",
    "upward_outcomes_import",
]
