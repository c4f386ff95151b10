"""Every audit action code the indicators app writes has a label."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from bureau.audit import ACTION_LABELS

APP = Path(__file__).resolve().parents[1]


class ActionLabelTests(SimpleTestCase):
    def test_every_action_code_has_a_label(self) -> None:
        codes = set()
        for path in APP.rglob("*.py"):
            if "tests" in path.parts:
                continue
            codes |= set(re.findall(r'action="([a-z_.]+)"', path.read_text()))
        self.assertGreaterEqual(len(codes), 8)
        self.assertEqual(codes - set(ACTION_LABELS), set())
