"""`make loadtest`: the platform under load, as a bureau would run it.

1. Builds (or reuses) the benchmark database in LOADTEST_DATABASE_URL
   (bench/loadtest_data.py: 55,000 enterprises, ~100,000 applications,
   945,000 indicator values, one account per role).
2. Serves it with gunicorn (3 workers, DEBUG off, WhiteNoise static files,
   Redis cache when REDIS_URL is set) on loopback.
3. Drives bench/locustfile.py headless at 1, 10 and 50 users (or --users) for
   --seconds each and prints, per step, requests/s, median, p95, p99, errors
   and the gunicorn workers' resident memory.

Run:  make loadtest    (LOADTEST_DATABASE_URL, default
      postgres://postgres@127.0.0.1:5432/bureau_loadtest, is created if missing)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _env(database_url: str, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("LOADTEST_SECRET_KEY", secrets.token_urlsafe(50)),
        "PII_SM4_KEY": "62656e63682d6f6e6c792d6b65792d21",  # the bench scripts' key
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": static_root,
        "MFA_REQUIRED_ROLES": "",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }


def _ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    host = parts.hostname or "127.0.0.1"
    user = parts.username or "postgres"
    exists = subprocess.run(
        [
            "psql",
            "-h",
            host,
            "-U",
            user,
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", host, "-U", user, name], check=True)


def _worker_rss_mib(master: int) -> float:
    """Resident memory of gunicorn's workers (the master's children), MiB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(
            line.split(":\t", 1) for line in text.splitlines() if ":\t" in line
        )
        if fields.get("PPid", "").strip() == str(master):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def _wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {base}/healthz within {timeout:.0f} s")


def _aggregate(prefix: str) -> dict[str, str]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit(f"{prefix}_stats.csv has no Aggregated row")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    database_url = os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bureau_loadtest"
    )
    _ensure_database(database_url)
    work = Path(tempfile.mkdtemp(prefix="bureau-loadtest-"))
    env = _env(database_url, str(work / "static"))

    print(f"database: {database_url}")
    built = subprocess.run(
        [PY, str(ROOT / "bench" / "loadtest_data.py")],
        env={**env, "DEBUG": "true"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(built.stdout.strip().splitlines()[-1])
    print(
        f"data: {config['enterprises']:,} enterprises, {config['applications']:,} applications, "
        f"{config['values']:,} indicator values (built in {config['build_seconds']} s)"
    )
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )

    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(Path(PY).with_name("gunicorn")),
            "bureau.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_until_up(base)
        rows = []
        for users in [int(u) for u in args.users.split(",")]:
            prefix = str(work / f"u{users}")
            subprocess.run(
                [
                    str(Path(PY).with_name("locust")),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    # Everyone at once, and the figures reset when all have
                    # started: the logins of on_start are not measured.
                    "--spawn-rate",
                    str(users),
                    "--reset-stats",
                    "--run-time",
                    f"{args.seconds}s",
                    "--host",
                    base,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={**os.environ, "LOADTEST_CONFIG": json.dumps(config)},
                cwd=ROOT,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115 - closed at exit
            )
            stats = _aggregate(prefix)
            rows.append(
                (
                    users,
                    float(stats["Requests/s"]),
                    stats["50%"],
                    stats["95%"],
                    stats["99%"],
                    int(stats["Failure Count"]),
                    int(stats["Request Count"]),
                    _worker_rss_mib(gunicorn.pid),
                )
            )
        print()
        print(
            f"{args.workers} gunicorn workers, {args.seconds} s per step, "
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores"
        )
        print()
        print("| users | req/s | median | p95 | p99 | errors | worker memory |")
        print("|---|---|---|---|---|---|---|")
        for users, rps, p50, p95, p99, failed, total, rss in rows:
            print(
                f"| {users} | {rps:.1f} | {p50} ms | {p95} ms | {p99} ms | "
                f"{failed} of {total:,} | {rss:.0f} MiB |"
            )
        print(f"\nlocust's CSV files: {work}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
