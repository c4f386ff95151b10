from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from bureau.audit import ACTION_LABELS

APP = Path(__file__).resolve().parents[1]
ACTION = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
# Codes built at run time (services/filings.py: "<kind>.<step>").
BUILT = {
    f"{kind}.{step}"
    for kind in ("annual_return", "quarterly_report")
    for step in ("update", "submit", "accept", "return")
}


class AuditActionLabelTests(SimpleTestCase):
    def test_every_action_code_written_by_the_app_has_a_chinese_label(self) -> None:
        codes = set(BUILT)
        for path in APP.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            codes |= set(ACTION.findall(path.read_text(encoding="utf-8")))
        self.assertIn("visit.record", codes)
        for code in sorted(codes):
            with self.subTest(code=code):
                self.assertIn(code, ACTION_LABELS)
                label = str(ACTION_LABELS[code])
                self.assertRegex(label, r"[\u4e00-\u9fff]", "not shown in Chinese")
