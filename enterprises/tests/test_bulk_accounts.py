"""Accounts issued in bulk from the enterprise list: confirmation first, then
one account per enterprise without one, with a one-time password delivered
only in the Excel file, changed at the first login."""

from __future__ import annotations

import io

from django.test import override_settings
from openpyxl import load_workbook

from bureau.models import AuditEvent, Role, User
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory

URL = "/enterprises/accounts/issue/"


class BulkAccountsTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.new_a = EnterpriseFactory(
            org_unit=cls.street_a, name="=甲公司", contact_name="甲"
        )
        cls.new_b = EnterpriseFactory(org_unit=cls.street_b, name="乙公司")

    def rows(self, content: bytes) -> list[tuple[object, ...]]:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]

    def test_the_list_offers_the_action_to_staff_only(self) -> None:
        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get("/enterprises/"), 'action="/enterprises/accounts/issue/'
        )
        self.client.force_login(self.leader)
        self.assertNotContains(
            self.client.get("/enterprises/"), "/enterprises/accounts/issue/"
        )

    def test_confirmation_first_then_the_excel_file(self) -> None:
        self.client.force_login(self.officer)
        asked = self.client.post(URL)
        self.assertContains(asked, "请确认")
        self.assertContains(asked, "2 家尚未开通账号的企业")
        self.assertContains(asked, "乙公司")
        self.assertNotContains(asked, self.enterprise_a.name)  # alice's
        self.assertFalse(User.objects.filter(enterprise=self.new_a).exists())

        response = self.client.post(URL, {"confirmed": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            response["Content-Type"].startswith("application/vnd.openxmlformats")
        )
        rows = self.rows(response.content)
        self.assertEqual(
            [(r[0], r[1], r[4]) for r in rows],
            [
                ("=甲公司", self.new_a.credit_code, self.new_a.credit_code),
                ("乙公司", self.new_b.credit_code, self.new_b.credit_code),
            ],
        )
        for row in rows:
            password = str(row[5])
            self.assertGreaterEqual(len(password), 12)
            user = User.objects.get(username=row[4])
            self.assertEqual(user.role, Role.ENTERPRISE)
            self.assertTrue(user.check_password(password))
            self.assertTrue(user.password_change_required)
        events = AuditEvent.objects.filter(action="user.create")
        self.assertEqual(events.count(), 2)
        for event in events:
            for row in rows:
                self.assertNotIn(str(row[5]), str(event.changes) + event.message)
        # Nothing left to issue: the action says so instead of an empty file.
        again = self.client.post(URL, {"confirmed": "1"}, follow=True)
        self.assertContains(again, "均已开通账号")

    def test_text_in_the_file_never_becomes_a_formula(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(URL, {"confirmed": "1"})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        cell = sheet["A2"]
        self.assertEqual(cell.value, "=甲公司")
        self.assertEqual(cell.data_type, "s")

    def test_the_list_filters_choose_the_enterprises(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            f"{URL}?org_unit={self.street_b.code}", {"confirmed": "1"}
        )
        self.assertEqual(
            [r[1] for r in self.rows(response.content)], [self.new_b.credit_code]
        )
        self.assertFalse(User.objects.filter(enterprise=self.new_a).exists())

    def test_a_taken_username_gets_a_suffix(self) -> None:
        UserFactory(username=self.new_b.credit_code.lower(), role=Role.STAFF)
        self.client.force_login(self.officer)
        response = self.client.post(
            f"{URL}?org_unit={self.street_b.code}", {"confirmed": "1"}
        )
        self.assertEqual(
            [r[4] for r in self.rows(response.content)],
            [f"{self.new_b.credit_code}-2"],
        )

    @override_settings(BULK_ACCOUNTS_MAX=1)
    def test_too_many_at_once_is_refused(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(URL, {"confirmed": "1"}, follow=True)
        self.assertContains(response, "请缩小筛选范围")
        self.assertFalse(User.objects.filter(enterprise=self.new_a).exists())

    def test_other_roles_may_not(self) -> None:
        for user in (self.leader, self.liaison, self.ent_user, self.admin):
            self.client.force_login(user)
            self.assertEqual(self.client.post(URL).status_code, 403, user.role)
