"""Move audit events older than a date out of the table into a file."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bureau.audit import audit
from bureau.audit_chain import archive_before


class Command(BaseCommand):
    help = (
        "Archive the audit events before --before (YYYY-MM-DD) into --output as "
        "JSON lines with their SM3 digests, then remove them; the chain stays "
        "verifiable from the last one archived. Refuses dates inside "
        "AUDIT_RETENTION_DAYS (at least 186 days)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="a new .jsonl file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.strptime(options["before"], "%Y-%m-%d").date()
        except ValueError:
            raise CommandError("--before must be a date, YYYY-MM-DD") from None
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        try:
            with open(options["output"], "x", encoding="utf-8") as stream:
                count = archive_before(cutoff, stream)
        except FileExistsError:
            raise CommandError(
                f"{options['output']} exists; choose a new file"
            ) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        audit(
            by=None,
            username="manage.py audit_archive",
            action="audit.archive",
            message=f"{count} events before {day:%Y-%m-%d} → {options['output']}",
        )
        self.stdout.write(self.style.SUCCESS(f"{count} events archived."))
