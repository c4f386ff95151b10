"""Review panels that cannot strand an application (issue 9 item 3): closing
warns and names the applications missing a review, and is refused while the
call is open unless forced with a reason; a declined or overdue review goes
to a replacement expert; a section head re-opens a panel with a reason; and
approval waits for the panel to close. Also the expert's read-only page once
scored (issue 13 item 7)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, Notification, Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from projects.models import (
    Application,
    Call,
    ExpertConflict,
    PanelEvent,
    ReviewAssignment,
)
from projects.services.review import (
    assignment_declare,
    assignment_replace,
    call_panel_close,
    review_submit,
)
from projects.services.workflow import application_transition
from projects.tests.factories import make_application, make_call, make_expert

S = Application.State


class PanelTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer, title="2026年度重点研发项目")
        cls.apps = [
            make_application(
                cls.call,
                cls.ent_user,
                title=f"项目{i}",
                state=S.UNDER_REVIEW,
                requested_amount=Decimal("300000"),
            )
            for i in range(4)
        ]
        cls.experts = [
            make_expert(UserFactory(role=Role.EXPERT, username=f"px{i}"), f"专家{i}")
            for i in range(5)
        ]
        criteria = list(cls.call.criteria.all())
        # Only the first application has both its reviews in.
        for expert in cls.experts[:2]:
            assignment = ReviewAssignment.objects.create(
                application=cls.apps[0], expert=expert
            )
            assignment_declare(assignment=assignment, by=expert.user, conflict=False)
            review_submit(
                assignment=assignment,
                by=expert.user,
                scores={criteria[0].pk: 80, criteria[1].pk: 40},
            )

    def close_page(self, **data: str):  # type: ignore[no-untyped-def]
        return self.client.post(f"/projects/calls/{self.call.pk}/close-panel/", data)

    def end_call(self) -> None:
        Call.objects.filter(pk=self.call.pk).update(
            closes_at=timezone.now() - timedelta(hours=1)
        )

    def assert_open(self) -> None:
        self.call.refresh_from_db()
        self.assertIsNone(self.call.panel_closed_at)

    # --- Closing --------------------------------------------------------------

    def test_closing_while_the_call_is_open_is_refused(self) -> None:
        self.client.force_login(self.officer)
        response = self.close_page()
        self.assertRedirects(
            response, f"/projects/calls/{self.call.pk}/", fetch_redirect_response=False
        )
        page = self.client.get(response.url)
        self.assertContains(page, "仍在受理申报")
        self.assert_open()
        api = self.post_json(f"/api/v1/calls/{self.call.pk}/close-panel/")
        self.assertEqual(api.status_code, 409, api.content)
        self.assertEqual(api.json()["code"], "call_still_open")
        self.assert_open()

    def test_forcing_needs_a_reason(self) -> None:
        self.client.force_login(self.officer)
        api = self.post_json(
            f"/api/v1/calls/{self.call.pk}/close-panel/", {"force": True}
        )
        self.assertEqual(api.status_code, 400, api.content)
        self.assertIn("reason", api.json()["errors"])
        self.close_page(force="1", reason=" ", confirmed="1")
        self.assert_open()

    def test_forced_close_with_a_reason_is_recorded_and_audited(self) -> None:
        self.client.force_login(self.head)
        api = self.post_json(
            f"/api/v1/calls/{self.call.pk}/close-panel/",
            {"force": True, "reason": "上级要求提前出结果"},
        )
        self.assertEqual(api.status_code, 200, api.content)
        self.assertEqual(
            [m["title"] for m in api.json()["missing_reviews"]],
            ["项目1", "项目2", "项目3"],
        )
        event = PanelEvent.objects.get(call=self.call)
        self.assertEqual(event.kind, PanelEvent.Kind.FORCED_CLOSE)
        self.assertEqual(event.reason, "上级要求提前出结果")
        self.assertEqual(event.missing_reviews, ["项目1", "项目2", "项目3"])
        audit = AuditEvent.objects.get(action="call.close_panel")
        self.assertEqual(audit.message, "上级要求提前出结果")

    def test_closing_takes_two_steps_and_names_the_missing_reviews(self) -> None:
        self.end_call()
        self.client.force_login(self.officer)
        first = self.close_page()
        self.assertEqual(first.status_code, 200)
        self.assertContains(first, "请确认")
        for title in ("项目1", "项目2", "项目3"):
            self.assertContains(first, title)
        self.assertContains(first, "3项申报仍缺少评审意见")
        self.assert_open()
        done = self.close_page(confirmed="1")
        self.assertRedirects(
            done, f"/projects/calls/{self.call.pk}/", fetch_redirect_response=False
        )
        page = self.client.get(done.url)
        self.assertContains(
            page, "已结束《2026年度重点研发项目》的评审，3项申报缺少评审意见"
        )
        self.call.refresh_from_db()
        self.assertIsNotNone(self.call.panel_closed_at)
        self.assertEqual(
            PanelEvent.objects.get(call=self.call).kind, PanelEvent.Kind.CLOSE
        )

    def test_closing_is_for_staff_and_section_heads(self) -> None:
        self.end_call()
        # A published call is a notice everyone may read: the role refuses.
        for user, status in (
            (self.leader, 403),
            (self.expert, 403),
            (self.ent_user, 403),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.close_page(confirmed="1").status_code, status)
                api = self.post_json(f"/api/v1/calls/{self.call.pk}/close-panel/")
                self.assertEqual(api.status_code, status)
        self.assert_open()

    # --- Re-opening -----------------------------------------------------------

    def test_a_section_head_reopens_with_a_reason(self) -> None:
        waiting = ReviewAssignment.objects.create(
            application=self.apps[1], expert=self.experts[3]
        )
        self.end_call()
        call_panel_close(call=self.call, by=self.officer)
        url = f"/projects/calls/{self.call.pk}/reopen-panel/"
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, 403)
        self.client.force_login(self.head)
        self.client.post(url, {"reason": ""})
        self.call.refresh_from_db()
        self.assertIsNotNone(self.call.panel_closed_at)
        response = self.client.post(url, {"reason": "两项申报缺少评审意见，补充评审"})
        page = self.client.get(response.url)
        self.assertContains(page, "已重新开启《2026年度重点研发项目》的评审")
        self.assert_open()
        event = PanelEvent.objects.filter(call=self.call).first()
        assert event is not None
        self.assertEqual(
            (event.kind, event.reason),
            (PanelEvent.Kind.REOPEN, "两项申报缺少评审意见，补充评审"),
        )
        self.assertTrue(
            AuditEvent.objects.filter(
                action="call.reopen_panel", message="两项申报缺少评审意见，补充评审"
            ).exists()
        )
        # The expert whose review is still to be done is told.
        note = Notification.objects.get(recipient=self.experts[3].user)
        self.assertIn("项目1", note.subject)
        self.assertEqual(note.url, f"/projects/reviews/{waiting.pk}/")
        self.assertFalse(
            Notification.objects.filter(recipient=self.experts[0].user).exists()
        )
        api = self.post_json(
            f"/api/v1/calls/{self.call.pk}/reopen-panel/", {"reason": "再次"}
        )
        self.assertEqual(api.status_code, 409)  # it is open

    # --- Replacing a reviewer -------------------------------------------------

    def test_a_declined_review_goes_to_another_eligible_expert(self) -> None:
        app = self.apps[1]
        declined = ReviewAssignment.objects.create(
            application=app, expert=self.experts[2]
        )
        assignment_declare(
            assignment=declined, by=self.experts[2].user, conflict=True, reason="亲属"
        )
        # Expert 3 has a declared relation with the applicant: never drawn.
        ExpertConflict.objects.create(
            expert=self.experts[3], enterprise=app.enterprise, reason="合作关系"
        )
        self.client.force_login(self.officer)
        page = self.client.get(f"/projects/calls/{self.call.pk}/")
        self.assertContains(page, "改派专家")
        response = self.client.post(f"/projects/reviews/{declined.pk}/replace/")
        self.assertRedirects(
            response, f"/projects/calls/{self.call.pk}/", fetch_redirect_response=False
        )
        replacement = ReviewAssignment.objects.get(
            application=app, replaced_at__isnull=True
        )
        # Experts 0 and 1 are free of conflicts too; 2 declined, 3 conflicts.
        self.assertIn(replacement.expert, [self.experts[i] for i in (0, 1, 4)])
        declined.refresh_from_db()
        self.assertIsNotNone(declined.replaced_at)
        page = self.client.get(response.url)
        self.assertContains(page, f"已抽取{replacement.expert.name}评审《项目1》")
        self.assertTrue(AuditEvent.objects.filter(action="review.replace").exists())
        again = self.post_json(f"/api/v1/reviews/{declined.pk}/replace/")
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["code"], "already_replaced")

    def test_an_overdue_review_is_replaced_and_its_expert_loses_it(self) -> None:
        app = self.apps[2]
        late = ReviewAssignment.objects.create(application=app, expert=self.experts[4])
        self.client.force_login(self.officer)
        early = self.post_json(f"/api/v1/reviews/{late.pk}/replace/")
        self.assertEqual(early.status_code, 409)  # not overdue yet
        self.assertEqual(early.json()["code"], "not_replaceable")
        ReviewAssignment.objects.filter(pk=late.pk).update(
            assigned_at=timezone.now() - timedelta(days=15)
        )
        response = self.post_json(f"/api/v1/reviews/{late.pk}/replace/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotEqual(response.json()["expert"], "专家4")
        self.client.force_login(self.experts[4].user)
        self.assertEqual(
            self.client.get(f"/projects/reviews/{late.pk}/").status_code, 404
        )

    def test_replacing_is_for_staff(self) -> None:
        declined = ReviewAssignment.objects.create(
            application=self.apps[3], expert=self.experts[2], declined_reason="亲属"
        )
        for user, status in ((self.leader, 403), (self.ent_user, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.post(f"/projects/reviews/{declined.pk}/replace/")
                self.assertEqual(page.status_code, status)
                api = self.post_json(f"/api/v1/reviews/{declined.pk}/replace/")
                self.assertEqual(api.status_code, status)

    def test_no_eligible_expert_left_is_a_409(self) -> None:
        declined = ReviewAssignment.objects.create(
            application=self.apps[3], expert=self.experts[2], declined_reason="亲属"
        )
        for expert in self.experts:
            ExpertConflict.objects.get_or_create(
                expert=expert, enterprise=self.ent_user.enterprise, reason="任职"
            )
        with self.assertRaises(ApplicationError) as raised:
            assignment_replace(
                assignment=declined, by=self.officer, rng=random.Random(1)
            )
        self.assertEqual(raised.exception.code, "not_enough_experts")

    # --- Sealed scores ----------------------------------------------------------

    def test_scores_stay_sealed_until_the_panel_closes(self) -> None:
        """DESIGN: "sealed scores until the panel closes". 项目0 has two
        scores of 80.00 in; while the panel is open no page or API of the
        bureau shows them, the ranking included (journeys finding)."""
        call_page = f"/projects/calls/{self.call.pk}/"
        app_page = f"/projects/applications/{self.apps[0].pk}/"
        api = f"/api/v1/calls/{self.call.pk}/ranking/"
        for user in (self.officer, self.head, self.leader):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(call_page)
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, "80.00")
                self.assertContains(page, 'data-ranking-state="sealed"')
                self.assertContains(page, "评审结束前，评分和排名处于密封状态")
                # Two in the panel table, one in the ranking.
                self.assertContains(page, "密封中", count=3)
                page = self.client.get(app_page)
                self.assertNotContains(page, "80.00")
                self.assertContains(page, "密封中", count=2)
                ranking = self.client.get(api).json()
                self.assertTrue(ranking["sealed"])
                self.assertNotIn("80.00", str(ranking))
                self.assertEqual(
                    [(r["rank"], r["average"]) for r in ranking["results"]],
                    [(None, None)] * 4,
                )
                # Not even the order tells: the applications in filing order.
                self.assertEqual(
                    [r["application"] for r in ranking["results"]],
                    [a.pk for a in self.apps],
                )
                self.assertEqual(
                    [r["reviews"] for r in ranking["results"]], [2, 0, 0, 0]
                )
        self.end_call()
        call_panel_close(call=self.call, by=self.officer)
        self.client.force_login(self.head)
        page = self.client.get(call_page)
        self.assertContains(page, 'data-ranking-state="unsealed"')
        self.assertNotContains(page, "密封中")
        self.assertContains(page, '<td class="num">80.00</td>', count=3)
        self.assertContains(self.client.get(app_page), "80.00分", count=2)
        ranking = self.client.get(api).json()
        self.assertFalse(ranking["sealed"])
        self.assertEqual(
            (ranking["results"][0]["rank"], ranking["results"][0]["average"]),
            (1, "80.00"),
        )

    def test_the_close_confirmation_button_is_in_the_danger_style(self) -> None:
        """Closing cannot be undone, so its 确认 button is red like the other
        irreversible confirmations. The page gave it class="danger", but only
        filings.css styled that class, so it showed as a plain button: the
        site-wide stylesheet (which every page loads) now styles it."""
        self.end_call()
        self.client.force_login(self.officer)
        page = self.close_page()
        self.assertContains(page, "请确认")
        self.assertContains(page, 'class="danger">确认结束评审</button>')
        self.assertContains(page, "/static/css/app.css")
        css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
        self.assertRegex(
            css, r"(?m)^button\.danger[^{]*\{[^}]*background: var\(--bad\)"
        )

    # --- Approval ---------------------------------------------------------------

    def test_approval_needs_the_panel_closed(self) -> None:
        app = self.apps[0]
        with self.assertRaises(ApplicationError) as raised:
            application_transition(
                application=app, to=S.APPROVED, by=self.head, approved_amount="1000"
            )
        self.assertEqual(raised.exception.code, "panel_open")
        with override_settings(APPROVAL_REQUIRES_CLOSED_PANEL=False):
            application_transition(
                application=app, to=S.APPROVED, by=self.head, approved_amount="1000"
            )
        self.assertEqual(app.state, S.APPROVED)

    def review_one_of_two(self, app: Application) -> None:
        """One of the two reviews the call requires is in."""
        expert = self.experts[2]
        assignment = ReviewAssignment.objects.create(application=app, expert=expert)
        assignment_declare(assignment=assignment, by=expert.user, conflict=False)
        criteria = list(self.call.criteria.all())
        review_submit(
            assignment=assignment,
            by=expert.user,
            scores={criteria[0].pk: 70, criteria[1].pk: 30},
        )

    @override_settings(APPROVAL_REQUIRES_CLOSED_PANEL=False)
    def test_an_open_panel_with_reviews_missing_refuses_the_decision(self) -> None:
        """Issue 10 item 9: with decisions allowed on an open panel, a head
        could approve on one review of the two the call requires."""
        app = self.apps[1]
        self.review_one_of_two(app)
        self.assertEqual(self.call.reviewers_per_application, 2)
        with self.assertRaises(ApplicationError) as raised:
            application_transition(
                application=app, to=S.APPROVED, by=self.head, approved_amount="1000"
            )
        self.assertEqual(raised.exception.code, "reviews_missing")
        self.assertEqual(raised.exception.extra, {"reviews_in": 1, "needed": 2})
        self.assertIn("专家评审尚未结束", str(raised.exception))
        app.refresh_from_db()
        self.assertEqual(app.state, S.UNDER_REVIEW)

        # The API says the same with a 409 in Chinese.
        self.client.force_login(self.head)
        response = self.post_json(
            f"/api/v1/applications/{app.pk}/transition/",
            {"to": "approved", "approved_amount": "1000"},
        )
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "reviews_missing")
        self.assertIn("已提交1份", response.json()["detail"])

        # With every review in, the open panel no longer stands in the way.
        application_transition(
            application=self.apps[0],
            to=S.APPROVED,
            by=self.head,
            approved_amount="1000",
        )
        self.assertEqual(self.apps[0].state, S.APPROVED)

    def test_a_closed_panel_lets_the_decision_go_ahead_on_the_reviews_in(
        self,
    ) -> None:
        app = self.apps[1]
        self.review_one_of_two(app)
        self.end_call()
        call_panel_close(call=self.call, by=self.officer)
        app = Application.objects.get(pk=app.pk)
        application_transition(
            application=app, to=S.APPROVED, by=self.head, approved_amount="1000"
        )
        self.assertEqual(app.state, S.APPROVED)

    def test_approval_goes_ahead_once_closed(self) -> None:
        self.end_call()
        call_panel_close(call=self.call, by=self.officer)
        app = Application.objects.get(pk=self.apps[0].pk)
        application_transition(
            application=app, to=S.APPROVED, by=self.head, approved_amount="1000"
        )
        self.assertEqual(app.state, S.APPROVED)


class ScoredReviewPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        call = make_call(cls.officer)
        app = make_application(call, cls.ent_user, state=S.UNDER_REVIEW)
        cls.assignment = ReviewAssignment.objects.create(
            application=app, expert=make_expert(cls.expert, "周教授")
        )
        cls.criteria = list(call.criteria.all())

    def test_after_scoring_the_page_is_read_only(self) -> None:
        self.client.force_login(self.expert)
        url = f"/projects/reviews/{self.assignment.pk}/"
        self.client.post(url, {"declare": "none"})
        page = self.client.get(url)
        self.assertContains(page, 'name="score_')
        response = self.client.post(
            url,
            {
                f"score_{self.criteria[0].pk}": "80",
                f"score_{self.criteria[1].pk}": "40",
                "opinion": "技术路线可行",
            },
        )
        page = self.client.get(response.url)
        self.assertContains(page, "提交评分，评分不可再修改")
        self.assertNotContains(page, 'name="score_')
        self.assertNotContains(page, "提交评分</button>")
        html = page.content.decode()
        self.assertIn("技术创新性", html)
        self.assertIn(">80<", html)
        self.assertIn(">40<", html)
        self.assertIn("data-weighted-score>80.00<", html)
        self.assertIn("技术路线可行", html)
        submitted = timezone.localtime(ReviewAssignment.objects.get().submitted_at)
        self.assertIn(submitted.strftime("%Y-%m-%d"), html)
        # A second submission is refused.
        again = self.client.post(url, {f"score_{self.criteria[0].pk}": "10"})
        self.assertContains(self.client.get(again.url), "已提交")
        self.assertEqual(str(ReviewAssignment.objects.get().weighted_score), "80.00")
