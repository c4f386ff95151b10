"""Events that cross apps. Senders do not know who listens.

business_data_changed(sender, year=int, subject=str)
    Sent (after commit) by enterprises and projects when data that feeds a
    computed indicator changes: a tier awarded or revoked, a loan recorded, a
    project approved or paid. `subject` names what changed ("certification",
    "loan", "application"). indicators listens and recomputes that year.
"""

from __future__ import annotations

from django.dispatch import Signal

business_data_changed = Signal()
