"""The project pages: an enterprise applies and submits; staff move it on;
an expert declares and scores."""

from __future__ import annotations

import random
from unittest import mock

from bureau.models import Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from projects.models import Application, ReviewAssignment
from projects.tests.factories import make_call, make_expert, pdf


class ProjectPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)
        make_expert(cls.expert, "周教授")
        make_expert(UserFactory(role=Role.EXPERT), "吴教授")

    def test_the_journey_through_the_pages(self) -> None:
        self.client.force_login(self.ent_user)
        home = self.client.get("/projects/")
        self.assertContains(home, self.call.title)
        response = self.client.post(
            f"/projects/calls/{self.call.pk}/apply/",
            {
                "title": "工业视觉质检平台",
                "summary": "缺陷识别",
                "requested_amount": "20",  # 万元
                "field": "01",
                "budget-TOTAL_FORMS": "3",
                "budget-INITIAL_FORMS": "0",
                "budget-0-category": "equipment",
                "budget-0-amount": "12",
                "budget-0-note": "服务器",
                "budget-1-category": "labour",
                "budget-1-amount": "8",
                "team-TOTAL_FORMS": "1",
                "team-INITIAL_FORMS": "0",
                "team-0-name": "李工",
                "team-0-organisation": "云河智能",
                "team-0-role": "负责人",
            },
        )
        app = Application.objects.get()
        self.assertRedirects(response, f"/projects/applications/{app.pk}/")
        self.assertEqual(app.budget_lines.count(), 2)
        self.client.post(
            f"/projects/applications/{app.pk}/attach/",
            {"kind": "项目申报书", "file": pdf("申报书.pdf")},
        )
        page = self.client.get(f"/projects/applications/{app.pk}/")
        self.assertContains(page, "提交申报")
        self.client.post(
            f"/projects/applications/{app.pk}/transition/", {"to": "submitted"}
        )
        app.refresh_from_db()
        self.assertEqual(app.state, "submitted")
        self.assertContains(self.client.get("/projects/"), "等待形式审查")

        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get("/projects/"), "工业视觉质检平台"
        )  # my queue
        self.client.post(
            f"/projects/applications/{app.pk}/transition/", {"to": "under_review"}
        )
        with mock.patch("random.SystemRandom", lambda: random.Random(0)):
            self.client.post(f"/projects/applications/{app.pk}/draw/")
        self.assertEqual(ReviewAssignment.objects.filter(application=app).count(), 2)

        self.client.force_login(self.expert)
        assignment = ReviewAssignment.objects.get(
            application=app, expert__user=self.expert
        )
        page = self.client.get(f"/projects/reviews/{assignment.pk}/")
        self.assertContains(page, "无利益冲突")
        self.assertNotContains(page, "申报书.pdf")  # no files before declaring
        self.client.post(f"/projects/reviews/{assignment.pk}/", {"declare": "none"})
        page = self.client.get(f"/projects/reviews/{assignment.pk}/")
        self.assertContains(page, "申报书.pdf")
        criteria = list(self.call.criteria.all())
        self.client.post(
            f"/projects/reviews/{assignment.pk}/",
            {
                f"score_{criteria[0].pk}": "80",
                f"score_{criteria[1].pk}": "40",
                "opinion": "创新性较好",
            },
        )
        assignment.refresh_from_db()
        self.assertEqual(str(assignment.weighted_score), "80.00")

        self.client.force_login(self.head)
        # Sealed until the panel closes: neither the panel table, nor the
        # ranking, nor the application's reviewers show the score.
        self.client.get("/projects/")  # the expert's flash "…80.00分" is shown
        for url in (
            f"/projects/calls/{self.call.pk}/",
            f"/projects/applications/{app.pk}/",
        ):
            page = self.client.get(url)
            self.assertNotContains(page, "80.00")
            self.assertContains(page, "密封中")
        page = self.client.get(f"/projects/calls/{self.call.pk}/")
        self.assertContains(page, 'data-ranking-state="sealed"')
        self.client.post(
            f"/projects/calls/{self.call.pk}/close-panel/",
            {"force": "1", "reason": "评审意见已齐", "confirmed": "1"},
        )
        page = self.client.get(f"/projects/applications/{app.pk}/")
        self.assertContains(page, "80.00分")
        self.client.post(
            f"/projects/applications/{app.pk}/transition/",
            {
                "to": "approved",
                "approved_amount": "15",  # 万元
                "comment": "同意",
                "confirmed": "1",
            },
        )
        app.refresh_from_db()
        self.assertEqual(
            (app.state, str(app.approved_amount)), ("approved", "150000.00")
        )
        ranking = self.client.get(f"/projects/calls/{self.call.pk}/")
        self.assertContains(ranking, "80.00")

    def test_a_refused_move_shows_the_reason_and_changes_nothing(self) -> None:
        self.client.force_login(self.ent_user)
        self.client.post(
            f"/projects/calls/{self.call.pk}/apply/",
            {"title": "t", "summary": "s", "requested_amount": "1000"},
        )
        app = Application.objects.get()
        response = self.client.post(
            f"/projects/applications/{app.pk}/transition/",
            {"to": "submitted"},
            follow=True,
        )
        self.assertContains(response, "缺少必须上传的附件：项目申报书")
        app.refresh_from_db()
        self.assertEqual(app.state, "draft")

    def test_pages_are_scoped(self) -> None:
        self.client.force_login(self.ent_user)
        self.client.post(
            f"/projects/calls/{self.call.pk}/apply/",
            {"title": "t", "summary": "s", "requested_amount": "1000"},
        )
        app = Application.objects.get()
        self.client.force_login(self.outsider)
        self.assertEqual(
            self.client.get(f"/projects/applications/{app.pk}/").status_code, 404
        )
        self.client.force_login(self.expert)
        self.assertEqual(
            self.client.get(f"/projects/applications/{app.pk}/").status_code, 404
        )
        self.assertEqual(self.client.get("/projects/ledger/").status_code, 403)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get("/projects/ledger/").status_code, 200)
        self.assertEqual(self.client.get("/projects/calls/new/").status_code, 403)
