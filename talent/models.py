from __future__ import annotations

# Filled by the talent issue.
