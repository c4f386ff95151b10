from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enterprises.services import echelon_assessment_run


class Command(BaseCommand):
    help = (
        "Run the yearly assessment (年度考核) of the district tier for YEAR: scores "
        "each enterprise by the criteria in the admin and keeps, promotes, moves down "
        "or drops its echelon, recording the reason. Enterprises already assessed "
        "for that year are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--tier", default="xuri", help="tier code (default xuri)")

    def handle(self, *args: Any, **options: Any) -> None:
        s = echelon_assessment_run(year=options["year"], tier_code=options["tier"])
        self.stdout.write(
            f"{s.year}: {s.assessed} assessed — {s.promoted} promoted, {s.kept} kept, "
            f"{s.demoted} moved down, {s.dropped} dropped; {s.skipped} already assessed."
        )
