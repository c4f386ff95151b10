"""Benchmark of the indicators app at city scale.

Builds 15 districts of 20 streets each (315 org units), 50 raw indicators
(the 14 defaults plus 36 more, all on the dashboard) and monthly values for
five years: about 945,000 values. Then measures

* the dashboard API: SQL queries per request and median latency, against a
  single raw-SQL aggregate of the same values (the floor any design pays);
* importing a 10,000-row Excel file (validation + apply, all-or-nothing).

Uses the database named by DATABASE_URL (a throwaway PostgreSQL database;
it refuses one that already holds values unless --reuse).

Run:  make bench-indicators
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench.django_setup  # noqa: E402, F401  (settings, then django.setup())

# isort: split

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

from bureau.models import OrgUnit, Role, User  # noqa: E402
from indicators.models import DataValue, Indicator, Target  # noqa: E402
from indicators.services import import_start  # noqa: E402

YEAR = 2026


def build(
    districts: int, streets: int, extra: int, years: int, *, home: OrgUnit | None = None
) -> User:
    """`home`: an existing home district (with its streets) to use as the
    first district, when other data was built in the same database first
    (bench/loadtest.py)."""
    rng = random.Random(6)
    if home is None:
        city = OrgUnit.objects.create(code="3301", name="杭州市", level="city")
    else:
        assert home.parent is not None
        city = home.parent
    units: list[OrgUnit] = []
    for d in range(districts):
        if home is not None and d == 0:
            units.append(home)
            units += OrgUnit.objects.filter(parent=home).order_by("code")[:streets]
            continue
        district = OrgUnit.objects.create(
            code=f"{city.code[:4]}{d + 1 + (50 if home else 0):02d}",
            name=f"第{d + 1}区",
            level="district",
            parent=city,
            is_home=d == 0,
        )
        units.append(district)
        units += OrgUnit.objects.bulk_create(
            OrgUnit(
                code=f"{district.code}{s + 1:03d}",
                name=f"{district.name}第{s + 1}街道",
                level="street",
                parent=district,
            )
            for s in range(streets)
        )
    Indicator.objects.bulk_create(
        Indicator(
            code=f"extra_{i:02d}",
            name=f"附加指标{i:02d}",
            unit="万元",
            sort_order=100 + i,
        )
        for i in range(extra)
    )
    Indicator.objects.update(is_headline=True)
    raw = list(Indicator.objects.filter(kind="raw"))
    home = units[0]
    Target.objects.bulk_create(
        Target(indicator=i, org_unit=home, year=YEAR, value=Decimal(100000))
        for i in raw
    )
    staff = User.objects.create_user(
        "bench-staff", password="Bench#Pass2026", role=Role.STAFF
    )
    staff.groups.set([Group.objects.get(name="staff")])
    batch: list[DataValue] = []
    total = 0
    for indicator in raw:
        for unit in units:
            for year in range(YEAR - years + 1, YEAR + 1):
                for month in range(1, 13):
                    batch.append(
                        DataValue(
                            indicator=indicator,
                            org_unit=unit,
                            period_type="M",
                            year=year,
                            period=month,
                            value=Decimal(rng.randint(10, 5000)),
                            source="import",
                        )
                    )
            if len(batch) >= 20000:
                DataValue.objects.bulk_create(batch, batch_size=5000)
                total += len(batch)
                batch = []
    DataValue.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    print(f"built {len(units)} org units, {len(raw)} raw indicators, {total:,} values")
    return staff


def workbook(rows: int, *, shift: int = 0) -> bytes:
    """`rows` monthly values of the extra indicators for the home streets;
    `shift` changes every value (a re-import that replaces each one)."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["indicator_code", "org_unit_code", "period", "value"])
    codes = list(
        Indicator.objects.filter(code__startswith="extra_").values_list(
            "code", flat=True
        )
    )
    streets = list(
        OrgUnit.objects.filter(parent__is_home=True).values_list("code", flat=True)
    )
    n = 0
    for year in (YEAR + 1, YEAR + 2):
        for code in codes:
            for street in streets:
                for month in range(1, 13):
                    if n == rows:
                        break
                    sheet.append(
                        [code, street, f"{year}-{month:02d}", n % 997 + 1 + shift]
                    )
                    n += 1
    assert n == rows, f"only {n} distinct rows; add indicators or streets"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description="indicators benchmark")
    parser.add_argument("--districts", type=int, default=15)
    parser.add_argument("--streets", type=int, default=20)
    parser.add_argument("--extra", type=int, default=36)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--skip-import", action="store_true", help="measure the dashboard only"
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if DataValue.objects.exists():
        if not args.reuse:
            sys.exit("the database already holds values; use a fresh one or --reuse")
        staff = User.objects.get(username="bench-staff")
    else:
        started = time.perf_counter()
        staff = build(args.districts, args.streets, args.extra, args.years)
        print(f"build took {time.perf_counter() - started:.0f} s")
    bench.django_setup.analyze()
    values = DataValue.objects.count()

    client = Client()
    client.force_login(staff)
    path = f"/api/v1/dashboard/?year={YEAR}"

    def timed(clear: bool, runs: int) -> tuple[float, int]:
        """Median ms of `runs` requests (after two to warm up), and the SQL
        queries of the last; `clear` empties the cache before each (cold)."""
        timings, queries = [], 0
        for i in range(runs + 2):
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.content[:300]
            if i >= 2:
                timings.append(elapsed)
            queries = len(ctx.captured_queries)
        return statistics.median(timings) * 1000, queries

    cold_ms, cold_queries = timed(clear=True, runs=10)
    warm_ms, warm_queries = timed(clear=False, runs=20)
    plain = client.get(path)
    boards = len(plain.json()["indicators"])
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert packed.get("Content-Encoding") == "gzip", "the API answer is not gzipped"

    # The floor: one aggregate over the rows the dashboard reads (this and
    # last year for the home streets and the peer districts, the five trend years for
    # the home district), with no targets, ranks or trend.
    home = OrgUnit.objects.get(is_home=True)
    near = [
        *OrgUnit.objects.filter(parent=home).values_list("pk", flat=True),
        *OrgUnit.objects.filter(level="district").values_list("pk", flat=True),
    ]
    floor = []
    for _ in range(10):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indicator_id, org_unit_id, year, SUM(value) "
                "FROM indicators_datavalue WHERE (org_unit_id = ANY(%s) "
                "AND year BETWEEN %s AND %s) OR (org_unit_id = %s AND year >= %s) "
                "GROUP BY indicator_id, org_unit_id, year",
                [near, YEAR - 1, YEAR, home.pk, YEAR - 4],
            )
            cursor.fetchall()
        floor.append(time.perf_counter() - started)

    print()
    print(
        f"| dashboard API ({values:,} values, {boards} indicators) | SQL queries | median ms |"
    )
    print("|---|---|---|")
    print(f"| GET {path}, cold (cache cleared) | {cold_queries} | {cold_ms:.0f} |")
    print(f"| GET {path}, repeated | {warm_queries} | {warm_ms:.1f} |")
    print(
        f"| raw SQL: one GROUP BY over the same rows | 1 | {statistics.median(floor) * 1000:.0f} |"
    )

    floor_ms = statistics.median(floor) * 1000
    print()
    print(
        f"cold / plain SQL: {cold_ms / floor_ms:.2f}× (target ≤ 1.5×); "
        f"repeated {warm_ms:.1f} ms (target < 25 ms); response "
        f"{len(plain.content) / 1024:.0f} KiB, {len(packed.content) / 1024:.0f} KiB "
        "gzipped (target ≤ 100 KiB)"
    )
    if args.skip_import:
        return

    # Importing the rows new, then the same rows again with every value
    # changed (each one replaced); the import years are cleared first so a
    # --reuse run measures the same thing.
    DataValue.objects.filter(year__gt=YEAR).delete()
    timings_import = {}
    for label, shift in (("new", 0), ("existing", 1)):
        content = workbook(args.rows, shift=shift)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            with override_settings(INDICATOR_IMPORT_ASYNC_ROWS=10**9):
                batch = import_start(
                    file=SimpleUploadedFile(
                        "bench.xlsx",
                        content,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    by=staff,
                )
            elapsed = time.perf_counter() - started
        batch.refresh_from_db()
        timings_import[label] = elapsed
        print(
            f"import of {args.rows:,} {label} rows: status {batch.status}, "
            f"{batch.created:,} created, {batch.replaced:,} replaced, "
            f"{len(ctx.captured_queries)} SQL queries, {elapsed:.1f} s "
            "(validate + apply; target < 30 s)"
        )
    print(
        f"re-import / new import: {timings_import['existing'] / timings_import['new']:.2f}× "
        "(target ≤ 1.5×)"
    )
    if connection.vendor == "postgresql":
        bulk_load_cost(staff)


def bulk_load_cost(staff: User, rows: int = 100_000) -> None:
    """What the value groups' triggers add to a bulk load (the demo seeder,
    a restore into an empty table): `rows` new values bulk-inserted with the
    triggers and, on the same data, with them disabled; each run rolled
    back, three runs each, alternating which goes first."""
    from django.db import transaction

    indicators = list(Indicator.objects.filter(kind="raw").order_by("pk")[:30])
    units = list(OrgUnit.objects.order_by("pk")[: rows // (len(indicators) * 12) + 1])
    keys = [
        (indicator, unit, month)
        for indicator in indicators
        for unit in units
        for month in range(1, 13)
    ][:rows]

    def made() -> list[DataValue]:
        return [
            DataValue(
                indicator=indicator,
                org_unit=unit,
                year=YEAR + 5,
                period_type="M",
                period=month,
                value=Decimal(month),
                source=DataValue.Source.IMPORT,
                entered_by=staff,
            )
            for indicator, unit, month in keys
        ]

    class Undo(Exception):
        pass

    seconds: dict[bool, list[float]] = {True: [], False: []}
    # A discarded warm-up pair, then three pairs, each starting with the
    # other one (neither side always pays for a cold cache).
    for run in range(4):
        for triggers in (True, False) if run % 2 else (False, True):
            try:
                with transaction.atomic():
                    if not triggers:
                        with connection.cursor() as cursor:
                            cursor.execute(
                                "ALTER TABLE indicators_datavalue DISABLE TRIGGER USER"
                            )
                    values = made()
                    started = time.perf_counter()
                    DataValue.objects.bulk_create(values, batch_size=2000)
                    if run:
                        seconds[triggers].append(time.perf_counter() - started)
                    raise Undo
            except Undo:
                pass
    with_t, without = (statistics.median(seconds[k]) for k in (True, False))
    print(
        f"bulk insert of {len(keys):,} new values: {with_t:.1f} s with the value "
        f"groups' triggers, {without:.1f} s without ({with_t / without:.2f}×)"
    )


if __name__ == "__main__":
    main()
