from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.exports.summary import work_summary_docx
from indicators.selectors.summary import work_summary_facts


class Command(BaseCommand):
    help = (
        "Write a Word draft of the bureau's work summary for YEAR (or its first "
        "half with --half 1) from the data as it stands, to --output (default "
        "工作总结-YEAR.docx in the current directory; an existing file there is "
        "overwritten). Changes no data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--half", type=int, choices=[1], default=None)
        parser.add_argument("--output", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        year, half = options["year"], options["half"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"Not a plausible year: {year}")
        default = f"工作总结-{year}{'-上半年' if half else ''}.docx"
        path = Path(options["output"] or default).expanduser()
        if path.parent and not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        content = work_summary_docx(work_summary_facts(year=year, half=half))
        path.write_bytes(content)
        self.stdout.write(str(path.resolve()))
