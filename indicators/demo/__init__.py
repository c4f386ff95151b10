"""Demo indicator data for `seed_demo`, split by subject; import from here.

`seed_indicators` writes values and targets (values.py, targets.py, through
the buffered writer in writer.py) and then calls `seed_ledgers`, which writes
the technology contract and achievement ledgers (ledgers.py).
"""

from indicators.demo.ledgers import (
    seed_ledgers,
)
from indicators.demo.values import (
    COMPUTED,
    DISTRICTS,
    FALLBACKS,
    seed_indicators,
)
from indicators.demo.writer import (
    Key,
)

__all__ = [
    "COMPUTED",
    "DISTRICTS",
    "FALLBACKS",
    "Key",
    "seed_indicators",
    "seed_ledgers",
]
