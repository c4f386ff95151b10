"""Backup and restore of a deployment: the database (pg_dump's custom format
on PostgreSQL, SQLite's online backup otherwise), the uploaded files, and a
manifest that lets a restore prove it is complete.

A backup is one tar file:

    manifest.json     when, what, the migration heads, every table's row count,
                      and each member's size and SHA-256
    database.dump     pg_dump -Fc (PostgreSQL)  | database.sqlite3 (SQLite)
    media.tar         MEDIA_ROOT, when uploads live on this disk

`restore` checks every digest before it touches anything, restores into a
database that must be empty (unless forced), unpacks the media and compares
each table's row count with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    media_files: int = 0

    @property
    def complete(self) -> bool:
        return not self.mismatches


# --- Row counts --------------------------------------------------------------


def _tables() -> list[str]:
    """Every table Django manages, plus its migration record."""
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    names.add("django_migrations")
    return sorted(names)


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - Django's own table names
        counts[table] = int(cursor.fetchone()[0])
    return counts


def row_counts() -> dict[str, int]:
    """Rows per table in the connected database."""
    existing = set(connection.introspection.table_names())
    tables = [t for t in _tables() if t in existing]
    with connection.cursor() as cursor:
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _migration_heads() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        heads: dict[str, str] = {}
        for app, name in cursor.fetchall():
            heads[app] = max(heads.get(app, ""), name)
    return heads


# --- Helpers -----------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1")]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False
    )  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _media_on_disk() -> bool:
    return (
        settings.STORAGES["default"]["BACKEND"]
        == "django.core.files.storage.FileSystemStorage"
    )


# --- Backup ------------------------------------------------------------------


def backup(target_dir: Path) -> Path:
    """Write one backup file into `target_dir` and return its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = target_dir / f"bureau-backup-{stamp}.tar"
    db = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        members: list[Path] = []
        counts = row_counts()  # before the dump: a busy site may add rows after
        if connection.vendor == "postgresql":
            if shutil.which("pg_dump") is None:
                raise BackupError(
                    "pg_dump is not installed (Debian: postgresql-client)"
                )
            args, env = _pg_env(db)
            dump = work / PG_DUMP
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    *args,
                    "--file",
                    str(dump),
                    str(db["NAME"]),
                ],
                env,
            )
            members.append(dump)
        elif connection.vendor == "sqlite":
            copy = work / SQLITE_COPY
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            members.append(copy)
        else:
            raise BackupError(f"no backup for the {connection.vendor} database")
        media_files = 0
        if _media_on_disk() and Path(settings.MEDIA_ROOT).is_dir():
            media = work / MEDIA
            with tarfile.open(media, "w") as archive:
                for path in sorted(Path(settings.MEDIA_ROOT).rglob("*")):
                    if path.is_file():
                        archive.add(
                            path, arcname=str(path.relative_to(settings.MEDIA_ROOT))
                        )
                        media_files += 1
            members.append(media)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database": {"vendor": connection.vendor, "name": str(db["NAME"])},
            "media": {
                "storage": settings.STORAGES["default"]["BACKEND"],
                "files": media_files,
                "included": _media_on_disk(),
            },
            "migrations": _migration_heads(),
            "row_counts": counts,
            "files": {
                m.name: {"bytes": m.stat().st_size, "sha256": _sha256(m)}
                for m in members
            },
        }
        manifest_path = work / MANIFEST
        manifest_path.write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8"
        )
        partial = out.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for member in members:
                archive.add(member, arcname=member.name)
        partial.rename(out)
    return out


# --- Restore -----------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as archive:
        handle = archive.extractfile(MANIFEST)
        if handle is None:
            raise BackupError(f"{path} has no {MANIFEST}")
        return json.loads(handle.read().decode("utf-8"))


