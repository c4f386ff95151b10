"""Signals of the indicators app."""

from django.dispatch import Signal

# Values, targets or computed indicators were written (sent by the indicators
# services, including their bulk writes that fire no model signals); the
# dashboard cache starts a new version when the transaction commits.
indicator_data_changed = Signal()
