"""The IP and transfer rules at the boundaries RULES §2.3, §2.5, §3.2 give."""

from __future__ import annotations

from datetime import date

import pytest

from enterprises import ip_rules
from enterprises.ip_rules import IPFacts, TransferFacts

ON = date(2026, 6, 1)


def item(
    ip_class: str = "2",
    *,
    status: str = "granted",
    granted_on: date | None = date(2024, 1, 1),
    expires_on: date | None = None,
    ownership: str = "own_rd",
    used: int | None = None,
) -> IPFacts:
    return IPFacts(
        ip_class=ip_class,
        status=status,
        granted_on=granted_on,
        expires_on=expires_on,
        ownership=ownership,
        hnte_used_year=used,
    )


@pytest.mark.parametrize(
    ("ip_type", "ip_class"),
    [
        ("invention", "1"),
        ("defence_patent", "1"),
        ("ic_layout", "1"),
        ("plant_variety", "1"),
        ("utility", "2"),
        ("design", "2"),
        ("software", "2"),
        ("trademark", ""),
        ("other", ""),
        ("unknown", ""),
    ],
)
def test_the_class_follows_the_type(ip_type: str, ip_class: str) -> None:
    assert ip_rules.ip_class_of(ip_type) == ip_class


def test_trademarks_are_never_counted() -> None:
    count = ip_rules.count_for_high_tech([item(""), item("")], on=ON)
    assert (count.class1, count.class2) == (0, 0)
    assert ip_rules.count_for_tech_sme([item("")], on=ON).total == 0


def test_an_item_counts_from_its_grant_date_inclusive() -> None:
    granted = item("1", granted_on=ON)
    assert ip_rules.count_for_high_tech([granted], on=ON).class1 == 1
    late = item("1", granted_on=date(2026, 6, 2))
    assert ip_rules.count_for_high_tech([late], on=ON).class1 == 0


def test_an_item_counts_to_the_last_day_of_protection() -> None:
    assert ip_rules.count_for_high_tech([item("1", expires_on=ON)], on=ON).class1 == 1
    ended = item("1", expires_on=date(2026, 5, 31))
    assert ip_rules.count_for_high_tech([ended], on=ON).class1 == 0


@pytest.mark.parametrize("status", ["pending", "lapsed", "transferred"])
def test_only_granted_items_count(status: str) -> None:
    assert ip_rules.count_for_high_tech([item("1", status=status)], on=ON).total == 0


def test_a_class_2_item_used_in_an_earlier_application_is_not_counted_again() -> None:
    items = [item(used=2025), item(used=2026), item()]
    count = ip_rules.count_for_high_tech(items, on=ON)
    # 2025's application used the first; this year's (2026) still counts.
    assert count.class2 == 2
    assert count.class2_used_before == 1


def test_a_class_1_item_may_be_used_again() -> None:
    count = ip_rules.count_for_high_tech([item("1", used=2020)], on=ON)
    assert count.class1 == 1


def test_tech_sme_counts_class_2_items_used_for_hnte() -> None:
    count = ip_rules.count_for_tech_sme([item(used=2020), item()], on=ON)
    assert count.class2 == 2


@pytest.mark.parametrize(
    ("class2", "band"), [(0, "E"), (1, "D"), (2, "D"), (3, "C"), (4, "C"), (5, "B")]
)
def test_the_count_band_by_class_2_items(class2: int, band: str) -> None:
    result = ip_rules.high_tech_ip_band([item() for _ in range(class2)], on=ON)
    assert result.count_band.band == band


def test_one_class_1_item_gives_band_a() -> None:
    assert ip_rules.high_tech_ip_band([item("1")], on=ON).count_band.band == "A"


def test_acquisition_band_by_how_the_counted_items_were_obtained() -> None:
    own = ip_rules.high_tech_ip_band([item(), item(ownership="transfer")], on=ON)
    assert own.acquisition_band.band == "A"
    bought = ip_rules.high_tech_ip_band([item(ownership="transfer")], on=ON)
    assert (bought.acquisition_band.band, bought.acquisition_band.points) == (
        "B",
        (1, 3),
    )
    # An own item already used before does not make the band A.
    used = ip_rules.high_tech_ip_band([item(used=2024), item(ownership="gift")], on=ON)
    assert used.acquisition_band.band == "B"
    assert ip_rules.high_tech_ip_band([], on=ON).acquisition_band.points == (0, 0)


def test_the_ip_indicator_is_capped_at_30() -> None:
    assert (
        ip_rules.ip_indicator(
            advancement=8, core_support=8, count=8, acquisition=6, standards_bonus=2
        )
        == 30
    )
    assert (
        ip_rules.ip_indicator(
            advancement=8, core_support=8, count=8, acquisition=6, standards_bonus=0
        )
        == 30
    )
    assert (
        ip_rules.ip_indicator(
            advancement=7, core_support=7, count=7, acquisition=6, standards_bonus=2
        )
        == 29
    )
    with pytest.raises(ValueError):
        ip_rules.ip_indicator(advancement=9, core_support=0, count=0, acquisition=0)


def test_the_indicator_range_the_register_allows() -> None:
    band = ip_rules.high_tech_ip_band([item("1")], on=ON)
    assert band.indicator_range == (8, 30)
    none = ip_rules.high_tech_ip_band([], on=ON)
    assert none.indicator_range == (0, 18)


def test_a_result_converted_in_several_years_counts_once() -> None:
    key = ip_rules.result_key("智能 温控系统")
    transfers = [
        TransferFacts(key, 2023),
        TransferFacts(ip_rules.result_key("智能温控系统"), 2024),
        TransferFacts(key, 2025),
        TransferFacts(ip_rules.result_key("新型传感器"), 2025),
    ]
    assert ip_rules.high_tech_transfer_count(transfers, on=ON) == 2


def test_the_transfer_window_is_the_three_years_before_the_application() -> None:
    transfers = [
        TransferFacts("a", 2022),
        TransferFacts("b", 2023),
        TransferFacts("c", 2025),
        TransferFacts("d", 2026),
    ]
    assert ip_rules.high_tech_transfer_count(transfers, on=ON) == 2
