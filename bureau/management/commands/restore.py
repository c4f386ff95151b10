"""Restore a backup written by `manage.py backup` and prove it complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bureau.backups import BackupError, describe, restore


class Command(BaseCommand):
    help = (
        "Restore a backup file into an empty database (this deployment's, or "
        "--database-url) and the media into MEDIA_ROOT (or --media-root), then "
        "compare every table's row count with the manifest. Exits non-zero on "
        "any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="the .tar file written by manage.py backup")
        parser.add_argument("--database-url", help="restore into this database instead")
        parser.add_argument("--media-root", help="unpack the media files here instead")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what the target database already holds",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["backup"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            self.stdout.write(describe(path))
            report = restore(
                path,
                database_url=options.get("database_url"),
                media_root=Path(options["media_root"])
                if options.get("media_root")
                else None,
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not report.complete:
            lines = [
                f"  {table}: {want} rows in the backup, {got} restored"
                for table, (want, got) in sorted(report.mismatches.items())
            ]
            raise CommandError("The restore is incomplete:\n" + "\n".join(lines))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.rows:,} rows in {report.tables} tables and "
                f"{report.media_files} media files; every count matches the manifest."
            )
        )
