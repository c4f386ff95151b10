from __future__ import annotations

# Filled by the indicators issue.
