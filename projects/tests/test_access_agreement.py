"""Pages and the API agree, for every role of the cast, on every object type
of the projects app that has both: the same status (200/403/404) on detail
and export routes, and the same rows in lists."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone

from bureau.models import Role
from bureau.tests.agreement import (
    PageApiAgreement,
    Route,
    api_field,
    api_ids,
    context_ids,
    send,
)
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from enterprises.models import Tier
from enterprises.services import certification_create
from projects.models import (
    Application,
    Attachment,
    Call,
    Entitlement,
    Programme,
    ReviewAssignment,
    RewardBatch,
    RewardRule,
    VoucherScheme,
)
from projects.services.vouchers import voucher_claim
from projects.tests.factories import make_application, make_call, make_expert


def _voucher_page_rows(response: HttpResponse) -> list[int]:
    key = "claims" if "claims" in response.context else "page"
    return context_ids(key)(response)


def _reward_page_rows(response: HttpResponse) -> set[int]:
    """The bureau's index lists batches; an enterprise's its entitlements,
    which the API lists under the batches that hold them."""
    if "batches" in response.context:
        return {b.year for b in response.context["batches"]}
    return {e.batch.year for e in response.context["entitlements"]}


def _call_page_rows(response: HttpResponse) -> list[int]:
    """The calls on the projects home: the bureau's list, or the open calls
    an enterprise may apply to."""
    if "calls" in response.context:
        return context_ids("calls")(response)
    return [call.pk for call, _, _ in response.context["open_calls"]]


def _entitlement_page_rows(response: HttpResponse) -> list[int]:
    """An enterprise's own entitlements, or those of the bureau's batches."""
    if "entitlements" in response.context:
        return context_ids("entitlements")(response)
    batches = response.context["batches"]
    return [e.pk for b in batches for e in Entitlement.objects.filter(batch=b)]


def _entitlement_review_rows(response: HttpResponse) -> list[int]:
    """The bureau's review list, or (after the redirect) an enterprise's own
    rewards."""
    key = "page" if "page" in response.context else "entitlements"
    return context_ids(key)(response)


def _voucher_scheme_rows(response: HttpResponse) -> list[int]:
    scheme = response.context["scheme"]
    return [scheme.pk] if scheme else []


class AccessAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        year = timezone.localdate().year
        cls.call = make_call(cls.officer)
        cls.draft_call = make_call(cls.officer, published=False, title="草稿通知")
        cls.application = make_application(
            cls.call,
            cls.ent_user,
            title="智能传感器研发",
            summary="摘要",
            requested_amount=Decimal("500000"),
            state=Application.State.UNDER_REVIEW,
            approved_amount=Decimal("400000"),
        )
        cls.other_application = make_application(
            cls.call,
            cls.outsider,
            title="新材料中试",
            summary="摘要",
            requested_amount=Decimal("300000"),
        )
        cls.attachments = [
            Attachment.objects.create(
                application=app,
                kind="项目申报书",
                file=ContentFile(b"%PDF-1.4\n", name="a.pdf"),
                original_name="申报书.pdf",
                content_type="application/pdf",
                size=9,
                uploaded_by=app.created_by,
            )
            for app in (cls.application, cls.other_application)
        ]
        cls.assignment = ReviewAssignment.objects.create(
            application=cls.application, expert=make_expert(cls.expert, "王专家")
        )

        programme = Programme.objects.create(
            name="研发投入奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        rule = cls.rule = RewardRule.objects.create(
            programme=programme,
            name="新认定国家高新技术企业奖励",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=Decimal("200000"),
        )
        cls.approved_batch = RewardBatch.objects.create(
            year=year - 1,
            status=RewardBatch.Status.APPROVED,
            built_at=timezone.now(),
            approved_at=timezone.now(),
            approved_by=cls.head,
        )
        cls.draft_batch = RewardBatch.objects.create(
            year=year - 2, built_at=timezone.now()
        )
        for batch in (cls.approved_batch, cls.draft_batch):
            for enterprise in (cls.enterprise_a, cls.enterprise_b):
                Entitlement.objects.create(
                    batch=batch,
                    rule=rule,
                    enterprise=enterprise,
                    amount=Decimal("200000"),
                    reason="新认定国家高新技术企业",
                )

        certification_create(
            by=None,
            enterprise=cls.enterprise_a,
            tier=Tier.objects.get(code=Tier.HNTE),
            year=year - 1,
            issued_on=date(year - 1, 12, 1),
        )
        scheme = VoucherScheme.objects.create(
            year=year,
            quota_total=Decimal("5000000"),
            amount_per_claim=Decimal("20000"),
            annual_cap_per_enterprise=Decimal("100000"),
            full_pay_below=Decimal("10000"),
            copay_ratio=Decimal("0.5"),
        )
        for user in (cls.ent_user, cls.outsider):
            voucher_claim(scheme=scheme, enterprise=user.enterprise, by=user)

    def routes(self) -> list[Route]:
        app, other = self.application.pk, self.other_application.pk
        approved, draft = self.approved_batch.year, self.draft_batch.year
        return [
            Route(
                "call detail",
                f"/projects/calls/{self.call.pk}/",
                f"/api/v1/calls/{self.call.pk}/",
            ),
            Route(
                "draft call detail",
                f"/projects/calls/{self.draft_call.pk}/",
                f"/api/v1/calls/{self.draft_call.pk}/",
            ),
            Route(
                "application detail",
                f"/projects/applications/{app}/",
                f"/api/v1/applications/{app}/",
            ),
            Route(
                "other application detail",
                f"/projects/applications/{other}/",
                f"/api/v1/applications/{other}/",
            ),
            Route(
                "application list",
                "/projects/applications/",
                "/api/v1/applications/",
                context_ids("applications"),
                api_ids,
            ),
            Route(
                "review list",
                "/projects/reviews/",
                "/api/v1/reviews/",
                context_ids("assignments"),
                api_ids,
            ),
            Route(
                "ledger",
                "/projects/ledger/",
                "/api/v1/ledger/",
                lambda r: [row["call_id"] for row in r.context["rows"]],
                api_field("call_id"),
            ),
            Route(
                "ledger export",
                "/projects/ledger/?export=xlsx",
                "/api/v1/ledger/",
            ),
            Route(
                "reward batch list",
                "/rewards/",
                "/api/v1/reward-batches/",
                _reward_page_rows,
                api_field("year"),
            ),
            Route(
                "approved reward batch",
                f"/rewards/{approved}/",
                f"/api/v1/reward-batches/{approved}/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "draft reward batch",
                f"/rewards/{draft}/",
                f"/api/v1/reward-batches/{draft}/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "approved reward batch export",
                f"/rewards/{approved}/export/",
                f"/api/v1/reward-batches/{approved}/export/",
            ),
            Route(
                "draft reward batch export",
                f"/rewards/{draft}/export/",
                f"/api/v1/reward-batches/{draft}/export/",
            ),
            *(
                Route(
                    f"attachment ({label})",
                    f"/projects/attachments/{attachment.pk}/",
                    f"/api/v1/attachments/{attachment.pk}/",
                )
                for label, attachment in zip(
                    ("own application's", "other application's"),
                    self.attachments,
                    strict=True,
                )
            ),
            Route(
                "entitlement list",
                "/rewards/",
                "/api/v1/entitlements/",
                _entitlement_page_rows,
                api_ids,
            ),
            Route(
                "entitlement review list",
                "/rewards/entitlements/",
                "/api/v1/entitlements/",
                _entitlement_review_rows,
                api_ids,
                redirect=lambda user: "/rewards/",
            ),
            Route(
                "entitlement review list export",
                "/rewards/entitlements/?export=xlsx",
                "/api/v1/entitlements/",
                redirect=lambda user: "/rewards/",
            ),
            Route(
                "reward rule list",
                "/rewards/rules/",
                "/api/v1/reward-rules/",
                lambda r: [row.rule.pk for row in r.context["rows"]],
                api_ids,
            ),
            Route(
                # The edit form answers as a change through the API does.
                "reward rule edit",
                f"/rewards/rules/{self.rule.pk}/edit/",
                lambda client: client.patch(
                    f"/api/v1/reward-rules/{self.rule.pk}/",
                    {},
                    content_type="application/json",
                ),
            ),
            Route(
                "voucher claim list export",
                "/vouchers/?export=xlsx",
                "/api/v1/voucher-claims/",
            ),
            Route(
                "voucher scheme",
                "/vouchers/",
                "/api/v1/voucher-schemes/",
                _voucher_scheme_rows,
                api_ids,
            ),
            Route(
                "service provider list",
                "/vouchers/",
                "/api/v1/service-providers/",
            ),
            Route(
                "voucher claim list",
                "/vouchers/",
                "/api/v1/voucher-claims/",
                _voucher_page_rows,
                api_ids,
            ),
        ]

    def test_every_role_gets_an_answer_on_some_route(self) -> None:
        """The walk is not vacuous: each role meets a 200 and a refusal."""
        for role in self.roles:
            self.client.force_login(getattr(self, role))
            codes = {send(self.client, r.api).status_code for r in self.routes()}
            with self.subTest(role=role):
                self.assertTrue(codes & {403, 404})


class CallListAgreementTests(AccessAgreementTests):
    """The projects home lists calls for the roles whose home it is: the
    bureau's readers and enterprises (an expert's home is their reviews).
    For the other roles it is no call list, and published calls are notices
    any signed-in user may read (as the call detail says on both sides)."""

    roles = ("officer", "head", "leader", "ent_user", "outsider")

    def routes(self) -> list[Route]:
        return [
            Route(
                "call list",
                "/projects/",
                "/api/v1/calls/",
                _call_page_rows,
                api_ids,
            )
        ]

    def test_every_role_gets_an_answer_on_some_route(self) -> None:
        """Every role here may read the call list."""
        for role in self.roles:
            self.client.force_login(getattr(self, role))
            with self.subTest(role=role):
                self.assertEqual(self.client.get("/api/v1/calls/").status_code, 200)


class PanelAgreementTests(PageApiAgreement, CastTestCase):
    """The panel actions (close, re-open, replace a reviewer) answer alike on
    the page and the API for every role: each side acts on a fresh call or
    assignment, so one side's success does not change what the other finds."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.experts = [
            make_expert(UserFactory(role=Role.EXPERT, username=f"ax{i}"), f"专家{i}")
            for i in range(3)
        ]

    def ended_call(self, *, closed: bool) -> int:
        past = timezone.now() - timedelta(days=1)
        call = make_call(
            self.officer, opens_at=past - timedelta(days=30), closes_at=past
        )
        if closed:
            Call.objects.filter(pk=call.pk).update(panel_closed_at=timezone.now())
        return call.pk

    def declined_assignment(self) -> int:
        call = make_call(self.officer)
        app = make_application(
            call, self.ent_user, state=Application.State.UNDER_REVIEW
        )
        return ReviewAssignment.objects.create(
            application=app, expert=self.experts[0], declined_reason="亲属"
        ).pk

    def routes(self) -> list[Route]:
        return [
            Route(
                "closing a panel",
                lambda c: c.post(
                    f"/projects/calls/{self.ended_call(closed=False)}/close-panel/",
                    {"confirmed": "1"},
                ),
                lambda c: c.post(
                    f"/api/v1/calls/{self.ended_call(closed=False)}/close-panel/"
                ),
                success_redirect=True,
            ),
            Route(
                "re-opening a panel",
                lambda c: c.post(
                    f"/projects/calls/{self.ended_call(closed=True)}/reopen-panel/",
                    {"reason": "补充评审"},
                ),
                lambda c: c.post(
                    f"/api/v1/calls/{self.ended_call(closed=True)}/reopen-panel/",
                    {"reason": "补充评审"},
                ),
                success_redirect=True,
            ),
            Route(
                "replacing a declined reviewer",
                lambda c: c.post(
                    f"/projects/reviews/{self.declined_assignment()}/replace/"
                ),
                lambda c: c.post(
                    f"/api/v1/reviews/{self.declined_assignment()}/replace/"
                ),
                success_redirect=True,
            ),
        ]

    def test_every_role_gets_an_answer_on_some_route(self) -> None:
        """The walk is not vacuous: the section head may do all three, staff
        all but re-open, a leader none."""
        for role, expected in (
            ("head", {200}),
            ("officer", {200, 403}),
            ("leader", {403}),
        ):
            self.client.force_login(getattr(self, role))
            codes = {send(self.client, r.api).status_code for r in self.routes()}
            with self.subTest(role=role):
                self.assertEqual(codes, expected)
