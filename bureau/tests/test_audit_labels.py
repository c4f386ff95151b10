"""Every audit action code written anywhere has a Chinese label, so the audit
log never shows a code."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

from bureau.audit import action_label

APPS = ("bureau", "enterprises", "projects", "indicators", "talent")
# action="enterprise.create" (literal codes; dynamic ones are listed below).
LITERAL = re.compile(r"""\baction=["']([a-z_]+\.[a-z_.]+)["']""")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _source_codes() -> set[str]:
    codes: set[str] = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return codes


def _dynamic_codes() -> set[str]:
    """Codes built at run time: workflow moves, permit-case moves, filings."""
    from projects.workflow import MOVES
    from talent.services import CASE_MOVES

    codes = {f"application.{move.name}" for move in MOVES}
    codes.update(f"permit_case.{move}" for move in CASE_MOVES)
    for filing in ("annual_return", "quarterly_report"):
        codes.update(
            f"{filing}.{verb}" for verb in ("update", "submit", "accept", "return")
        )
    return codes


class AuditActionLabelTests(SimpleTestCase):
    def test_it_finds_the_codes(self) -> None:
        codes = _source_codes()
        self.assertIn("enterprise.create", codes)
        self.assertGreater(len(codes), 50)

    def test_every_action_code_has_a_chinese_label(self) -> None:
        missing = []
        with translation.override("zh-hans"):
            for code in sorted(_source_codes() | _dynamic_codes()):
                label = action_label(code)
                if label == code or not HAN.search(label):
                    missing.append(f"{code} → {label}")
        self.assertEqual(missing, [])
