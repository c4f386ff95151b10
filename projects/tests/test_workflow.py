"""Each transition of the application workflow, and each refusal."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from projects.models import Application, Transition
from projects.services.applications import application_create, attachment_add
from projects.services.money import (
    contract_record,
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)
from projects.services.review import assignment_declare, review_submit, reviewers_draw
from projects.services.workflow import application_transition
from projects.tests.factories import make_call, make_expert, pdf
from projects.workflow import allowed_transitions

S = Application.State


# Decisions with the panel still open: the closed-panel rule has its own
# tests in test_panels.py.
@override_settings(APPROVAL_REQUIRES_CLOSED_PANEL=False)
class WorkflowTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)
        cls.expert_users = [
            UserFactory(role=Role.EXPERT, username=f"e{i}") for i in range(3)
        ]
        for i, user in enumerate(cls.expert_users):
            make_expert(user, f"专家{i}")

    def draft(self, amount: str = "300000", by=None) -> Application:  # type: ignore[no-untyped-def]
        by = by or self.ent_user
        app = application_create(
            by=by,
            call=self.call,
            title="高精度视觉检测系统研发",
            summary="面向新能源电池的缺陷检测",
            requested_amount=Decimal(amount),
            field="电子信息",
        )
        attachment_add(
            application=app, by=self.ent_user, kind="项目申报书", upload=pdf()
        )
        return app

    def move(self, app, to, by, comment="", **data):  # type: ignore[no-untyped-def]
        return application_transition(
            application=app, to=to, by=by, comment=comment, **data
        )

    def review(self, app: Application) -> None:
        for assignment in reviewers_draw(
            application=app, by=self.officer, rng=random.Random(1)
        ):
            user = assignment.expert.user
            assignment_declare(assignment=assignment, by=user, conflict=False)
            criteria = list(self.call.criteria.all())
            review_submit(
                assignment=assignment,
                by=user,
                scores={criteria[0].pk: 80, criteria[1].pk: 40},
            )

    def approve(self, app: Application, amount: str) -> None:
        """Submit, take up, review and approve `app` for `amount`."""
        self.move(app, S.SUBMITTED, self.ent_user)
        self.move(app, S.UNDER_REVIEW, self.officer)
        self.review(app)
        self.move(app, S.APPROVED, self.head, approved_amount=amount)

    def contract(self, app: Application, days: int, deliverables: str, milestones):  # type: ignore[no-untyped-def]
        """Record the contract of `app`, running `days` from today."""
        today = timezone.localdate()
        contract_record(
            application=app,
            by=self.officer,
            start_on=today,
            end_on=today + timedelta(days=days),
            deliverables=deliverables,
            milestones=milestones,
        )

    def test_the_happy_path_from_draft_to_closed(self) -> None:
        app = self.draft("600000")  # above the 500,000 mid-term threshold
        self.assertEqual(
            allowed_transitions(user=self.ent_user, application=app),
            ["submitted", "withdrawn"],
        )
        self.approve(app, "500000")
        self.assertEqual(app.approved_amount, Decimal("500000"))
        with self.assertRaisesMessage(ApplicationError, "任务书"):
            self.move(app, S.CONTRACTED, self.officer)
        today = timezone.localdate()
        self.contract(
            app,
            700,
            "样机1台，发明专利2项",
            [
                {"title": "样机", "due_on": today, "amount": "300000"},
                {
                    "title": "验收",
                    "due_on": today + timedelta(days=700),
                    "amount": "200000",
                },
            ],
        )
        self.move(app, S.CONTRACTED, self.officer)
        # 500,000 is not above the threshold: no mid-term check, straight to acceptance.
        with self.assertRaisesMessage(ApplicationError, "中期检查"):
            self.move(app, S.MIDTERM_PASSED, self.officer)
        first, second = app.disbursements.order_by("planned_on")
        with self.assertRaisesMessage(ApplicationError, "节点"):
            disbursement_pay(disbursement=first, by=self.officer)
        milestone_achieve(milestone=first.milestone, by=self.officer)
        disbursement_pay(disbursement=first, by=self.officer)
        with self.assertRaises(ApplicationError):
            disbursement_pay(disbursement=first, by=self.officer)  # never twice
        self.move(app, S.ACCEPTED, self.officer)
        with self.assertRaisesMessage(ApplicationError, "计划"):
            self.move(app, S.CLOSED, self.officer)
        disbursement_withhold(disbursement=second, by=self.officer, reason="结余收回")
        self.move(app, S.CLOSED, self.officer)
        self.assertEqual(
            list(
                Transition.objects.filter(application=app).values_list(
                    "to_state", flat=True
                )
            ),
            [
                "submitted",
                "under_review",
                "approved",
                "contracted",
                "accepted",
                "closed",
            ],
        )
        self.assertEqual(
            AuditEvent.objects.filter(
                action__startswith="application.", object_id=str(app.pk)
            ).count(),
            7,
        )

    def test_a_large_project_needs_its_mid_term_check(self) -> None:
        app = self.draft("900000")
        self.approve(app, "800000")
        today = timezone.localdate()
        self.contract(
            app, 365, "x", [{"title": "全部", "due_on": today, "amount": "800000"}]
        )
        self.move(app, S.CONTRACTED, self.officer)
        with self.assertRaisesMessage(ApplicationError, "中期检查"):
            self.move(app, S.ACCEPTED, self.officer)
        self.move(app, S.MIDTERM_PASSED, self.officer)
        self.move(app, S.FAILED_ACCEPTANCE, self.officer, comment="指标未完成")
        self.move(app, S.ACCEPTED, self.officer, comment="整改后通过")
        self.assertTrue(app.rectification_used)

    def test_one_rectification_only(self) -> None:
        app = self.draft()
        Application.objects.filter(pk=app.pk).update(
            state=S.FAILED_ACCEPTANCE, rectification_used=True
        )
        app.refresh_from_db()
        with self.assertRaisesMessage(ApplicationError, "整改"):
            self.move(app, S.ACCEPTED, self.officer)

    def test_return_resubmit_and_withdraw(self) -> None:
        app = self.draft()
        self.move(app, S.SUBMITTED, self.ent_user)
        with self.assertRaises(ValidationError):
            self.move(app, S.RETURNED, self.officer)  # a return needs a reason
        self.move(app, S.RETURNED, self.officer, comment="预算明细不全")
        self.move(app, S.SUBMITTED, self.ent_user)
        self.move(app, S.WITHDRAWN, self.ent_user, comment="暂不申报")
        self.assertEqual(allowed_transitions(user=self.ent_user, application=app), [])

    def test_formal_check_fail_and_head_reject(self) -> None:
        app = self.draft()
        self.move(app, S.SUBMITTED, self.ent_user)
        self.move(app, S.REJECTED, self.officer, comment="不符合申报条件")
        other = self.draft(by=self.outsider)
        self.move(other, S.SUBMITTED, self.outsider)
        self.move(other, S.UNDER_REVIEW, self.officer)
        with self.assertRaises(PermissionDenied):
            self.move(
                other, S.REJECTED, self.officer, comment="x"
            )  # staff cannot decide
        self.move(other, S.REJECTED, self.head, comment="评审排名靠后")

    def test_one_application_per_call_unless_withdrawn(self) -> None:
        first = self.draft()
        with self.assertRaises(ApplicationError) as ctx:
            self.draft()
        self.assertEqual(ctx.exception.code, "already_applied")
        self.move(first, S.WITHDRAWN, self.ent_user)
        self.assertEqual(self.draft().state, S.DRAFT)

    def test_refusals_change_nothing(self) -> None:
        app = self.draft()
        cases = [
            (S.APPROVED, self.head, ApplicationError),  # not from draft: 409
            (S.UNDER_REVIEW, self.officer, ApplicationError),  # not from draft
            (S.SUBMITTED, self.outsider, PermissionDenied),  # another enterprise
            (S.SUBMITTED, self.officer, PermissionDenied),  # staff cannot submit
            ("nonsense", self.ent_user, ValidationError),
        ]
        for to, user, error in cases:
            with self.subTest(to=to, role=user.role), self.assertRaises(error):
                self.move(app, to, user)
        app.refresh_from_db()
        self.assertEqual(app.state, S.DRAFT)
        self.assertFalse(Transition.objects.exists())

    def test_a_late_submission_is_refused_with_the_deadline(self) -> None:
        app = self.draft()
        self.call.closes_at = timezone.now() - timedelta(minutes=1)
        self.call.save(update_fields=["closes_at"])
        with self.assertRaises(ApplicationError) as ctx:
            self.move(app, S.SUBMITTED, self.ent_user)
        self.assertEqual(ctx.exception.code, "call_closed")
        deadline = timezone.localtime(self.call.closes_at).strftime("%Y-%m-%d %H:%M")
        self.assertIn(deadline, ctx.exception.message)

    def test_submission_needs_the_required_attachments(self) -> None:
        app = application_create(
            by=self.ent_user,
            call=self.call,
            title="t",
            summary="s",
            requested_amount=Decimal("1000"),
        )
        with self.assertRaisesMessage(ApplicationError, "项目申报书"):
            self.move(app, S.SUBMITTED, self.ent_user)

    def test_approval_needs_a_review_and_a_sane_amount(self) -> None:
        app = self.draft()
        self.move(app, S.SUBMITTED, self.ent_user)
        self.move(app, S.UNDER_REVIEW, self.officer)
        with self.assertRaisesMessage(ApplicationError, "评审"):
            self.move(app, S.APPROVED, self.head, approved_amount="1000")
        self.review(app)
        with self.assertRaises(ValidationError):
            self.move(app, S.APPROVED, self.head, approved_amount="999999")
        self.move(app, S.APPROVED, self.head, approved_amount="250000")
        self.move(app, S.TERMINATED, self.head, comment="企业主动终止")
        self.assertEqual(app.state, S.TERMINATED)

    def test_a_negative_or_zero_tranche_is_refused_by_the_service(self) -> None:
        """Issue 10 item 9: tranches of 40万 and −10万 added up to an
        approved 30万, so the service recorded a negative payment."""
        app = self.draft()
        self.approve(app, "300000")
        today = timezone.localdate()
        later = today + timedelta(days=300)
        for amounts in (("400000", "-100000"), ("300000", "0")):
            with self.subTest(amounts=amounts):
                with self.assertRaises(ValidationError) as raised:
                    self.contract(
                        app,
                        365,
                        "样机1台",
                        [
                            {"title": "样机", "due_on": today, "amount": amounts[0]},
                            {"title": "验收", "due_on": later, "amount": amounts[1]},
                        ],
                    )
                message = raised.exception.message_dict["milestones"][0]
                self.assertIn("验收", message)
                self.assertIn("大于零", message)
        self.assertFalse(hasattr(Application.objects.get(pk=app.pk), "contract"))

        # The API (whose amount field allows 0) answers the same as a 400.
        self.client.force_login(self.officer)
        response = self.post_json(
            f"/api/v1/applications/{app.pk}/contract/",
            {
                "start_on": today.isoformat(),
                "end_on": later.isoformat(),
                "deliverables": "样机1台",
                "milestones": [
                    {"title": "样机", "due_on": today.isoformat(), "amount": "300000"},
                    {"title": "验收", "due_on": later.isoformat(), "amount": "0"},
                ],
            },
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("milestones", response.json()["errors"])

        self.contract(
            app,
            365,
            "样机1台",
            [
                {"title": "样机", "due_on": today, "amount": "200000"},
                {"title": "验收", "due_on": later, "amount": "100000"},
            ],
        )
        self.assertEqual(
            sorted(d.amount for d in app.disbursements.all()),
            [Decimal("100000"), Decimal("200000")],
        )
