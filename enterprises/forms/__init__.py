"""Forms of the enterprises app, split by subject; import from here."""

from enterprises.forms.calculators import (
    SuperDeductionForm,
)
from enterprises.forms.events import (
    AttendeeForm,
    AttendeeFormSet,
    EventFilterForm,
    EventForm,
    EventUploadForm,
    ScienceBaseForm,
)
from enterprises.forms.facts import (
    EnterpriseFactForm,
)
from enterprises.forms.fields import (
    FieldT,
    add_service_errors,
)
from enterprises.forms.filings import (
    AnnualReturnForm,
    FilingFilterForm,
    FilingForm,
    QuarterlyReportForm,
    ReviewForm,
    last_completed_year,
    last_ended_quarter,
)
from enterprises.forms.ladder import (
    CertificationForm,
    RenewalFilterForm,
    RevokeForm,
)
from enterprises.forms.registers import (
    AboveScaleFilterForm,
    IPFilterForm,
    IPItemForm,
    IPUploadForm,
    StaffRosterUploadForm,
    TechTransferForm,
)
from enterprises.forms.registry import (
    EnterpriseEditForm,
    EnterpriseFilterForm,
    RosterUploadForm,
)
from enterprises.forms.support import (
    VisitForm,
)

__all__ = [
    "AboveScaleFilterForm",
    "AnnualReturnForm",
    "AttendeeForm",
    "AttendeeFormSet",
    "CertificationForm",
    "EnterpriseEditForm",
    "EnterpriseFactForm",
    "EnterpriseFilterForm",
    "EventFilterForm",
    "EventForm",
    "EventUploadForm",
    "FieldT",
    "FilingFilterForm",
    "FilingForm",
    "IPFilterForm",
    "IPItemForm",
    "IPUploadForm",
    "QuarterlyReportForm",
    "RenewalFilterForm",
    "ReviewForm",
    "RevokeForm",
    "RosterUploadForm",
    "ScienceBaseForm",
    "StaffRosterUploadForm",
    "SuperDeductionForm",
    "TechTransferForm",
    "VisitForm",
    "add_service_errors",
    "last_completed_year",
    "last_ended_quarter",
]