def _unpack(path: Path, work: Path) -> dict[str, Any]:
    with tarfile.open(path) as archive:
        archive.extractall(work, filter="data")
    manifest = json.loads((work / MANIFEST).read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, meta in manifest["files"].items():
        member = work / name
        if not member.is_file():
            raise BackupError(f"the backup lacks {name}")
        if _sha256(member) != meta["sha256"]:
            raise BackupError(
                f"{name} is damaged (its SHA-256 does not match the manifest)"
            )
    return manifest


def restore(
    path: Path,
    *,
    database_url: str | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> RestoreReport:
    """Restore `path` into the database at `database_url` (default: this
    deployment's) and the media into `media_root` (default: MEDIA_ROOT), then
    compare every table's row count with the manifest."""
    target: dict[str, Any] = dict(
        dj_database_url.parse(database_url)
        if database_url
        else connection.settings_dict
    )
    report = RestoreReport()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = _unpack(path, work)
        vendor = manifest["database"]["vendor"]
        if vendor == "postgresql":
            if target.get("ENGINE") != "django.db.backends.postgresql":
                raise BackupError("a PostgreSQL backup restores into PostgreSQL only")
            counts = _restore_postgres(work / PG_DUMP, target, force=force)
        elif vendor == "sqlite":
            if target.get("ENGINE") != "django.db.backends.sqlite3":
                raise BackupError("a SQLite backup restores into a SQLite file only")
            counts = _restore_sqlite(
                work / SQLITE_COPY, Path(target["NAME"]), force=force
            )
        else:
            raise BackupError(f"unknown database vendor {vendor!r}")
        if manifest["media"]["included"] and (work / MEDIA).is_file():
            root = Path(media_root or settings.MEDIA_ROOT)
            root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(work / MEDIA) as archive:
                archive.extractall(root, filter="data")
                report.media_files = sum(1 for m in archive.getmembers() if m.isfile())
    expected: dict[str, int] = manifest["row_counts"]
    report.tables = len(expected)
    report.rows = sum(expected.values())
    for table, rows in expected.items():
        if counts.get(table) != rows:
            report.mismatches[table] = (rows, counts.get(table))
    return report


def _restore_postgres(
    dump: Path, target: dict[str, Any], *, force: bool
) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    conninfo = {
        "host": target.get("HOST") or "127.0.0.1",
        "port": target.get("PORT") or 5432,
        "user": target.get("USER") or None,
        "password": target.get("PASSWORD") or None,
        "dbname": target["NAME"],
    }
    with psycopg.connect(
        **{k: v for k, v in conninfo.items() if v is not None}
    ) as conn:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
            )
            if cursor.fetchone()[0] and not force:  # type: ignore[index]
                raise BackupError(
                    f"database {target['NAME']} is not empty; restore into a fresh database "
                    "or pass --force to replace what it holds"
                )
    args, env = _pg_env(target)
    command = [
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        *args,
        "--dbname",
        str(target["NAME"]),
    ]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], env)
    with psycopg.connect(
        **{k: v for k, v in conninfo.items() if v is not None}
    ) as conn:
        with conn.cursor() as cursor:
            # A restored database has no planner statistics until autovacuum
            # comes round; until then PostgreSQL misjudges every table (a
            # text search scanned the register, a home page ran for seconds).
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
            tables = [row[0] for row in cursor.fetchall()]
            return _count_rows(
                cursor, tables, lambda name: sql.Identifier(name).as_string(conn)
            )


def _restore_sqlite(copy: Path, target: Path, *, force: bool) -> dict[str, int]:
    if target.exists() and target.stat().st_size and not force:
        raise BackupError(
            f"{target} exists; restore into a new file or pass --force to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(copy, target)
    with sqlite3.connect(target) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
        return _count_rows(
            cursor, tables, lambda name: '"' + name.replace('"', '""') + '"'
        )


def describe(path: Path) -> str:
    """One line per member, for the command's output."""
    manifest = read_manifest(path)
    out = io.StringIO()
    out.write(
        f"{path.name}: {manifest['created_at']}, {manifest['database']['vendor']}\n"
    )
    for name, meta in manifest["files"].items():
        out.write(f"  {name}: {meta['bytes']:,} bytes\n")
    out.write(
        f"  {sum(manifest['row_counts'].values()):,} rows in {len(manifest['row_counts'])} tables, "
        f"{manifest['media']['files']} media files\n"
    )
    return out.getvalue()
