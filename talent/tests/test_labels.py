from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import models
from django.test import SimpleTestCase
from django.utils.functional import Promise

from bureau.audit import ACTION_LABELS
from bureau.tests.base import CastTestCase
from talent import models as talent_models
from talent.models import Degree
from talent.points import PointsInput
from talent.services import (
    CASE_MOVES,
    allowance_grant,
    allowances_mark_due,
    permit_case_create,
    talent_create,
)
from talent.tests.factories import AllowanceRuleFactory

APP = Path(talent_models.__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def action_codes() -> set[str]:
    """Every audit action code the talent source writes."""
    codes: set[str] = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        codes.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        if 'action=f"permit_case.{move}"' in text:
            codes.update(f"permit_case.{move}" for move in CASE_MOVES)
    return codes


class LabelTests(SimpleTestCase):
    def test_it_labels_every_audit_action_in_chinese(self) -> None:
        codes = action_codes()
        self.assertIn("permit_case.approve", codes)
        self.assertGreaterEqual(len(codes), 15)
        for code in sorted(codes):
            with self.subTest(code=code):
                self.assertIn(code, ACTION_LABELS)
                self.assertRegex(str(ACTION_LABELS[code]), CJK)

    def test_every_choice_label_goes_through_gettext(self) -> None:
        choices = [
            value
            for value in vars(talent_models).values()
            if isinstance(value, type) and issubclass(value, models.Choices)
        ]
        for model in vars(talent_models).values():
            if isinstance(model, type) and issubclass(model, models.Model):
                choices += [
                    value
                    for value in vars(model).values()
                    if isinstance(value, type) and issubclass(value, models.Choices)
                ]
        self.assertGreaterEqual(len(choices), 9)
        for kind in choices:
            for member in kind:
                with self.subTest(choice=f"{kind.__qualname__}.{member.name}"):
                    self.assertIsInstance(member.label, Promise)


class ForeignExpertPageTests(CastTestCase):
    def test_pages_show_nationality_and_degree_in_chinese(self) -> None:
        expert = talent_create(by=self.officer, name="Michael Brown", nationality="US")
        case = permit_case_create(
            by=self.officer,
            talent=expert,
            points_input=PointsInput(education="doctorate"),
        )
        # A case scored before the breakdown named the degree in Chinese.
        case.points_breakdown["items"][1]["value"] = "doctorate"
        case.save(update_fields=["points_breakdown"])
        self.client.force_login(self.officer)
        detail = self.client.get(f"/talent/{expert.pk}/")
        self.assertContains(detail, "<dd>美国</dd>", html=True)
        self.assertContains(detail, "<td>博士</td>", html=True)
        self.assertNotContains(detail, "doctorate")
        cases = self.client.get("/talent/permit-cases/")
        self.assertContains(cases, "<td>美国</td>", html=True)
        listed = self.client.get("/talent/")
        self.assertContains(listed, '<span class="tag">美国</span>', html=True)
        fresh = permit_case_create(
            by=self.officer,
            talent=expert,
            points_input=PointsInput(education="master"),
        )
        self.assertEqual(fresh.points_breakdown["items"][1]["value"], "硕士")

    def test_allowance_amounts_are_grouped(self) -> None:
        person = talent_create(by=self.officer, name="刘博士", degree=Degree.DOCTORATE)
        rule = AllowanceRuleFactory(monthly_amount=Decimal("12500"), months=1)
        allowance_grant(
            by=self.officer, talent=person, rule=rule, first_month=date(2026, 1, 1)
        )
        allowances_mark_due(month=date(2026, 1, 1))
        self.client.force_login(self.officer)
        page = self.client.get("/talent/allowances/?month=2026-01")
        self.assertContains(page, '<td class="num">12,500.00</td>', html=True)
        detail = self.client.get(f"/talent/{person.pk}/")
        self.assertContains(detail, "12,500.00元/月")
