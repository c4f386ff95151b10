"""Benchmark of the projects app: 100,000 applications across 500 calls.

Measures the application list API (SQL queries per request, median latency)
and ranking a call of 2,000 applications with 5 reviews each. Builds its
data with bulk inserts in the database named by DATABASE_URL (a throwaway
PostgreSQL database; it refuses one that already holds applications unless
--reuse).

Run:  make bench-projects
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.django_setup import analyze, home_district  # noqa: E402  (starts Django)

# isort: split

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.models import OrgUnit, Role, User  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from enterprises.validators import credit_code_for_serial  # noqa: E402
from projects.models import (  # noqa: E402
    Application,
    Call,
    Expert,
    Programme,
    ReviewAssignment,
    RubricCriterion,
)
from projects.selectors import call_ranking  # noqa: E402


def build(calls: int, per_call: int, big_call: int, reviews: int) -> User:
    rng = random.Random(5)
    now = timezone.now()
    home = home_district()
    street, _ = OrgUnit.objects.get_or_create(
        code="330105001", defaults={"name": "街道", "level": "street", "parent": home}
    )
    staff = User.objects.create_user(
        "bench_staff", password="Bench#Pass2026", role=Role.STAFF
    )
    staff.groups.set([Group.objects.get(name="staff")])
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=credit_code_for_serial(7_000_000 + i * 7919),
            name=f"基准企业{i:05d}",
            org_unit=street,
        )
        for i in range(5000)
    )
    enterprise_ids = list(Enterprise.objects.values_list("pk", flat=True))
    programme = Programme.objects.create(
        name="基准计划", level="district", kind="grant"
    )
    call_rows = Call.objects.bulk_create(
        Call(
            programme=programme,
            title=f"基准申报{i:03d}",
            year=now.year,
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=30),
            published_at=now - timedelta(days=30),
            budget_ceiling=Decimal("1000000"),
            panel_closed_at=now,
        )
        for i in range(calls)
    )
    for call in call_rows[:1]:
        RubricCriterion.objects.create(call=call, name="综合", weight=Decimal("1"))
    t0 = time.perf_counter()
    apps = []
    for index, call in enumerate(call_rows):
        count = big_call if index == 0 else per_call
        for _ in range(count):
            apps.append(
                Application(
                    call=call,
                    enterprise_id=rng.choice(enterprise_ids),
                    title=f"基准项目{len(apps):06d}",
                    summary="s",
                    requested_amount=Decimal(rng.randint(1, 100) * 10000),
                    state=rng.choice(
                        ["submitted", "under_review", "approved", "rejected"]
                    ),
                    created_by=staff,
                )
            )
    Application.objects.bulk_create(apps, batch_size=5000)
    experts = Expert.objects.bulk_create(
        Expert(name=f"专家{i}") for i in range(reviews * 4)
    )
    big = Application.objects.filter(call=call_rows[0]).values_list("pk", flat=True)
    ReviewAssignment.objects.bulk_create(
        (
            ReviewAssignment(
                application_id=pk,
                expert=experts[(n + k) % len(experts)],
                declared_at=now,
                submitted_at=now,
                weighted_score=Decimal(rng.randint(6000, 9500)) / 100,
            )
            for n, pk in enumerate(big)
            for k in range(reviews)
        ),
        batch_size=5000,
    )
    print(
        f"built {len(apps):,} applications in {calls} calls, {len(big) * reviews:,} reviews "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return staff


def main() -> None:
    parser = argparse.ArgumentParser(description="projects benchmark")
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument(
        "--per-call", type=int, default=196
    )  # 499 × 196 + 2,000 ≈ 100,000
    parser.add_argument("--big-call", type=int, default=2000)
    parser.add_argument("--reviews", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if Application.objects.exists() and not args.reuse:
        sys.exit("the database already holds applications; use a fresh one or --reuse")
    staff = (
        User.objects.get(username="bench_staff")
        if args.reuse
        else build(args.calls, args.per_call, args.big_call, args.reviews)
    )
    analyze()
    total = Application.objects.count()
    deep = max(1, min(1000, total // 50))
    client = Client()
    client.force_login(staff)
    print()
    print(
        f"| application list API ({total:,} applications) | SQL queries | median ms |"
    )
    print("|---|---|---|")
    for label, path in [
        ("page_size=50", "/api/v1/applications/?page_size=50"),
        ("page_size=200", "/api/v1/applications/?page_size=200"),
        (
            f"page {deep} (page_size=50)",
            f"/api/v1/applications/?page_size=50&page={deep}",
        ),
        (
            "cursor, first page (page_size=50)",
            "/api/v1/applications/?page_size=50&cursor=",
        ),
        ("state=approved", "/api/v1/applications/?state=approved&page_size=50"),
        (
            "one call",
            f"/api/v1/applications/?call={Call.objects.order_by('pk').first().pk}",
        ),
    ]:
        client.get(path)
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        print(
            f"| {label} | {len(ctx.captured_queries)} | {statistics.median(timings):.1f} |"
        )
    big = Call.objects.order_by("pk").first()
    call_ranking(call=big)
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        ranked = call_ranking(call=big)
        timings.append(time.perf_counter() - t0)
    print()
    print(
        f"ranking a call of {len(ranked):,} applications with {args.reviews} reviews each: "
        f"median {statistics.median(timings):.3f} s (target < 1 s)"
    )


if __name__ == "__main__":
    main()
