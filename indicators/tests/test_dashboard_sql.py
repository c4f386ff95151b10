"""The dashboard reads its values aggregated in SQL (selectors.dashboard_sql);
its answer must stay exactly what calc.aggregate makes of the rows
themselves (the row-reading Book). Pinned on a dataset with every kind of
indicator: summed months and quarters, stocks, year-to-date, annual values
beside months, ratios whose parts cover different months, a computed
indicator in the current year, lower-is-better, targets in versions."""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any
from unittest import mock

from django.db.models import Max
from django.utils import timezone

from bureau.models import OrgUnit
from bureau.tests.base import CastTestCase
from indicators.apis.dashboard import dashboard_answer
from indicators.models import DataValue, Indicator, Target
from indicators.selectors.dashboard import Book, dashboard
from indicators.selectors.dashboard_sql import aggregated_values

THIS_YEAR = timezone.localdate().year
PAST_YEAR = THIS_YEAR - 2


def reference_values(
    indicator_ids: Collection[int],
    parts: list[tuple[Collection[int], Collection[int]]],
    *,
    year: int,
    **_ignored: Any,
) -> tuple[list[tuple[Any, ...]], datetime | None]:
    """The rows themselves, as the dashboard read them before (`parts`:
    disjoint (org units, years))."""
    picked = [
        DataValue.objects.filter(
            indicator_id__in=indicator_ids, org_unit_id__in=units, year__in=years
        )
        for units, years in parts
    ]
    rows = [
        row
        for part in picked
        for row in part.values_list(
            "indicator_id", "org_unit_id", "year", "period_type", "period", "value"
        )
    ]
    lasts = [
        part.filter(year=year).aggregate(last=Max("entered_at"))["last"]
        for part in picked
    ]
    return rows, max((x for x in lasts if x is not None), default=None)


def by_rows() -> Any:
    """Patches the dashboard to read rows into the plain Book."""
    return mock.patch.multiple(
        "indicators.selectors.dashboard",
        aggregated_values=reference_values,
        AggregatedBook=Book,
    )


class DashboardSqlTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.street_c = OrgUnit.objects.create(
            code="330105003", name="大关街道", level="street", parent=cls.district
        )
        cls.peer_b = OrgUnit.objects.create(
            code="330108", name="滨江区", level="district", parent=cls.city
        )
        Indicator.objects.update(is_headline=False)

        def make(code: str, **fields: Any) -> Indicator:
            return Indicator.objects.create(
                code=code,
                name=f"测试{code}",
                unit=fields.pop("unit", "万元"),
                is_headline=True,
                **fields,
            )

        sum_m = make("t_sum_m")
        sum_q = make("t_sum_q")
        make("t_last", aggregation="last", unit="家")
        make("t_ytd", ytd=True)
        make("t_annual")
        make("t_lower", direction="lower", unit="%", aggregation="last")
        make("t_computed", source="new_hnte", unit="家")
        make("t_district", district_only=True)
        make(
            "t_ratio",
            kind="ratio",
            numerator=sum_m,
            denominator=sum_q,
            factor=Decimal(100),
            unit="%",
        )
        make(
            "t_ratio_zero",
            kind="ratio",
            numerator=sum_q,
            denominator=Indicator.objects.get(code="t_annual"),
            factor=Decimal(1),
            unit="%",
        )
        rng = random.Random(12)
        units = [
            cls.district,
            cls.peer,
            cls.peer_b,
            cls.street_a,
            cls.street_b,
            cls.street_c,
        ]
        rows: list[DataValue] = []

        def put(code: str, unit: OrgUnit, year: int, kind: str, number: int) -> None:
            rows.append(
                DataValue(
                    indicator=Indicator.objects.get(code=code),
                    org_unit=unit,
                    year=year,
                    period_type=kind,
                    period=number,
                    value=Decimal(rng.randint(0, 9_999_999)) / 10_000,
                    source="import",
                )
            )

        for n, unit in enumerate(units):
            # The dashboard years end at different months per unit; the
            # years before are complete (the district has five more).
            years = (
                range(PAST_YEAR - 5, THIS_YEAR + 1)
                if unit.is_home
                else [PAST_YEAR - 1, PAST_YEAR, THIS_YEAR - 1, THIS_YEAR]
            )
            for y in years:
                covered = (5, 7, 9, 12, 3, 6)[n] if y in (THIS_YEAR, PAST_YEAR) else 12
                for m in range(1, covered + 1):
                    put("t_sum_m", unit, y, "M", m)
                    put("t_ytd", unit, y, "M", m)
                    put("t_computed", unit, y, "M", m)
                    put("t_district", unit, y, "M", m)
                    if m % 3 != 2:  # a stock reported some months only
                        put("t_last", unit, y, "M", m)
                        put("t_lower", unit, y, "M", m)
                for q in range(1, covered // 3 + 1):
                    put("t_sum_q", unit, y, "Q", q)
                if covered == 12 or n % 2:
                    put("t_annual", unit, y, "Y", 0)
                if n == 2:  # months and an annual value both given
                    put("t_annual", unit, y, "M", 1)
                    put("t_annual", unit, y, "M", 2)
                if n == 4 and covered == 12:  # months beside quarters
                    put("t_sum_q", unit, y, "M", 1)
        DataValue.objects.bulk_create(rows)
        # A zero denominator: the ratio is "—".
        DataValue.objects.filter(
            indicator__code="t_annual", org_unit=cls.street_b, period_type="Y"
        ).update(value=0)
        for version, amount in ((1, "10"), (2, "5000")):
            for code in ("t_sum_m", "t_lower", "t_ratio", "t_computed", "t_last"):
                for unit in units:
                    Target.objects.create(
                        indicator=Indicator.objects.get(code=code),
                        org_unit=unit,
                        year=THIS_YEAR,
                        value=Decimal(amount) + rng.randint(0, 900),
                        version=version,
                    )

    def boards(self, year: int, user: Any) -> Any:
        return dashboard(year=year, user=user, cached=False)

    def assert_same(self, year: int, user: Any) -> None:
        new = self.boards(year, user)
        new_answer = dashboard_answer(year=year, user=user)
        with by_rows():
            old = self.boards(year, user)
            old_answer = dashboard_answer(year=year, user=user)
        self.assertEqual(len(new.boards), 10)
        # Figures compared with their Decimal's exponent too (repr), not
        # only by value.
        for fresh, before in zip(new.boards, old.boards, strict=True):
            self.assertEqual(repr(fresh.district), repr(before.district))
            self.assertEqual(repr(fresh.streets), repr(before.streets))
            self.assertEqual(repr(fresh.peers), repr(before.peers))
            self.assertEqual(repr(fresh.trend), repr(before.trend))
        self.assertEqual(new.honour_list, old.honour_list)
        self.assertEqual(new.black_list, old.black_list)
        self.assertEqual(new.data_as_of, old.data_as_of)
        self.assertEqual(new_answer, old_answer)

    def test_the_same_answer_as_the_rows_give_this_year(self) -> None:
        self.assert_same(THIS_YEAR, self.leader)

    def test_the_same_answer_for_a_past_year(self) -> None:
        self.assert_same(PAST_YEAR, self.leader)

    def test_the_same_answer_for_a_liaisons_street(self) -> None:
        self.assert_same(THIS_YEAR, self.liaison)

    def test_the_data_exercise_what_the_rules_distinguish(self) -> None:
        """Not a vacuous comparison: figures exist, some cover less than the
        year (so last year is read as of a month), a ratio is undefined."""
        board = self.boards(THIS_YEAR, self.leader)
        months = {
            f.as_of_month
            for b in board.boards
            for f in [b.district, *b.streets, *b.peers]
        }
        self.assertTrue({3, 5, 6, 9} <= months, months)
        by_code = {b.indicator.code: b for b in board.boards}
        street_b = next(
            f for f in by_code["t_ratio_zero"].streets if f.code == "330105002"
        )
        self.assertIsNone(street_b.value)
        self.assertTrue(any(f.yoy is not None for f in by_code["t_ratio"].streets))
        self.assertTrue(any(f.rank for f in by_code["t_lower"].peers))
        self.assertEqual(by_code["t_district"].streets, [])

    def test_last_year_is_summed_up_to_this_years_month(self) -> None:
        """Street A covers May this year: its last-year group is read as of
        May (sum of Jan–May), next to the whole year."""
        sum_m = Indicator.objects.get(code="t_sum_m")
        groups, _last = aggregated_values(
            [sum_m.pk],
            [([self.district.pk], [THIS_YEAR - 1, THIS_YEAR])],
            year=THIS_YEAR,
            ratios=[],
            latest_for=set(),
        )
        may = sum(
            DataValue.objects.filter(
                indicator=sum_m,
                org_unit=self.district,
                year=THIS_YEAR - 1,
                period__lte=5,
            ).values_list("value", flat=True),
            Decimal(0),
        )
        self.assertEqual(
            groups[(sum_m.pk, self.district.pk, THIS_YEAR - 1, 5)], (may, 5)
        )
        self.assertEqual(groups[(sum_m.pk, self.district.pk, THIS_YEAR - 1, 12)][1], 12)

    def test_no_indicator_reads_nothing(self) -> None:
        self.assertEqual(
            aggregated_values(
                [], [([1], [THIS_YEAR])], year=THIS_YEAR, ratios=[], latest_for=set()
            ),
            ({}, None),
        )
