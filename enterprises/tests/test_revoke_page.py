"""Revoking a certification on the enterprise page takes two steps."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from bureau.models import Role
from bureau.tests.factories import UserFactory
from enterprises.models import Certification, Tier
from enterprises.tests.factories import EnterpriseFactory, award


class RevokePageTests(TestCase):
    def setUp(self) -> None:
        self.staff = UserFactory(role=Role.STAFF)
        self.enterprise = EnterpriseFactory(name="杭州云河科技有限公司")
        tier = Tier.objects.get(code="tech_sme")
        self.cert = award(self.enterprise, tier, date.today().replace(month=1, day=2))
        self.url = (
            f"/enterprises/{self.enterprise.pk}/certifications/{self.cert.pk}/revoke/"
        )
        self.client.force_login(self.staff)

    def test_the_first_post_asks_and_names_what_is_revoked(self) -> None:
        page = self.client.post(
            self.url, {"reason": "弄虚作假"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "撤销认定")
        self.assertContains(page, "杭州云河科技有限公司")
        self.assertContains(page, "弄虚作假")
        self.cert.refresh_from_db()
        self.assertEqual(self.cert.status, Certification.Status.ACTIVE)

    def test_the_confirmed_post_revokes_and_says_so(self) -> None:
        done = self.client.post(
            self.url,
            {"reason": "弄虚作假", "confirmed": "1"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
            follow=True,
        )
        self.cert.refresh_from_db()
        self.assertNotEqual(self.cert.status, Certification.Status.ACTIVE)
        self.assertContains(done, "已撤销杭州云河科技有限公司的")
