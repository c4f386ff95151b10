"""The ledgers' rules, pure: a contract's direction for our district, and
which R&D statistics units count as reporting, newly reporting, and as 规上
enterprises with R&D activity. No ORM writes."""

from __future__ import annotations

from decimal import Decimal

OUTFLOW, INFLOW, BOTH = "out", "in", "both"
REPORTING = ("reported", "verified")


def contract_direction(*, seller_in_district: bool, buyer_in_district: bool) -> str:
    """输出 when the seller is ours, 吸纳 when the buyer is, both when both
    are; "" when neither is (the contract is not the district's)."""
    if seller_in_district and buyer_in_district:
        return BOTH
    if seller_in_district:
        return OUTFLOW
    if buyer_in_district:
        return INFLOW
    return ""


def counts_as(direction: str, wanted: str) -> bool:
    """Whether a contract of `direction` counts in `wanted` (out or in): a
    contract between two of the district's parties counts both ways."""
    return direction == wanted or direction == BOTH


def is_reporting(status: str) -> bool:
    """出报: the unit has handed in its R&D figures (verified or not)."""
    return status in REPORTING


def is_newly_reporting(status: str, last_year_amount: Decimal | None) -> bool:
    """新增出报: reporting this year, and no R&D spending reported last year."""
    return is_reporting(status) and not last_year_amount


def has_rd_activity(status: str, amount: Decimal | None) -> bool:
    """A unit with R&D activity: reporting a spending above zero."""
    return is_reporting(status) and amount is not None and amount > 0
