"""The reward and voucher pages a 科员 works from: review lists that search,
filter, sort, export and act in bulk after one confirmation; money in 万元;
forms that keep what was typed; messages that say what happened to what."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.utils import timezone
from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from projects.models import (
    Entitlement,
    Programme,
    RewardBatch,
    RewardRule,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
)
from projects.services.vouchers import voucher_claim, voucher_use

WAN = Decimal(10_000)


class RewardPagesTestCase(CastTestCase):
    """Last year's batch approved (A 20万, B 30万, C 12.5万 excluded), the
    year before's still a draft (A 20万)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year - 1
        programme = Programme.objects.create(
            name="研发投入奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        cls.hnte = RewardRule.objects.create(
            programme=programme,
            name="新认定国家高新技术企业奖励",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=20 * WAN,
        )
        cls.growth = RewardRule.objects.create(
            programme=programme,
            name="研发投入增长前10名奖励",
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.GROWTH,
        )
        cls.approved = RewardBatch.objects.create(
            year=cls.year,
            status=RewardBatch.Status.APPROVED,
            built_at=timezone.now(),
            approved_at=timezone.now(),
            approved_by=cls.head,
        )
        cls.draft = RewardBatch.objects.create(
            year=cls.year - 1, built_at=timezone.now()
        )
        cls.enterprise_c = EnterpriseFactory(org_unit=cls.street_b, name="杭州丙科技")
        cls.a = cls.entitle(cls.approved, cls.enterprise_a, cls.hnte, 20)
        cls.b = cls.entitle(cls.approved, cls.enterprise_b, cls.growth, 30)
        cls.c = cls.entitle(
            cls.approved, cls.enterprise_c, cls.growth, Decimal("12.5"), excluded=True
        )
        cls.old = cls.entitle(cls.draft, cls.enterprise_a, cls.hnte, 20)

    @classmethod
    def entitle(  # type: ignore[no-untyped-def]
        cls, batch, enterprise, rule, wan, excluded: bool = False
    ) -> Entitlement:
        return Entitlement.objects.create(
            batch=batch,
            rule=rule,
            enterprise=enterprise,
            amount=Decimal(wan) * WAN,
            reason=f"{rule.name}理由",
            excluded=excluded,
            exclusion_reason="存在失信记录" if excluded else "",
        )

    def rows(self, url: str) -> list[int]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return [e.pk for e in response.context["page"].object_list]


