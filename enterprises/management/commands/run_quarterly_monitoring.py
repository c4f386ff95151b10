from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from enterprises.monitoring import latest_due_quarter, parse_period
from enterprises.services import quarterly_monitoring_run


class Command(BaseCommand):
    help = (
        "Run the quarterly monitoring (季度监测) of PERIOD, e.g. 2025Q3 (default: the "
        "latest quarter past its filing deadline). Replaces that quarter's street "
        "reports; running it again changes nothing and notifies nobody twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["period"]:
                year, quarter = parse_period(options["period"])
            else:
                year, quarter = latest_due_quarter(timezone.localdate())
            s = quarterly_monitoring_run(year=year, quarter=quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{s.year}Q{s.quarter}: {s.monitored} enterprises monitored in {s.reports} "
            f"streets and parks; {s.on_time} on time, {s.late} late, {s.missing} missing, "
            f"{s.decliners} declining, {s.expiring} certificates expiring"
            + ("" if s.created else " (reports replaced; nobody notified again)")
        )
