"""`manage.py backup` and `restore`: a backup restores into a fresh database
with every table's row count equal to the manifest (issue 12 §6), on the
database the suite runs on (SQLite, or PostgreSQL with pg_dump/pg_restore)."""

from __future__ import annotations

import io
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from bureau.backups import BackupError, read_manifest, restore, row_counts
from bureau.models import OrgUnit, Role
from bureau.tests.factories import OrgUnitFactory, UserFactory


class BackupRestoreTests(TransactionTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.media = self.tmp / "media"
        (self.media / "attachments").mkdir(parents=True)
        (self.media / "attachments" / "任务书.pdf").write_bytes(b"%PDF-1.7 demo")
        district = OrgUnitFactory(
            code="330105", name="拱墅区", level=OrgUnit.Level.DISTRICT, is_home=True
        )
        for n in range(3):
            UserFactory(username=f"officer{n}", role=Role.STAFF, org_unit=district)

    def _backup(self) -> Path:
        out = io.StringIO()
        with override_settings(MEDIA_ROOT=self.media):
            call_command("backup", "--output", str(self.tmp / "backups"), stdout=out)
        files = list((self.tmp / "backups").glob("bureau-backup-*.tar"))
        self.assertEqual(len(files), 1, out.getvalue())
        return files[0]

    def _fresh_target(self) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.tmp / 'restored.sqlite3'}"
        name = f"restore_{uuid.uuid4().hex[:10]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self._drop, name)
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return (
            f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        )

    def _drop(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def test_a_backup_restores_into_a_fresh_database_with_every_row(self) -> None:
        path = self._backup()
        manifest = read_manifest(path)
        self.assertEqual(manifest["row_counts"], row_counts())
        self.assertGreaterEqual(manifest["row_counts"]["bureau_user"], 3)
        self.assertEqual(manifest["media"]["files"], 1)
        self.assertIn(manifest["database"]["vendor"], ("sqlite", "postgresql"))
        self.assertIn("bureau", manifest["migrations"])

        target = self._fresh_target()
        restored_media = self.tmp / "restored-media"
        out = io.StringIO()
        call_command(
            "restore",
            str(path),
            "--database-url",
            target,
            "--media-root",
            str(restored_media),
            stdout=out,
        )
        self.assertIn("every count matches the manifest", out.getvalue())
        if connection.vendor == "postgresql":
            # Analysed, so the planner knows the tables' sizes at once.
            import psycopg

            with psycopg.connect(target) as restored, restored.cursor() as cursor:
                # Column statistics exist only once a table is analysed.
                cursor.execute(
                    "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'bureau_user'"
                )
                self.assertGreater(cursor.fetchone()[0], 0)
        self.assertEqual(
            (restored_media / "attachments" / "任务书.pdf").read_bytes(),
            b"%PDF-1.7 demo",
        )

        # Into the same (now full) database again: refused unless forced.
        with self.assertRaisesMessage(CommandError, "--force"):
            call_command(
                "restore", str(path), "--database-url", target, stdout=io.StringIO()
            )
        report = restore(
            path, database_url=target, media_root=restored_media, force=True
        )
        self.assertTrue(report.complete, report.mismatches)

    def test_a_damaged_backup_is_refused_before_anything_is_touched(self) -> None:
        path = self._backup()
        damaged = self.tmp / "damaged.tar"
        with tarfile.open(path) as source, tarfile.open(damaged, "w") as copy:
            for member in source.getmembers():
                data = source.extractfile(member).read()  # type: ignore[union-attr]
                if member.name.startswith("database"):
                    data = data[:-1] + bytes([data[-1] ^ 1])
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))
        with self.assertRaisesMessage(BackupError, "damaged"):
            restore(damaged, database_url=self._fresh_target())
