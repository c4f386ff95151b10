from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from projects.models import ServiceProvider, VoucherClaim, VoucherScheme
from projects.services.vouchers import (
    voucher_cancel,
    voucher_claim,
    voucher_payment,
    voucher_redeem,
    voucher_use,
)


class VoucherTestCase(CastTestCase):
    """This year's scheme on the RULES §8 defaults: 2万元 a claim, 10万元 a
    year per enterprise, full pay under 1万元, half of the fee above."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        cls.scheme = VoucherScheme.objects.create(
            year=cls.year, quota_total=Decimal("5000000")
        )
        cls.lab = ServiceProvider.objects.create(
            name="浙江省检验检疫科学技术研究院", kind="检验检测机构"
        )
        cls.closed = ServiceProvider.objects.create(
            name="某已退出检测机构", kind="检验检测机构", is_active=False
        )

    def claim(self, enterprise=None, **kwargs):  # type: ignore[no-untyped-def]
        return voucher_claim(
            scheme=kwargs.pop("scheme", self.scheme),
            enterprise=enterprise or self.enterprise_a,
            by=self.ent_user,
        )

    def use(self, claim, fee: str = "8000"):  # type: ignore[no-untyped-def]
        return voucher_use(
            claim=claim,
            provider=self.lab,
            service="材料成分检测",
            service_fee=Decimal(fee),
            by=self.ent_user,
        )


class VoucherPaymentTests(VoucherTestCase):
    def pays(self, fee: str, limit: str = "20000") -> Decimal:
        return voucher_payment(
            scheme=self.scheme, service_fee=Decimal(fee), limit=Decimal(limit)
        )

    def test_it_pays_a_fee_under_the_threshold_in_full(self) -> None:
        self.assertEqual(self.pays("100"), Decimal("100"))
        self.assertEqual(self.pays("9999.99"), Decimal("9999.99"))

    def test_it_pays_the_ratio_from_the_threshold_itself(self) -> None:
        self.assertEqual(self.pays("10000"), Decimal("5000.00"))
        self.assertEqual(self.pays("30000.01"), Decimal("15000.01"))

    @override_settings(VOUCHER_FULL_PAY_AT_THRESHOLD=True)
    def test_the_threshold_itself_is_paid_in_full_when_the_setting_says_so(
        self,
    ) -> None:
        """RULES §8 [U]: read as "1万元以下" the threshold is included."""
        self.assertEqual(self.pays("9999.99"), Decimal("9999.99"))
        self.assertEqual(self.pays("10000"), Decimal("10000"))
        self.assertEqual(self.pays("10000.01"), Decimal("5000.01"))
        self.assertIs(self.scheme.pays_in_full(Decimal("10000")), True)

    def test_the_scheme_page_states_the_boundary_the_setting_chose(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/vouchers/")
        self.assertContains(page, "服务费低于1.00万元的由创新券全额抵扣")
        with override_settings(VOUCHER_FULL_PAY_AT_THRESHOLD=True):
            page = self.client.get("/vouchers/")
        self.assertContains(
            page, "服务费在1.00万元及以下的由创新券全额抵扣；超过的按服务费的50%抵扣"
        )

    def test_it_never_pays_more_than_the_voucher(self) -> None:
        self.assertEqual(self.pays("50000"), Decimal("20000"))
        self.assertEqual(self.pays("8000", limit="5000"), Decimal("5000"))

    def test_use_stores_what_the_voucher_paid(self) -> None:
        below = self.use(self.claim(), fee="9999.99")
        at = self.use(self.claim(), fee="10000")
        above = self.use(self.claim(), fee="60000")
        self.assertEqual(below.used_amount, Decimal("9999.99"))
        self.assertEqual(at.used_amount, Decimal("5000.00"))
        self.assertEqual(above.used_amount, Decimal("20000.00"))
        above.refresh_from_db()
        self.assertEqual(above.status, VoucherClaim.Status.USED)
        self.assertEqual(above.provider, self.lab)
        self.assertIsNotNone(above.used_at)


class VoucherClaimTests(VoucherTestCase):
    def test_it_claims_one_voucher_of_the_scheme_amount(self) -> None:
        claim = self.claim()
        self.assertEqual(claim.amount, Decimal("20000"))
        self.assertEqual(claim.status, VoucherClaim.Status.CLAIMED)
        event = AuditEvent.objects.get(action="voucher.claim")
        self.assertEqual(event.changes["status"], [None, "claimed"])
        self.assertEqual(event.actor, self.ent_user)

    def test_it_refuses_a_claim_above_the_annual_cap(self) -> None:
        claims = [self.claim() for _ in range(5)]
        with self.assertRaises(ApplicationError) as raised:
            self.claim()
        self.assertEqual(raised.exception.code, "annual_cap_reached")
        self.assertIn("100,000", raised.exception.message)
        # The cap is per enterprise, and a cancelled voucher frees its share.
        self.claim(self.enterprise_b)
        voucher_cancel(claim=claims[0], by=self.ent_user)
        self.claim()

    def test_it_refuses_a_claim_beyond_the_remaining_quota(self) -> None:
        VoucherScheme.objects.filter(pk=self.scheme.pk).update(
            quota_total=Decimal("30000")
        )
        self.claim()
        with self.assertRaises(ApplicationError) as raised:
            self.claim(self.enterprise_b)
        self.assertEqual(raised.exception.code, "quota_exhausted")
        self.assertIn("30,000", raised.exception.message)
        self.assertIn("10,000", raised.exception.message)
        self.assertEqual(VoucherClaim.objects.count(), 1)

    def test_it_refuses_claims_on_a_past_years_scheme(self) -> None:
        old = VoucherScheme.objects.create(
            year=self.year - 1, quota_total=Decimal("5000000")
        )
        with self.assertRaises(ApplicationError) as raised:
            self.claim(scheme=old)
        self.assertEqual(raised.exception.code, "scheme_closed")


class VoucherStateTests(VoucherTestCase):
    def test_a_voucher_is_used_once(self) -> None:
        claim = self.use(self.claim())
        with self.assertRaises(ApplicationError) as raised:
            self.use(claim)
        self.assertEqual(raised.exception.code, "invalid_state")

    def test_only_an_active_provider_may_serve(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            voucher_use(
                claim=self.claim(),
                provider=self.closed,
                service="检测",
                service_fee=Decimal("5000"),
                by=self.ent_user,
            )
        self.assertEqual(raised.exception.code, "provider_inactive")

    def test_only_a_used_voucher_is_redeemed_and_only_by_staff(self) -> None:
        claim = self.claim()
        with self.assertRaises(ApplicationError):
            voucher_redeem(claim=claim, by=self.officer)
        claim = self.use(claim)
        with self.assertRaises(PermissionDenied):
            voucher_redeem(claim=claim, by=self.ent_user)
        claim = voucher_redeem(claim=claim, by=self.officer)
        self.assertEqual(claim.status, VoucherClaim.Status.REDEEMED)
        self.assertIsNotNone(claim.redeemed_at)
        event = AuditEvent.objects.get(action="voucher.redeem")
        self.assertEqual(event.changes["status"], ["used", "redeemed"])
        with self.assertRaises(ApplicationError):
            voucher_cancel(claim=claim, by=self.officer)

    def test_an_enterprise_cancels_only_unused_vouchers(self) -> None:
        used = self.use(self.claim())
        with self.assertRaises(ApplicationError) as raised:
            voucher_cancel(claim=used, by=self.ent_user)
        self.assertEqual(raised.exception.code, "invalid_state")
        used = voucher_cancel(claim=used, by=self.officer, reason="服务未实际提供")
        self.assertEqual(used.status, VoucherClaim.Status.CANCELLED)
        self.assertEqual(
            AuditEvent.objects.get(action="voucher.cancel").message, "服务未实际提供"
        )
        with self.assertRaises(ApplicationError):
            self.use(used)


class VoucherApiTests(VoucherTestCase):
    url = "/api/v1/voucher-claims/"

    def test_an_enterprise_user_claims_for_its_own_enterprise(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(self.url, {"scheme": self.scheme.pk})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["enterprise"], self.enterprise_a.pk)
        self.assertEqual(body["amount"], "20000.00")
        self.assertEqual(body["status"], "claimed")

    def test_a_claim_over_the_cap_is_a_409_naming_the_cap(self) -> None:
        for _ in range(5):
            self.claim()
        self.client.force_login(self.ent_user)
        response = self.post_json(self.url, {"scheme": self.scheme.pk})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "annual_cap_reached")
        self.assertIn("100,000", response.json()["detail"])

    def test_a_claim_beyond_the_quota_is_a_409(self) -> None:
        VoucherScheme.objects.filter(pk=self.scheme.pk).update(
            quota_total=Decimal("10000")
        )
        self.client.force_login(self.ent_user)
        response = self.post_json(self.url, {"scheme": self.scheme.pk})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "quota_exhausted")

    def test_only_enterprise_users_claim(self) -> None:
        for user in (self.officer, self.expert):
            self.client.force_login(user)
            response = self.post_json(self.url, {"scheme": self.scheme.pk})
            self.assertEqual(response.status_code, 403)
        self.client.force_login(self.ent_user)
        response = self.post_json(self.url, {"scheme": 0})
        self.assertEqual(response.status_code, 400)

    def test_use_then_redeem(self) -> None:
        claim = self.claim()
        use = f"/api/v1/voucher-claims/{claim.pk}/use/"
        redeem = f"/api/v1/voucher-claims/{claim.pk}/redeem/"
        payload = {
            "provider": self.lab.pk,
            "service": "EMC检测",
            "service_fee": "10000",
        }

        self.client.force_login(self.outsider)
        response = self.post_json(use, payload)
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.officer)
        response = self.post_json(use, payload)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.post(redeem).status_code, 409)

        self.client.force_login(self.ent_user)
        response = self.post_json(use, {**payload, "service_fee": "0"})
        self.assertEqual(response.status_code, 400)
        response = self.post_json(use, {**payload, "provider": self.closed.pk})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "provider_inactive")
        response = self.post_json(use, payload)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["used_amount"], "5000.00")
        self.assertEqual(response.json()["provider_name"], self.lab.name)
        response = self.post_json(use, payload)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_state")
        self.assertEqual(self.client.post(redeem).status_code, 403)

        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(redeem).status_code, 405)
        response = self.client.post(redeem)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "redeemed")

    def test_cancel(self) -> None:
        claim = self.claim()
        self.client.force_login(self.outsider)
        url = f"/api/v1/voucher-claims/{claim.pk}/cancel/"
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.ent_user)
        response = self.client.post(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "cancelled")
        self.assertEqual(self.client.post(url).status_code, 409)

    def test_the_claims_list_is_scoped(self) -> None:
        self.claim()
        self.claim(self.enterprise_b)
        self.client.force_login(self.ent_user)
        body = self.client.get(self.url).json()
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["results"][0]["enterprise"], self.enterprise_a.pk)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(self.url).json()["count"], 2)
        self.assertEqual(
            self.client.get(f"{self.url}?enterprise={self.enterprise_b.pk}").json()[
                "count"
            ],
            1,
        )
        self.client.force_login(self.expert)
        # As the page: a role that may never view vouchers is refused.
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def list_queries(self, claims: int) -> None:
        enterprises = [EnterpriseFactory(org_unit=self.street_a) for _ in range(3)]
        for i in range(claims):
            claim = self.claim(enterprises[i % 3])
            if i % 2:
                self.use(claim)
        self.client.force_login(self.officer)
        # The session, the user, the count and one page with its scheme,
        # enterprise and provider joined.
        with self.assertNumQueries(4):
            response = self.client.get(self.url)
        self.assertEqual(response.json()["count"], claims)

    def test_the_claims_list_costs_the_same_for_one_claim(self) -> None:
        self.list_queries(1)

    def test_the_claims_list_costs_the_same_for_ten_claims(self) -> None:
        self.list_queries(10)

    def test_schemes_show_what_is_left_of_the_quota(self) -> None:
        self.use(self.claim(), fee="9000")
        self.claim(self.enterprise_b)
        voucher_cancel(claim=self.claim(self.enterprise_b), by=self.outsider)
        self.client.force_login(self.officer)
        (scheme,) = self.client.get("/api/v1/voucher-schemes/").json()["results"]
        self.assertEqual(scheme["committed"], "40000.00")
        self.assertEqual(scheme["spent"], "9000.00")
        self.assertEqual(scheme["remaining"], "4960000.00")
        self.assertEqual(scheme["claim_count"], 2)
        # As the page: a role that may never see vouchers is refused.
        self.client.force_login(self.expert)
        for url in ("/api/v1/voucher-schemes/", "/api/v1/service-providers/"):
            self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_provider_list_shows_active_providers(self) -> None:
        self.client.force_login(self.ent_user)
        body = self.client.get("/api/v1/service-providers/").json()
        self.assertEqual([p["name"] for p in body["results"]], [self.lab.name])


class VoucherPageTests(VoucherTestCase):
    def test_an_enterprise_claims_and_uses_from_its_page(self) -> None:
        self.client.force_login(self.ent_user)
        page = self.client.get("/vouchers/")
        self.assertContains(page, 'action="/vouchers/claim/"')
        response = self.client.post("/vouchers/claim/", {"scheme": self.scheme.pk})
        self.assertRedirects(response, "/vouchers/")
        claim = VoucherClaim.objects.get()
        self.assertEqual(claim.enterprise, self.enterprise_a)
        page = self.client.get("/vouchers/")
        self.assertContains(page, f'href="/vouchers/{claim.pk}/use/"')
        self.assertContains(
            self.client.get(f"/vouchers/{claim.pk}/use/"), self.lab.name
        )
        typed = {
            "provider": self.lab.pk,
            "service": "芯片失效分析",
            "service_fee": "1.2",  # 万元
        }
        # The first post restates what the voucher pays and asks once more.
        response = self.client.post(f"/vouchers/{claim.pk}/use/", typed)
        self.assertContains(response, "人民币陆仟元整")
        claim.refresh_from_db()
        self.assertEqual(claim.status, VoucherClaim.Status.CLAIMED)
        response = self.client.post(
            f"/vouchers/{claim.pk}/use/", {**typed, "confirmed": "1"}
        )
        self.assertRedirects(response, "/vouchers/")
        claim.refresh_from_db()
        self.assertEqual(claim.used_amount, Decimal("6000.00"))

    def test_a_refused_claim_shows_why(self) -> None:
        for _ in range(5):
            self.claim()
        self.client.force_login(self.ent_user)
        response = self.client.post(
            "/vouchers/claim/", {"scheme": self.scheme.pk}, follow=True
        )
        self.assertContains(response, "100,000")
        self.assertEqual(VoucherClaim.objects.count(), 5)

    def test_an_enterprise_sees_only_its_vouchers(self) -> None:
        self.use(self.claim(self.enterprise_b))
        self.client.force_login(self.ent_user)
        self.assertNotContains(self.client.get("/vouchers/"), "材料成分检测")

    def test_staff_see_every_claim_the_quota_and_redeem(self) -> None:
        claim = self.use(self.claim())
        self.claim(self.enterprise_b)
        self.client.force_login(self.officer)
        page = self.client.get("/vouchers/")
        self.assertContains(page, self.enterprise_a.name)
        self.assertContains(page, self.enterprise_b.name)
        self.assertContains(page, "496.00")  # 4,960,000 yuan left, in 万元
        self.assertContains(page, f'action="/vouchers/{claim.pk}/redeem/"')
        response = self.client.post(f"/vouchers/{claim.pk}/redeem/")
        self.assertContains(response, 'name="confirmed" value="1"')
        response = self.client.post(f"/vouchers/{claim.pk}/redeem/", {"confirmed": "1"})
        self.assertRedirects(response, "/vouchers/")
        claim.refresh_from_db()
        self.assertEqual(claim.status, VoucherClaim.Status.REDEEMED)

    def test_a_leader_reads_without_buttons(self) -> None:
        claim = self.use(self.claim())
        self.client.force_login(self.leader)
        page = self.client.get("/vouchers/")
        self.assertContains(page, self.enterprise_a.name)
        self.assertNotContains(page, "/redeem/")
        self.assertEqual(
            self.client.post(f"/vouchers/{claim.pk}/redeem/").status_code, 403
        )

    def test_experts_are_refused(self) -> None:
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get("/vouchers/").status_code, 403)
