"""Benchmark of the enterprises app at city scale.

Builds a city of 50,000 enterprises with three years of annual returns, tier
awards and quarterly reports in the database named by DATABASE_URL (use a
throwaway PostgreSQL database: the script migrates it and refuses to touch one
that already holds enterprises unless --reuse), then measures:

- enterprise list and detail API: SQL queries per request and median latency;
- the eligibility pre-check of every stored enterprise;
- the quarterly monitoring job over all of them;
- a roster import of 10,000 rows.

Run:  make bench   (or DATABASE_URL=postgres://… .venv/bin/python bench/enterprises.py)
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.django_setup import analyze, home_district  # noqa: E402  (starts Django)

# isort: split

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.models import OrgUnit, Role, User  # noqa: E402
from enterprises.models import (  # noqa: E402
    AnnualReturn,
    Certification,
    Enterprise,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.monitoring import latest_due_quarter  # noqa: E402
from enterprises.services import (  # noqa: E402
    certification_expiry,
    eligibility_snapshots_refresh,
    quarterly_monitoring_run,
    roster_import,
)
from enterprises.validators import credit_code_for_serial  # noqa: E402

TODAY = timezone.localdate()
FIELDS = [
    "electronics",
    "biomedicine",
    "materials",
    "services",
    "energy",
    "manufacturing",
]


def build_city(n: int, rng: random.Random) -> User:
    home = home_district()
    streets = [
        OrgUnit.objects.get_or_create(
            code=f"330105{i:03d}",
            defaults={"name": f"街道{i}", "level": "street", "parent": home},
        )[0]
        for i in range(1, 21)
    ]
    staff = User.objects.filter(username="bench_staff").first()
    if staff is None:
        from django.contrib.auth.models import Group

        staff = User.objects.create_user(
            "bench_staff", password="Bench#Pass2026", role=Role.STAFF
        )
        staff.groups.set([Group.objects.get(name="staff")])

    t0 = time.perf_counter()
    enterprises = [
        Enterprise(
            credit_code=credit_code_for_serial(5_000_000 + i * 7919),
            name=f"杭州基准测试{i:05d}科技有限公司",
            org_unit=streets[i % len(streets)],
            high_tech_field=FIELDS[i % len(FIELDS)],
            founded_on=date(2010 + i % 12, 1 + i % 12, 1 + i % 28),
        )
        for i in range(n)
    ]
    Enterprise.objects.bulk_create(enterprises, batch_size=5000)
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    tiers = {t.code: t for t in Tier.objects.all()}
    certs, returns, quarters = [], [], []
    qy, qq = latest_due_quarter(TODAY)
    for pk in ids:
        stage = rng.choices((0, 1, 2, 3, 4), weights=(40, 15, 10, 20, 15))[0]
        sales = Decimal(rng.randint(300, 20000) * 10_000)
        for k, year in enumerate(range(TODAY.year - 3, TODAY.year)):
            s = sales * Decimal(str(1 + 0.1 * k))
            returns.append(
                AnnualReturn(
                    enterprise_id=pk,
                    year=year,
                    status=FilingStatus.ACCEPTED,
                    main_business_revenue=s,
                    total_income=s,
                    hightech_income=s * Decimal("0.7"),
                    rd_personnel=s * Decimal(str(rng.uniform(0.02, 0.07))),
                    staff_total=Decimal(rng.randint(10, 400)),
                    tech_staff=Decimal(rng.randint(2, 60)),
                    total_assets=s,
                    net_assets=s / 2,
                    ip_invention=rng.randint(0, 2),
                    ip_software=rng.randint(0, 6),
                    tech_transfers=rng.randint(0, 5),
                )
            )
        if stage == 0:
            continue
        code = ["xuri", "chuying", "tech_sme", "hnte"][stage - 1]
        issued = TODAY - timedelta(days=rng.randint(30, 900))
        year = issued.year if code != "tech_sme" else TODAY.year
        if code == "tech_sme":
            issued = date(TODAY.year, 5, 1)
        certs.append(
            Certification(
                enterprise_id=pk,
                tier=tiers[code],
                year=year,
                issued_on=issued,
                expires_on=certification_expiry(
                    tiers[code], issued_on=issued, year=year
                ),
                echelon=2 if code == "xuri" else None,
            )
        )
        for y in (qy - 1, qy):
            if rng.random() < 0.9:
                quarters.append(
                    QuarterlyReport(
                        enterprise_id=pk,
                        year=y,
                        quarter=qq,
                        status=FilingStatus.SUBMITTED,
                        revenue_ytd=sales * Decimal(str(rng.uniform(0.5, 1.2))),
                        submitted_at=timezone.make_aware(
                            datetime.combine(
                                QuarterlyReport.quarter_end(y, qq), datetime.min.time()
                            )
                        )
                        + timedelta(days=rng.randint(1, 30)),
                    )
                )
    Certification.objects.bulk_create(certs, batch_size=5000)
    AnnualReturn.objects.bulk_create(returns, batch_size=5000)
    QuarterlyReport.objects.bulk_create(quarters, batch_size=5000)
    print(
        f"built {len(ids):,} enterprises, {len(returns):,} returns, {len(certs):,} awards, "
        f"{len(quarters):,} quarterly reports in {time.perf_counter() - t0:.1f} s"
    )
    return staff


def measure(client: Client, path: str, runs: int = 15) -> tuple[int, float]:
    client.get(path)  # warm
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(timings)


def deep_cursor(client: Client, pages: int) -> str:
    """The cursor link that starts where page `pages` (of 50) starts, found by
    following `next` through the keyset pages (or page 1 when the API has no
    cursor pagination yet)."""
    response = client.get("/api/v1/enterprises/?page_size=50&cursor=")
    body = response.json()
    if "count" in body or not body.get("next"):  # numbered pages only
        return "/api/v1/enterprises/?page_size=50"
    link = body["next"]
    for _ in range(pages - 2):
        following = client.get(link).json().get("next")
        if not following:
            break
        link = following
    return link.replace("http://testserver", "")


def roster_file(rows: int) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业名单")
    sheet.append(["统一社会信用代码", "企业名称", "街道/园区代码"])
    for i in range(rows):
        sheet.append(
            [
                credit_code_for_serial(9_000_000 + i * 7919),
                f"导入测试{i:05d}有限公司",
                f"330105{1 + i % 20:03d}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument(
        "--reuse", action="store_true", help="measure data already built"
    )
    parser.add_argument(
        "--runs", type=int, default=15, help="requests per measure (median)"
    )
    parser.add_argument(
        "--lists-only",
        action="store_true",
        help="measure the list and detail API only, not the jobs",
    )
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    existing = Enterprise.objects.count()
    if existing and not args.reuse:
        sys.exit(
            f"the database already holds {existing:,} enterprises; use a fresh one or --reuse"
        )
    rng = random.Random(42)
    staff = (
        User.objects.filter(username="bench_staff").first()
        if args.reuse
        else build_city(args.enterprises, rng)
    )
    analyze()
    total = Enterprise.objects.count()

    client = Client()
    client.force_login(staff)
    one = Enterprise.objects.order_by("pk").first()
    deep = max(1, min(1000, total // 50))
    cursor_path = deep_cursor(client, deep)
    rows = []
    for label, path in [
        ("list, page_size=50", "/api/v1/enterprises/?page_size=50"),
        ("list, page_size=200", "/api/v1/enterprises/?page_size=200"),
        (
            "list, page 1000 (page_size=50)",
            f"/api/v1/enterprises/?page_size=50&page={deep}",
        ),
        ("list, cursor (page_size=50)", "/api/v1/enterprises/?page_size=50&cursor="),
        ("list, cursor after page 1000", cursor_path),
        ("list, tier=hnte", "/api/v1/enterprises/?tier=hnte&page_size=50"),
        (
            "list, street + 规上",
            "/api/v1/enterprises/?org_unit=330105003&is_above_scale=false",
        ),
        ("list, expiring within 180 days", "/api/v1/enterprises/?expiring_within=180"),
        ("list, text search", "/api/v1/enterprises/?q=基准测试01234"),
        ("detail", f"/api/v1/enterprises/{one.pk}/"),
    ]:
        queries, ms = measure(client, path, runs=args.runs)
        rows.append((label, queries, ms))
        print(f"  {label}: {queries} queries, {ms:.1f} ms", flush=True)

    print()
    print(
        f"| measure ({total:,} enterprises, {connection.vendor}) | SQL queries | median ms |"
    )
    print("|---|---|---|")
    for label, queries, ms in rows:
        print(f"| {label} | {queries} | {ms:.1f} |")
    if args.lists_only:
        return

    t0 = time.perf_counter()
    snapshots = eligibility_snapshots_refresh()
    eligibility_s = time.perf_counter() - t0

    year, quarter = latest_due_quarter(TODAY)
    t0 = time.perf_counter()
    summary = quarterly_monitoring_run(year=year, quarter=quarter)
    monitoring_s = time.perf_counter() - t0

    data = roster_file(args.import_rows)
    t0 = time.perf_counter()
    result = roster_import(file=data, by=staff)
    import_s = time.perf_counter() - t0

    print()
    print("| job | result | seconds | target |")
    print("|---|---|---|---|")
    print(
        f"| eligibility pre-check of every enterprise | {snapshots:,} assessed | {eligibility_s:.1f} | < 60 |"
    )
    print(
        f"| quarterly monitoring {year}Q{quarter} | {summary.monitored:,} monitored | "
        f"{monitoring_s:.1f} | < 300 |"
    )
    print(
        f"| roster import | {result.created:,} rows created | {import_s:.1f} | < 30 |"
    )


if __name__ == "__main__":
    main()
