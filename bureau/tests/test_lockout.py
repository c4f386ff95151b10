from __future__ import annotations

from datetime import timedelta

import time_machine
from django.http import HttpResponse
from django.utils import timezone

from bureau.models import AuditEvent, LoginThrottle
from bureau.tests.base import CastTestCase

WRONG = "Wrong#Password99"


class LoginLockoutTests(CastTestCase):
    def page_login(self, username: str, password: str) -> HttpResponse:
        return self.client.post("/login/", {"username": username, "password": password})

    def fail_on_the_page(self, times: int, username: str = "officer") -> None:
        for _ in range(times):
            self.page_login(username, WRONG)

    def test_it_gives_the_same_answer_for_unknown_user_and_wrong_password(self) -> None:
        wrong = self.page_login("officer", WRONG)
        unknown = self.page_login("nobody-here", WRONG)
        self.assertContains(wrong, "用户名或密码错误")
        self.assertContains(unknown, "用户名或密码错误")
        self.assertEqual(wrong.status_code, unknown.status_code)
        api_wrong, api_unknown = (
            self.token_login("officer", WRONG),
            self.token_login("nobody-here", WRONG),
        )
        self.assertEqual(api_wrong.status_code, 401)
        self.assertEqual(api_wrong.json(), api_unknown.json())

    def test_it_locks_after_five_failures_even_for_the_right_password(self) -> None:
        self.fail_on_the_page(4)
        self.assertFalse(LoginThrottle.objects.get(username="officer").is_locked())
        self.page_login("officer", WRONG)
        response = self.page_login("officer", self.password)
        self.assertContains(response, "账户已被锁定")
        self.assertNotIn("_auth_user_id", self.client.session)
        api = self.token_login("officer")
        self.assertEqual(api.status_code, 403)
        self.assertEqual(api.json()["code"], "account_locked")
        self.assertTrue(AuditEvent.objects.filter(action="login.locked").exists())

    def test_page_and_token_failures_share_one_counter(self) -> None:
        for _ in range(3):
            self.token_login("officer", WRONG)
        self.fail_on_the_page(2)
        self.assertEqual(self.token_login("officer").status_code, 403)

    def test_unknown_usernames_lock_like_real_ones(self) -> None:
        self.fail_on_the_page(5, "ghost")
        self.assertContains(self.page_login("ghost", WRONG), "账户已被锁定")

    def test_it_unlocks_by_itself_after_fifteen_minutes(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.fail_on_the_page(5)
        with time_machine.travel(start + timedelta(minutes=14), tick=False):
            self.assertEqual(self.token_login("officer").status_code, 403)
        with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
            self.assertEqual(self.token_login("officer").status_code, 200)

    def test_failures_spread_over_more_than_the_window_do_not_lock(self) -> None:
        start = timezone.now()
        for minute in (0, 4, 8, 12, 16):
            with time_machine.travel(start + timedelta(minutes=minute), tick=False):
                self.page_login("officer", WRONG)
        with time_machine.travel(start + timedelta(minutes=16), tick=False):
            self.assertEqual(self.token_login("officer").status_code, 200)

    def test_a_success_resets_the_run_of_failures(self) -> None:
        self.fail_on_the_page(4)
        self.assertEqual(self.token_login("officer").status_code, 200)
        self.fail_on_the_page(4)
        self.assertEqual(self.token_login("officer").status_code, 200)

    def test_security_admin_unlocks_and_it_is_audited(self) -> None:
        self.fail_on_the_page(5)
        self.client.force_login(self.security)
        page = self.client.get("/security/lockouts/")
        self.assertContains(page, "officer")
        response = self.client.post(
            "/security/lockouts/unlock/", {"username": "officer"}
        )
        self.assertRedirects(response, "/security/lockouts/")
        event = AuditEvent.objects.get(action="login.unlock")
        self.assertEqual(event.actor, self.security)
        self.assertEqual(event.object_repr, "officer")
        self.assertIsNone(event.changes["locked_until"][1])
        self.client.logout()
        self.assertEqual(self.token_login("officer").status_code, 200)

    def test_other_roles_may_not_unlock(self) -> None:
        for user in (self.admin, self.auditor, self.officer, self.ent_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/security/lockouts/").status_code, 403)
            response = self.client.post("/security/lockouts/unlock/", {"username": "x"})
            self.assertEqual(response.status_code, 403)

    def test_unlock_page_rejects_get_on_the_action(self) -> None:
        self.client.force_login(self.security)
        self.assertEqual(self.client.get("/security/lockouts/unlock/").status_code, 405)
