"""Benchmark of a long Excel export (issue 12, item 3): the enterprise list
of a whole city (50,000 enterprises by default) exported as staff.

Measures the request that asks for the export (a background job is queued;
the broker is stubbed so only the web side is timed), the job's run in the
worker, and the same export written in the request as before, for
comparison. Uses DATABASE_URL (a throwaway PostgreSQL database; the city is
built as bench/enterprises.py builds it, or reused with --reuse).

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau_bench_exports \
      python bench/exports.py
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench.django_setup  # noqa: E402, F401  (settings, then django.setup())

# isort: split

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.enterprises import build_city  # noqa: E402
from bureau.models import BackgroundJob, User  # noqa: E402
from bureau.services.jobs import job_run  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="long export benchmark")
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--write-query",
        default="",
        help="filters for the timed writes (e.g. org_unit=330105001 for one street) "
        "when writing the whole city takes too long on a busy machine",
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if Enterprise.objects.exists() and not args.reuse:
        sys.exit("the database already holds enterprises; use a fresh one or --reuse")
    if args.reuse:
        staff = User.objects.get(username="bench_staff")
    else:
        started = time.perf_counter()
        staff = build_city(args.enterprises, random.Random(42))
        print(f"build took {time.perf_counter() - started:.0f} s")
    total = Enterprise.objects.count()
    client = Client()
    client.force_login(staff)

    # The request: count the rows, record the job, queue it (broker stubbed).
    asks = []
    for _ in range(5):
        with mock.patch("bureau.lib.tasks.enqueue"):
            started = time.perf_counter()
            response = client.get(f"/enterprises/?export=xlsx&q=&n={_}")
            asks.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    asks.sort()
    print(f"| enterprise list export ({total:,} rows) | ms |", flush=True)
    print("|---|---|")
    print(
        f"| request that queues the job (median of 5) | {asks[2] * 1000:.0f} |",
        flush=True,
    )

    # The writes: in the worker (the job), and in the request as before.
    query = f"&{args.write_query}" if args.write_query else ""
    with mock.patch("bureau.lib.tasks.enqueue"), override_settings(EXPORT_ASYNC_ROWS=0):
        response = client.get(f"/enterprises/?export=xlsx{query}")
    job = BackgroundJob.objects.filter(owner=staff).latest("created_at")
    started = time.perf_counter()
    job_run(job_id=job.pk)
    in_worker = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done", job.error
    print(
        f"| the job in the worker, {job.total:,} rows (count, write, store) "
        f"| {in_worker * 1000:.0f} |",
        flush=True,
    )
    with override_settings(EXPORT_ASYNC_ROWS=10**9):
        started = time.perf_counter()
        response = client.get(f"/enterprises/?export=xlsx{query}")
        in_request = time.perf_counter() - started
    assert response.status_code == 200
    print(
        f"| the same export in the request, as before | {in_request * 1000:.0f} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