class EntitlementListTests(RewardPagesTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.officer)

    def test_it_searches_by_name_and_credit_code(self) -> None:
        name = self.enterprise_b.name
        self.assertEqual(
            self.rows(f"/rewards/entitlements/?q={quote(name)}"), [self.b.pk]
        )
        code = self.enterprise_c.credit_code[-8:].lower()
        self.assertEqual(self.rows(f"/rewards/entitlements/?q={code}"), [self.c.pk])

    def test_it_filters_by_street_rule_year_and_state(self) -> None:
        base = "/rewards/entitlements/?"
        self.assertEqual(
            sorted(self.rows(f"{base}street={self.street_a.pk}")),
            sorted([self.a.pk, self.old.pk]),
        )
        self.assertEqual(
            sorted(self.rows(f"{base}rule={self.growth.pk}")),
            sorted([self.b.pk, self.c.pk]),
        )
        self.assertEqual(self.rows(f"{base}year={self.year - 1}"), [self.old.pk])
        self.assertEqual(self.rows(f"{base}state=pending"), [self.old.pk])
        self.assertEqual(self.rows(f"{base}state=excluded"), [self.c.pk])
        self.assertEqual(
            sorted(self.rows(f"{base}state=unpaid")), sorted([self.a.pk, self.b.pk])
        )
        # A value that is not a choice is dropped, not an error page.
        self.assertEqual(len(self.rows(f"{base}year=abc&street=999999")), 4)

    def test_it_sorts(self) -> None:
        self.assertEqual(
            self.rows(f"/rewards/entitlements/?year={self.year}&sort=-amount"),
            [self.b.pk, self.a.pk, self.c.pk],
        )
        self.assertEqual(
            self.rows(f"/rewards/entitlements/?year={self.year}&sort=amount"),
            [self.c.pk, self.a.pk, self.b.pk],
        )

    def test_it_shows_wan_with_separators_and_a_total(self) -> None:
        Entitlement.objects.filter(pk=self.b.pk).update(amount=Decimal("12345678.90"))
        page = self.client.get(f"/rewards/entitlements/?year={self.year}")
        self.assertContains(page, "1,234.57")
        # 20万 + 1,234.57万; the excluded 12.5万 adds nothing.
        self.assertContains(page, "1,254.57")

    def test_the_export_is_the_filtered_list_in_wan(self) -> None:
        response = self.client.get(
            f"/rewards/entitlements/?rule={self.growth.pk}&export=xlsx"
        )
        self.assertEqual(response.status_code, 200)
        rows = list(
            load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        )
        self.assertIn("金额（万元）", rows[0])
        self.assertIn("奖补规则", rows[0])
        amount = rows[0].index("金额（万元）")
        names = [row[1] for row in rows[1:-1]]
        self.assertEqual(sorted(names), sorted([self.enterprise_b.name, "杭州丙科技"]))
        self.assertEqual(rows[-1][1], "合计")
        self.assertEqual(rows[-1][amount], 30)  # the excluded row is not paid

    def test_a_leader_reads_and_exports_without_buttons(self) -> None:
        self.client.force_login(self.leader)
        page = self.client.get("/rewards/entitlements/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "/rewards/entitlements/pay/")
        self.assertNotContains(page, "/pay/")
        response = self.client.post(
            "/rewards/entitlements/pay/", {"ids": [self.a.pk], "confirmed": "1"}
        )
        self.assertEqual(response.status_code, 403)

    def test_an_enterprise_is_sent_to_its_own_rewards(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertRedirects(self.client.get("/rewards/entitlements/"), "/rewards/")


class PayTests(RewardPagesTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.officer)

    def test_bulk_pay_asks_once_listing_the_items_and_the_total(self) -> None:
        back = f"/rewards/entitlements/?street={self.street_b.pk}&sort=-amount&page=1"
        data = {"ids": [self.a.pk, self.b.pk], "next": back}
        response = self.client.post("/rewards/entitlements/pay/", data)
        self.assertContains(response, self.enterprise_a.name)
        self.assertContains(response, self.enterprise_b.name)
        self.assertContains(response, "50万元")
        self.assertContains(response, "人民币伍拾万元整")
        self.assertFalse(Entitlement.objects.filter(paid_at__isnull=False).exists())

        response = self.client.post(
            "/rewards/entitlements/pay/", {**data, "confirmed": "1"}, follow=True
        )
        self.assertRedirects(response, back)
        self.assertContains(response, "已发放2笔政策奖励，合计50万元")
        self.assertEqual(
            set(
                Entitlement.objects.filter(paid_at__isnull=False).values_list(
                    "pk", flat=True
                )
            ),
            {self.a.pk, self.b.pk},
        )
        self.assertEqual(AuditEvent.objects.filter(action="entitlement.pay").count(), 2)
        self.assertEqual(
            sorted(self.rows("/rewards/entitlements/?state=paid")),
            sorted([self.a.pk, self.b.pk]),
        )

    def test_bulk_pay_refuses_the_lot_if_one_is_not_payable(self) -> None:
        response = self.client.post(
            "/rewards/entitlements/pay/",
            {"ids": [self.a.pk, self.old.pk], "confirmed": "1"},
            follow=True,
        )
        self.assertContains(response, "批次尚未批准")
        self.assertFalse(Entitlement.objects.filter(paid_at__isnull=False).exists())

    def test_a_foreign_next_goes_back_to_the_list(self) -> None:
        response = self.client.post(
            "/rewards/entitlements/pay/",
            {"ids": [self.a.pk], "confirmed": "1", "next": "https://evil.example/"},
        )
        self.assertRedirects(response, "/rewards/entitlements/")

    def test_one_pay_restates_it_and_says_what_was_paid(self) -> None:
        url = f"/rewards/entitlements/{self.b.pk}/pay/"
        response = self.client.post(url)
        self.assertContains(response, "人民币叁拾万元整")
        self.assertContains(response, self.growth.name)
        response = self.client.post(url, {"confirmed": "1"}, follow=True)
        self.assertRedirects(response, f"/rewards/{self.year}/")
        self.assertContains(
            response,
            f"已向{self.enterprise_b.name}发放{self.year}年度{self.growth.name} 30万元",
        )
        page = self.client.get(f"/rewards/{self.year}/?state=paid")
        self.assertContains(page, "已发放")

    def test_paying_twice_is_refused(self) -> None:
        url = f"/rewards/entitlements/{self.a.pk}/pay/"
        self.client.post(url, {"confirmed": "1"})
        response = self.client.post(url, {"confirmed": "1"}, follow=True)
        self.assertContains(response, "以下奖补不能登记发放")
        self.assertEqual(AuditEvent.objects.filter(action="entitlement.pay").count(), 1)


class BatchPageTests(RewardPagesTestCase):
    def test_approving_restates_batch_enterprises_and_total_in_words(self) -> None:
        self.client.force_login(self.head)
        url = f"/rewards/{self.year - 1}/approve/"
        response = self.client.post(url)
        self.assertContains(response, f"{self.year - 1}年度政策奖补")
        self.assertContains(response, "人民币贰拾万元整")
        self.assertContains(response, "<dt>企业</dt><dd>1</dd>", html=False)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, RewardBatch.Status.DRAFT)
        response = self.client.post(url, {"confirmed": "1"}, follow=True)
        self.assertContains(
            response, f"已批准{self.year - 1}年度奖补兑现批次：1家企业、1条，合计20万元"
        )

    def test_a_bad_build_year_is_shown_beside_the_field(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post("/rewards/build/", {"year": "1999"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请更正以下内容", status_code=400)
        self.assertContains(response, 'class="error"', status_code=400)

    def test_exclude_page_keeps_the_list_and_needs_a_reason(self) -> None:
        self.client.force_login(self.officer)
        back = f"/rewards/{self.year - 1}/?q=%E6%9D%AD&page=1"
        url = f"/rewards/entitlements/{self.old.pk}/exclude/?next={quote(back)}"
        page = self.client.get(url)
        self.assertContains(page, "人民币贰拾万元整")
        self.assertContains(page, 'for="id_reason"')
        response = self.client.post(url, {"reason": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请更正以下内容", status_code=400)
        self.assertContains(response, "剔除原因", status_code=400)
        response = self.client.post(url, {"reason": "已享受市级同类奖励"}, follow=True)
        self.assertRedirects(response, back)
        self.assertContains(response, "剔除出")
        self.old.refresh_from_db()
        self.assertTrue(self.old.excluded)


class VoucherPagesTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scheme = VoucherScheme.objects.create(
            year=timezone.localdate().year, quota_total=Decimal("5000000")
        )
        cls.lab = ServiceProvider.objects.create(name="浙江省检测院", kind="检测")

    def claim(self, enterprise=None, fee: str | None = "7000"):  # type: ignore[no-untyped-def]
        enterprise = enterprise or self.enterprise_a
        claim = voucher_claim(
            scheme=self.scheme, enterprise=enterprise, by=self.ent_user
        )
        if fee is not None:
            claim = voucher_use(
                claim=claim,
                provider=self.lab,
                service="材料检测",
                service_fee=Decimal(fee),
                by=self.ent_user,
            )
        return claim


class VoucherListTests(VoucherPagesTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.officer)

    def test_it_shows_wan_not_yuan(self) -> None:
        self.claim()
        page = self.client.get("/vouchers/")
        self.assertContains(page, "券面金额（万元）")
        self.assertContains(page, "0.70")  # a 7,000 yuan fee
        self.assertNotContains(page, "（元）")

    def test_it_searches_and_filters(self) -> None:
        a = self.claim()
        b = self.claim(self.enterprise_b, fee=None)
        self.assertEqual(self.rows(f"/vouchers/?street={self.street_b.pk}"), [b.pk])
        code = self.enterprise_a.credit_code
        self.assertEqual(self.rows(f"/vouchers/?q={code}"), [a.pk])
        self.assertEqual(self.rows("/vouchers/?status=used"), [a.pk])
        self.assertEqual(
            self.rows(f"/vouchers/?year={self.scheme.year}&sort=enterprise"),
            [c.pk for c in sorted([a, b], key=lambda c: (c.enterprise.name, c.pk))],
        )

    def rows(self, url: str) -> list[int]:
        return [c.pk for c in self.client.get(url).context["page"].object_list]

    def test_the_export_is_the_filtered_list_in_wan(self) -> None:
        self.claim()
        self.claim(self.enterprise_b, fee=None)
        response = self.client.get("/vouchers/?status=used&export=xlsx")
        rows = list(
            load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        )
        self.assertIn("服务费（万元）", rows[0])
        self.assertEqual(len(rows), 1 + 1 + 1)
        self.assertEqual(rows[1][0], self.enterprise_a.name)
        self.assertEqual(rows[1][rows[0].index("创新券抵扣（万元）")], 0.7)

    def test_bulk_redeem_asks_once_and_keeps_the_filters(self) -> None:
        a, b = self.claim(), self.claim(self.enterprise_b, fee="30000")
        back = "/vouchers/?status=used&sort=enterprise"
        data = {"ids": [a.pk, b.pk], "next": back}
        response = self.client.post("/vouchers/redeem/", data)
        self.assertContains(
            response, "人民币贰万贰仟元整"
        )  # 0.7万 + 1.5万 (half of 3万)
        self.assertEqual(VoucherClaim.objects.filter(status="redeemed").count(), 0)
        response = self.client.post(
            "/vouchers/redeem/", {**data, "confirmed": "1"}, follow=True
        )
        self.assertRedirects(response, back)
        self.assertContains(response, "已兑付2张创新券，合计2.2万元")
        self.assertEqual(VoucherClaim.objects.filter(status="redeemed").count(), 2)

    def test_one_redeem_names_the_provider_and_amount(self) -> None:
        a = self.claim()
        response = self.client.post(
            f"/vouchers/{a.pk}/redeem/", {"confirmed": "1"}, follow=True
        )
        self.assertContains(
            response,
            f"已向浙江省检测院发放{self.enterprise_a.name}的创新券兑付 0.7万元",
        )

    def test_cancel_asks_once_with_the_reason(self) -> None:
        a = self.claim(fee=None)
        response = self.client.post(f"/vouchers/{a.pk}/cancel/", {"reason": "重复申领"})
        self.assertContains(response, "重复申领")
        self.assertContains(response, "人民币贰万元整")
        a.refresh_from_db()
        self.assertEqual(a.status, VoucherClaim.Status.CLAIMED)
        self.client.post(
            f"/vouchers/{a.pk}/cancel/", {"reason": "重复申领", "confirmed": "1"}
        )
        a.refresh_from_db()
        self.assertEqual(a.status, VoucherClaim.Status.CANCELLED)


class VoucherUseFormTests(VoucherPagesTestCase):
    def test_a_bad_fee_keeps_what_was_typed_with_chinese_labels(self) -> None:
        claim = self.claim(fee=None)
        self.client.force_login(self.ent_user)
        url = f"/vouchers/{claim.pk}/use/"
        page = self.client.get(url)
        self.assertContains(page, 'for="id_service_fee"')
        self.assertContains(page, "万元")
        response = self.client.post(
            url,
            {"provider": self.lab.pk, "service": "芯片失效分析", "service_fee": "一万"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="芯片失效分析"', status_code=400)
        self.assertContains(response, 'value="一万"', status_code=400)
        self.assertContains(response, "服务费", status_code=400)
        self.assertContains(response, "请更正以下内容", status_code=400)
        self.assertNotContains(response, "service_fee：", status_code=400)

    def test_the_fee_is_typed_in_wan(self) -> None:
        claim = self.claim(fee=None)
        self.client.force_login(self.ent_user)
        data = {
            "provider": self.lab.pk,
            "service": "芯片失效分析",
            "service_fee": "0.8",
            "confirmed": "1",
        }
        response = self.client.post(f"/vouchers/{claim.pk}/use/", data, follow=True)
        self.assertContains(response, "服务费0.8万元，创新券抵扣0.8万元")
        claim.refresh_from_db()
        self.assertEqual(claim.service_fee, Decimal("8000.00"))


class QueryCountTests(RewardPagesTestCase):
    """The lists cost the same for a handful of rows as for a full page."""

    def grow(self, n: int) -> None:
        streets = [self.street_a, self.street_b]
        for i in range(n):
            enterprise = EnterpriseFactory(org_unit=streets[i % 2])
            self.entitle(self.approved, enterprise, self.hnte, 20)
            claim = voucher_claim(
                scheme=self.scheme, enterprise=enterprise, by=self.ent_user
            )
            voucher_use(
                claim=claim,
                provider=self.lab,
                service="检测",
                service_fee=Decimal("5000"),
                by=self.ent_user,
            )

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scheme = VoucherScheme.objects.create(
            year=timezone.localdate().year, quota_total=Decimal("50000000")
        )
        cls.lab = ServiceProvider.objects.create(name="浙江省检测院", kind="检测")

    def assert_costs(self, url: str, queries: int) -> None:
        self.client.force_login(self.officer)
        self.client.get(url)  # warm the session
        with self.assertNumQueries(queries):
            self.assertEqual(self.client.get(url).status_code, 200)

    LIST = "/rewards/entitlements/?q=%E6%9D%AD&sort=-amount"
    BATCH = "/rewards/{year}/?state=unpaid"
    VOUCHERS = "/vouchers/?status=used&sort=enterprise"

    def test_small(self) -> None:
        self.grow(2)
        self.assert_costs(self.LIST, 8)
        self.assert_costs(self.BATCH.format(year=self.year), 10)
        self.assert_costs(self.VOUCHERS, 8)

    def test_large(self) -> None:
        self.grow(40)
        self.assert_costs(self.LIST, 8)
        self.assert_costs(self.BATCH.format(year=self.year), 10)
        self.assert_costs(self.VOUCHERS, 8)


class ApiTests(RewardPagesTestCase):
    """The API keeps 元 and answers the same filters and the pay action."""

    def test_the_list_filters_as_the_page_does(self) -> None:
        self.client.force_login(self.officer)
        url = f"/api/v1/entitlements/?street={self.street_b.pk}&state=unpaid"
        rows = self.client.get(url).json()["results"]
        self.assertEqual([r["id"] for r in rows], [self.b.pk])
        self.assertEqual(rows[0]["amount"], "300000.00")
        self.assertEqual(rows[0]["state"], "unpaid")
        code = self.enterprise_a.credit_code
        rows = self.client.get(f"/api/v1/entitlements/?q={code}").json()["results"]
        self.assertEqual(
            sorted(r["id"] for r in rows), sorted([self.a.pk, self.old.pk])
        )

    def test_staff_pay_through_the_api_once(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(f"/api/v1/entitlements/{self.a.pk}/pay/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["state"], "paid")
        again = self.client.post(f"/api/v1/entitlements/{self.a.pk}/pay/")
        self.assertEqual(again.status_code, 409)
        draft = self.client.post(f"/api/v1/entitlements/{self.old.pk}/pay/")
        self.assertEqual(draft.status_code, 409)

    def test_who_may_not_pay(self) -> None:
        for user, code in (
            (self.leader, 403),
            (self.liaison, 404),
            (self.ent_user, 403),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                response = self.client.post(f"/api/v1/entitlements/{self.a.pk}/pay/")
                self.assertEqual(response.status_code, code)
                page = self.client.post(
                    f"/rewards/entitlements/{self.a.pk}/pay/", {"confirmed": "1"}
                )
                self.assertEqual(page.status_code, code)
        self.assertFalse(Entitlement.objects.filter(paid_at__isnull=False).exists())

    def test_form_pages_answer_as_their_actions(self) -> None:
        exclude = f"/rewards/entitlements/{self.old.pk}/exclude/"
        for user, code in (
            (self.officer, 200),
            (self.leader, 403),
            (self.outsider, 404),
            (self.expert, 404),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(exclude).status_code, code)


class ApprovedBatchTests(RewardPagesTestCase):
    def test_an_approved_entitlement_cannot_be_excluded_from_its_page(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(
            f"/rewards/entitlements/{self.a.pk}/exclude/", follow=True
        )
        self.assertRedirects(response, f"/rewards/{self.year}/")
        self.assertContains(response, "不能再更改")
        page = self.client.get(f"/rewards/{self.year}/")
        self.assertNotContains(page, "/exclude/")
        self.assertContains(page, f"/rewards/entitlements/{self.a.pk}/pay/")
