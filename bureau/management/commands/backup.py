"""Back the deployment up into one file: the database, the uploads, a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bureau.backups import BackupError, backup, describe


class Command(BaseCommand):
    help = (
        "Write a backup (pg_dump custom format or a SQLite copy, the media files "
        "and a manifest with row counts and SHA-256 digests) into --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="directory for the backup file (default: var/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(describe(path))
        self.stdout.write(self.style.SUCCESS(str(path)))
