"""Each page action has its own URL and view; checks run 404 → 403 → 409."""

from __future__ import annotations

from bureau.tests.base import CastTestCase
from projects.models import Application, Transition
from projects.tests.factories import make_application, make_call


class ActionRouteTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)
        cls.app = make_application(cls.call, cls.ent_user)

    def test_an_unknown_application_action_is_a_404(self) -> None:
        for user in (self.ent_user, self.officer):
            self.client.force_login(user)
            for action in ("fly", "delete", "approve"):
                with self.subTest(user=user.username, action=action):
                    response = self.client.post(
                        f"/projects/applications/{self.app.pk}/{action}/"
                    )
                    self.assertEqual(response.status_code, 404)

    def test_an_unknown_call_action_is_a_404(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(f"/projects/calls/{self.call.pk}/archive/")
        self.assertEqual(response.status_code, 404)

    def test_the_known_actions_keep_their_paths(self) -> None:
        self.client.force_login(self.officer)
        for action in ("transition", "attach", "edit", "draw", "contract"):
            with self.subTest(action=action):
                response = self.client.get(
                    f"/projects/applications/{self.app.pk}/{action}/"
                )
                self.assertEqual(response.status_code, 405)  # POST only
        for action in ("publish", "close-panel"):
            with self.subTest(action=action):
                response = self.client.get(f"/projects/calls/{self.call.pk}/{action}/")
                self.assertEqual(response.status_code, 405)

    def test_staff_actions_refuse_the_enterprise_with_a_403(self) -> None:
        self.client.force_login(self.ent_user)
        for action in ("draw", "contract"):
            with self.subTest(action=action):
                response = self.client.post(
                    f"/projects/applications/{self.app.pk}/{action}/"
                )
                self.assertEqual(response.status_code, 403)
        self.client.force_login(self.outsider)
        response = self.client.post(f"/projects/applications/{self.app.pk}/draw/")
        self.assertEqual(response.status_code, 404)


class ApproveOwnApplicationTests(CastTestCase):
    """An enterprise may never approve: asking to approve its own submitted
    application is a 403 (role), not a 409 (state)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.app = make_application(make_call(cls.officer), cls.ent_user)

    def assert_unchanged(self) -> None:
        self.app.refresh_from_db()
        self.assertEqual(self.app.state, Application.State.SUBMITTED)
        self.assertFalse(Transition.objects.exists())

    def test_through_the_api_it_is_a_403(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(
            f"/api/v1/applications/{self.app.pk}/transition/",
            {"to": "approved", "approved_amount": "100000"},
        )
        self.assertEqual(response.status_code, 403, response.content)
        self.assert_unchanged()

    def test_through_the_page_it_is_a_403(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/projects/applications/{self.app.pk}/transition/",
            {"to": "approved", "approved_amount": "100000"},
        )
        self.assertEqual(response.status_code, 403)
        self.assert_unchanged()

    def test_the_state_still_decides_for_a_role_that_may_approve(self) -> None:
        self.client.force_login(self.head)
        response = self.post_json(
            f"/api/v1/applications/{self.app.pk}/transition/",
            {"to": "approved", "approved_amount": "100000"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")
        self.assert_unchanged()
