"""Excel files of the enterprises app, split by subject; import from here.

Data in, bytes out, all through bureau/lib/xlsx.py, so text a user typed is
never written as a formula. The workbooks are for Chinese users only, so
headers and notes are written in Chinese rather than going through gettext.
"""

from enterprises.exports.events import (
    EVENT_EXPORT_COLUMNS,
    SCIENCE_BASE_COLUMNS,
    event_template,
    events_export,
    science_bases_export,
)
from enterprises.exports.filings import (
    ANNUAL_FIGURE_COLUMNS,
    FILING_COMMON_COLUMNS,
    MONITORING_DETAIL_COLUMNS,
    MONITORING_SUMMARY_COLUMNS,
    QUARTERLY_FIGURE_COLUMNS,
    filings_export,
    monitoring_export,
)
from enterprises.exports.ladder import (
    funnel_export,
    renewals_export,
)
from enterprises.exports.registers import (
    IP_COLUMNS,
    IP_EXPORT_COLUMNS,
    IP_HEADER_OF_FIELD,
    IP_NOTES,
    IP_SHEET,
    STAFF_COLUMNS,
    STAFF_HEADER_OF_FIELD,
    STAFF_NOTES,
    STAFF_SHEET,
    above_scale_export,
    ip_import_template,
    ip_items_export,
    staff_roster_template,
)
from enterprises.exports.registry import (
    ENTERPRISE_COLUMNS,
    HEADER_OF_FIELD,
    HELP_SHEET,
    ORGANISATION_KINDS,
    ROSTER_COLUMNS,
    ROSTER_NOTES,
    ROSTER_SHEET,
    RosterColumn,
    enterprises_export,
    roster_template,
)

__all__ = [
    "ANNUAL_FIGURE_COLUMNS",
    "ENTERPRISE_COLUMNS",
    "EVENT_EXPORT_COLUMNS",
    "FILING_COMMON_COLUMNS",
    "HEADER_OF_FIELD",
    "HELP_SHEET",
    "IP_COLUMNS",
    "IP_EXPORT_COLUMNS",
    "IP_HEADER_OF_FIELD",
    "IP_NOTES",
    "IP_SHEET",
    "MONITORING_DETAIL_COLUMNS",
    "MONITORING_SUMMARY_COLUMNS",
    "ORGANISATION_KINDS",
    "QUARTERLY_FIGURE_COLUMNS",
    "ROSTER_COLUMNS",
    "ROSTER_NOTES",
    "ROSTER_SHEET",
    "RosterColumn",
    "SCIENCE_BASE_COLUMNS",
    "STAFF_COLUMNS",
    "STAFF_HEADER_OF_FIELD",
    "STAFF_NOTES",
    "STAFF_SHEET",
    "above_scale_export",
    "enterprises_export",
    "event_template",
    "events_export",
    "filings_export",
    "funnel_export",
    "ip_import_template",
    "ip_items_export",
    "monitoring_export",
    "renewals_export",
    "roster_template",
    "science_bases_export",
    "staff_roster_template",
]
