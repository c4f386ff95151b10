"""Demo enterprises for `seed_demo`, split by subject; import from here.

A few hundred believable companies of the home district across the ladder,
with three years of returns, recent quarterly reports, awards, visits, R&D
institutions, loans and carriers. Deterministic (a fixed random seed) and
idempotent: enterprises are keyed by credit code, and an enterprise that
already has returns is left alone.
"""

from enterprises.demo.cooperation import seed_cooperation
from enterprises.demo.events import (
    EVENTS,
    SCIENCE_BASES,
)
from enterprises.demo.registers import (
    IP_TITLES,
    TRANSFER_TITLES,
    seed_registers,
)
from enterprises.demo.registry import (
    COUNT,
    seed_enterprises,
)
from enterprises.demo.support import (
    BANKS,
    ISSUES,
)
from enterprises.demo.vocabulary import (
    BRANDS,
    GIVEN,
    SECTIONS,
    SURNAMES,
    TRADES,
    WAN,
)

__all__ = [
    "BANKS",
    "BRANDS",
    "COUNT",
    "EVENTS",
    "GIVEN",
    "IP_TITLES",
    "ISSUES",
    "SCIENCE_BASES",
    "SECTIONS",
    "SURNAMES",
    "TRADES",
    "TRANSFER_TITLES",
    "WAN",
    "seed_cooperation",
    "seed_enterprises",
    "seed_registers",
]
