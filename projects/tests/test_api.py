"""The projects API end to end, with its refusals and scoping."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from bureau.models import Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from projects.models import Application, Transition
from projects.tests.factories import make_call, make_expert, pdf


class ProjectApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)
        cls.expert_users = [cls.expert] + [
            UserFactory(role=Role.EXPERT, username=f"exp{i}") for i in range(2)
        ]
        for i, user in enumerate(cls.expert_users):
            make_expert(user, f"评审专家{i}")

    def post(self, url, body=None):  # type: ignore[no-untyped-def]
        return self.post_json(url, body or {})

    def create_application(self) -> int:
        self.client.force_login(self.ent_user)
        response = self.post(
            "/api/v1/applications/",
            {
                "call": self.call.pk,
                "title": "智能仓储机器人",
                "summary": "自主导航",
                "requested_amount": "400000",
                "field": "电子信息",
                "budget_lines": [
                    {"category": "equipment", "amount": "250000"},
                    {"category": "labour", "amount": "150000"},
                ],
                "team_members": [{"name": "陈工", "role": "负责人"}],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["state"], "draft")
        self.assertEqual(body["allowed_transitions"], ["submitted", "withdrawn"])
        upload = self.client.post(
            f"/api/v1/applications/{body['id']}/attachments/",
            {"kind": "项目申报书", "file": pdf("申报书.pdf")},
        )
        self.assertEqual(upload.status_code, 201, upload.content)
        return body["id"]

    def transition(self, pk, to, **extra):  # type: ignore[no-untyped-def]
        return self.post(f"/api/v1/applications/{pk}/transition/", {"to": to, **extra})

    def test_from_open_call_to_accepted_and_paid_project(self) -> None:
        pk = self.create_application()
        self.assertEqual(self.transition(pk, "submitted").json()["state"], "submitted")
        self.client.force_login(self.officer)
        self.assertEqual(
            self.transition(pk, "under_review").json()["state"], "under_review"
        )
        with mock.patch("random.SystemRandom", lambda: random.Random(3)):
            drawn = self.post(f"/api/v1/applications/{pk}/reviewers/")
        self.assertEqual(drawn.status_code, 201, drawn.content)
        criteria = self.call.criteria.all()
        for user in self.expert_users:
            self.client.force_login(user)
            reviews = self.client.get("/api/v1/reviews/").json()["results"]
            if not reviews:
                continue
            review = reviews[0]
            self.assertIsNone(review["others"])  # sealed
            self.post(f"/api/v1/reviews/{review['id']}/declare/", {"conflict": False})
            submitted = self.post(
                f"/api/v1/reviews/{review['id']}/submit/",
                {"scores": {str(criteria[0].pk): 90, str(criteria[1].pk): 45}},
            )
            self.assertEqual(submitted.json()["weighted_score"], "90.00")
        self.client.force_login(self.head)
        ranking = self.client.get(f"/api/v1/calls/{self.call.pk}/ranking/").json()
        # Sealed while the panel is open: no rank, no average.
        self.assertTrue(ranking["sealed"])
        self.assertGreaterEqual(ranking["results"][0]["reviews"], 1)
        self.assertIsNone(ranking["results"][0]["rank"])
        self.assertIsNone(ranking["results"][0]["average"])
        self.assertNotIn("90.00", json.dumps(ranking))
        closed = self.post(
            f"/api/v1/calls/{self.call.pk}/close-panel/",
            {"force": True, "reason": "评审意见已齐，提前结束评审"},
        )
        self.assertEqual(closed.status_code, 200, closed.content)
        ranking = self.client.get(f"/api/v1/calls/{self.call.pk}/ranking/").json()
        self.assertFalse(ranking["sealed"])
        self.assertEqual(ranking["results"][0]["rank"], 1)
        self.assertEqual(ranking["results"][0]["average"], "90.00")
        approved = self.transition(
            pk, "approved", approved_amount="400000", comment="同意立项"
        )
        self.assertEqual(approved.json()["approved_amount"], "400000.00")
        self.client.force_login(self.officer)
        today = timezone.localdate()
        contract = self.post(
            f"/api/v1/applications/{pk}/contract/",
            {
                "start_on": str(today),
                "end_on": str(today + timedelta(days=365)),
                "deliverables": "样机1台",
                "milestones": [
                    {"title": "首期", "due_on": str(today), "amount": "400000"}
                ],
            },
        )
        self.assertEqual(contract.status_code, 201, contract.content)
        self.assertEqual(
            self.transition(pk, "contracted").json()["state"], "contracted"
        )
        milestone = contract.json()["milestones"][0]["id"]
        self.post(f"/api/v1/milestones/{milestone}/achieve/")
        app = Application.objects.get(pk=pk)
        tranche = app.disbursements.get()
        paid = self.post(f"/api/v1/disbursements/{tranche.pk}/", {"action": "pay"})
        self.assertEqual(paid.json()["status"], "paid")
        self.assertEqual(self.transition(pk, "accepted").json()["state"], "accepted")
        self.assertEqual(self.transition(pk, "closed").json()["state"], "closed")
        ledger = self.client.get(f"/api/v1/ledger/?call={self.call.pk}").json()[
            "results"
        ][0]
        self.assertEqual(
            (ledger["approved"], ledger["paid"]), ("400000.00", "400000.00")
        )

    def test_forbidden_moves_are_refused_with_the_right_status_and_change_nothing(
        self,
    ) -> None:
        pk = self.create_application()
        cases = [
            (self.ent_user, "approved", 403),  # the role may never approve
            (self.ent_user, "closed", 403),
            (self.officer, "under_review", 409),  # staff's move, not from draft
            (self.officer, "accepted", 409),
            (self.officer, "submitted", 403),  # right state, wrong role
            (self.head, "withdrawn", 403),
            (self.outsider, "submitted", 404),  # not theirs at all
            (self.expert, "submitted", 404),
            (self.ent_user, "flying", 400),
        ]
        for user, to, code in cases:
            with self.subTest(role=user.role, to=to):
                self.client.force_login(user)
                response = self.transition(pk, to)
                self.assertEqual(response.status_code, code, response.content)
                self.assertIn("code", response.json())
        self.assertEqual(Application.objects.get(pk=pk).state, "draft")
        self.assertFalse(Transition.objects.exists())
        self.client.force_login(self.officer)
        conflict = self.post_json(
            f"/api/v1/applications/{pk}/transition/", {"to": "accepted"}
        )
        self.assertEqual(conflict.json()["code"], "invalid_transition")

    def test_a_late_submission_is_a_409_with_the_deadline(self) -> None:
        pk = self.create_application()
        self.call.closes_at = timezone.now() - timedelta(seconds=1)
        self.call.save(update_fields=["closes_at"])
        response = self.transition(pk, "submitted")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "call_closed")
        self.assertIn("deadline", response.json())
        self.assertIn("截止", response.json()["detail"])

    def test_experts_see_only_their_open_assignments(self) -> None:
        pk = self.create_application()
        self.transition(pk, "submitted")
        self.client.force_login(self.expert)
        self.assertEqual(
            self.client.get(f"/api/v1/applications/{pk}/").status_code, 404
        )
        self.assertEqual(self.client.get("/api/v1/applications/").json()["count"], 0)
        self.client.force_login(self.officer)
        self.transition(pk, "under_review")
        with mock.patch("random.SystemRandom", lambda: random.Random(1)):
            self.post(f"/api/v1/applications/{pk}/reviewers/")
        app = Application.objects.get(pk=pk)
        assigned = {a.expert.user for a in app.assignments.all()}
        outsider = next(u for u in self.expert_users if u not in assigned)
        insider = next(iter(assigned))
        self.client.force_login(outsider)
        self.assertEqual(
            self.client.get(f"/api/v1/applications/{pk}/").status_code, 404
        )
        self.client.force_login(insider)
        self.assertEqual(
            self.client.get(f"/api/v1/applications/{pk}/").status_code, 200
        )
        attachment = app.attachments.get()
        # Files only after declaring no conflict.
        self.assertEqual(
            self.client.get(f"/api/v1/attachments/{attachment.pk}/").status_code, 403
        )
        review = app.assignments.get(expert__user=insider)
        self.post(f"/api/v1/reviews/{review.pk}/declare/", {"conflict": False})
        self.assertEqual(
            self.client.get(f"/api/v1/attachments/{attachment.pk}/").status_code, 200
        )
        # Closed panel: the expert no longer sees it.
        self.call.panel_closed_at = timezone.now()
        self.call.save(update_fields=["panel_closed_at"])
        self.assertEqual(
            self.client.get(f"/api/v1/applications/{pk}/").status_code, 404
        )

    def test_an_enterprise_not_on_the_required_tier_is_told_before_it_starts(
        self,
    ) -> None:
        from enterprises.models import Tier

        self.call.eligible_tiers.set([Tier.objects.get(code="hnte")])
        self.client.force_login(self.ent_user)
        check = self.client.get(f"/api/v1/calls/{self.call.pk}/eligibility/").json()
        self.assertIs(check["eligible"], False)
        self.assertIn("国家高新技术企业", check["reasons"][0])
        response = self.post(
            "/api/v1/applications/",
            {
                "call": self.call.pk,
                "title": "x",
                "summary": "y",
                "requested_amount": "1",
            },
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "not_eligible")

    def test_a_renamed_executable_is_refused(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        pk = self.create_application()
        fake = SimpleUploadedFile("申报书.pdf", b"MZ\x90\x00" + b"\x00" * 64)
        response = self.client.post(
            f"/api/v1/applications/{pk}/attachments/",
            {"kind": "项目申报书", "file": fake},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json()["errors"])

    def test_the_list_has_a_constant_number_of_queries(self) -> None:
        self.create_application()
        self.client.force_login(self.officer)
        # session, user, count, page (call, programme, enterprise joined)
        with self.assertNumQueries(4):
            self.client.get("/api/v1/applications/")

        for i in range(15):
            Application.objects.create(
                call=self.call,
                enterprise=self.enterprise_b,
                title=f"项目{i}",
                summary="s",
                requested_amount=1000,
                created_by=self.outsider,
            )
        with self.assertNumQueries(4):
            response = self.client.get("/api/v1/applications/?page_size=200")
        self.assertEqual(response.json()["count"], 16)

    def test_calls_list_by_status_and_drafts_stay_private(self) -> None:
        make_call(self.officer, published=False, title="未发布的通知")
        self.client.force_login(self.ent_user)
        titles = [
            c["title"] for c in self.client.get("/api/v1/calls/").json()["results"]
        ]
        self.assertNotIn("未发布的通知", titles)
        self.client.force_login(self.officer)
        drafts = self.client.get("/api/v1/calls/?status=draft").json()["results"]
        self.assertEqual([c["title"] for c in drafts], ["未发布的通知"])
        opened = self.client.get("/api/v1/calls/?status=open").json()["results"]
        self.assertEqual([c["status"] for c in opened], ["open"])
