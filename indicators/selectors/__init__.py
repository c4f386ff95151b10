"""Reads of the indicators app, by subject: the dashboard, the street
drill-down, the import batches and the work summary's figures."""

from indicators.selectors.dashboard import (
    Book,
    Dashboard,
    Figure,
    IndicatorBoard,
    dashboard,
    red_black_lists,
)
from indicators.selectors.imports import import_batches

__all__ = [
    "Book",
    "Dashboard",
    "Figure",
    "IndicatorBoard",
    "dashboard",
    "import_batches",
    "red_black_lists",
]
