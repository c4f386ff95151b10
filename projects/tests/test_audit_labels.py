"""Every audit action code the projects app writes has a label."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from bureau.audit import ACTION_LABELS
from projects.workflow import MOVES

APP = Path(__file__).resolve().parent.parent
CODE = re.compile(r"""action\s*=\s*["']([a-z_]+\.[a-z_]+)["']""")


def written_codes() -> set[str]:
    codes = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return codes | {f"application.{move.name}" for move in MOVES}


class AuditLabelTests(SimpleTestCase):
    def test_it_finds_the_codes(self) -> None:
        self.assertIn("voucher.claim", written_codes())
        self.assertIn("review.declare_conflict", written_codes())

    def test_every_code_has_a_label(self) -> None:
        missing = sorted(code for code in written_codes() if code not in ACTION_LABELS)
        self.assertEqual(missing, [])
