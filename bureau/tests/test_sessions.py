"""Sessions (issue 11 §5): the idle timeout, one session per administrator,
the user's own page of sessions and API tokens."""

from __future__ import annotations

import time

from django.test import Client, override_settings
from knox.models import AuthToken

from bureau.models import AuditEvent, UserSession
from bureau.sessions import LAST_SEEN
from bureau.tests.base import CastTestCase


def idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


class IdleTimeoutTests(CastTestCase):
    def test_a_staff_session_ends_after_thirty_idle_minutes(self) -> None:
        self.client.login(username="officer", password=self.password)
        idle_for(self.client, 29)
        self.assertEqual(self.client.get("/").status_code, 200)
        idle_for(self.client, 31)
        response = self.client.get("/", follow=True)
        self.assertRedirects(response, "/login/?next=/")
        self.assertContains(response, "长时间未操作")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="session.idle_timeout", actor=self.officer
            ).exists()
        )
        self.assertFalse(UserSession.objects.filter(user=self.officer).exists())

    def test_an_administrator_session_ends_after_fifteen(self) -> None:
        self.client.login(username="security", password=self.password)
        idle_for(self.client, 14)
        self.assertEqual(self.client.get("/security/lockouts/").status_code, 200)
        idle_for(self.client, 16)
        self.assertEqual(self.client.get("/security/lockouts/").status_code, 302)

    @override_settings(SESSION_IDLE_MINUTES=5)
    def test_the_limit_is_a_setting(self) -> None:
        self.client.login(username="officer", password=self.password)
        idle_for(self.client, 6)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_each_request_keeps_the_session_alive(self) -> None:
        self.client.login(username="officer", password=self.password)
        idle_for(self.client, 25)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertLess(time.time() - self.client.session[LAST_SEEN], 5)

    def test_the_api_with_a_session_is_also_timed_out(self) -> None:
        self.client.login(username="officer", password=self.password)
        idle_for(self.client, 31)
        self.assertIn(self.client.get("/api/v1/me/").status_code, (401, 403))


class SingleSessionTests(CastTestCase):
    def test_a_new_administrator_login_ends_the_old_session(self) -> None:
        first, second = Client(), Client()
        first.login(username="admin", password=self.password)
        self.assertEqual(first.get("/").status_code, 200)
        second.login(username="admin", password=self.password)
        self.assertEqual(second.get("/").status_code, 200)
        self.assertEqual(first.get("/").status_code, 302)
        self.assertEqual(UserSession.objects.filter(user=self.admin).count(), 1)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="session.replace", actor=self.admin
            ).exists()
        )

    def test_other_roles_may_hold_several(self) -> None:
        first, second = Client(), Client()
        first.login(username="officer", password=self.password)
        second.login(username="officer", password=self.password)
        self.assertEqual(first.get("/").status_code, 200)
        self.assertEqual(second.get("/").status_code, 200)
        self.assertEqual(UserSession.objects.filter(user=self.officer).count(), 2)

    def test_logging_out_removes_the_record(self) -> None:
        self.client.login(username="officer", password=self.password)
        self.client.post("/logout/")
        self.assertFalse(UserSession.objects.filter(user=self.officer).exists())


class AccountPageTests(CastTestCase):
    def test_it_lists_sessions_and_tokens_with_time_and_address(self) -> None:
        other = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/140")
        other.post("/login/", {"username": "officer", "password": self.password})
        self.client.login(username="officer", password=self.password)
        self.post_json(
            "/api/v1/auth/token/",
            {"username": "officer", "password": self.password},
            REMOTE_ADDR="10.9.9.9",
        )
        self.client.get("/account/")
        # session, user, enrolled?, tokens, their origins, sessions: not
        # one more per session or token.
        with self.assertNumQueries(6):
            page = self.client.get("/account/")
        self.assertContains(page, "我的账号")
        self.assertContains(page, "科员")
        self.assertContains(page, "10.1.2.3")
        self.assertContains(page, "Firefox/140")
        self.assertContains(page, "10.9.9.9")
        self.assertContains(page, "本浏览器")
        self.assertContains(page, AuthToken.objects.get(user=self.officer).token_key)

    def test_dead_sessions_are_not_listed(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        self.client.login(username="officer", password=self.password)
        old = Client()
        old.login(username="officer", password=self.password)
        UserSession.objects.filter(key=old.session.session_key).update(
            last_seen=timezone.now() - timedelta(hours=1)
        )
        page = self.client.get("/account/")
        self.assertEqual(len(page.context["sessions"]), 1)

    def test_it_ends_another_session(self) -> None:
        other = Client()
        other.login(username="officer", password=self.password)
        self.client.login(username="officer", password=self.password)
        row = UserSession.objects.get(key=other.session.session_key)
        response = self.client.post(f"/account/sessions/{row.pk}/end/", follow=True)
        self.assertContains(response, "已结束")
        self.assertEqual(other.get("/").status_code, 302)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(action="session.end", actor=self.officer).exists()
        )

    def test_ending_this_session_logs_out(self) -> None:
        self.client.login(username="officer", password=self.password)
        row = UserSession.objects.get(key=self.client.session.session_key)
        response = self.client.post(f"/account/sessions/{row.pk}/end/")
        self.assertRedirects(response, "/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_revokes_a_token(self) -> None:
        token = self.api_token(self.officer)
        instance = AuthToken.objects.get(user=self.officer)
        self.client.login(username="officer", password=self.password)
        response = self.client.post(
            "/account/tokens/end/",
            {"digest": instance.digest, "prefix": instance.token_key},
            follow=True,
        )
        self.assertContains(response, "已吊销API令牌")
        self.assertEqual(
            self.client.get(
                "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}"
            ).status_code,
            401,
        )
        self.assertTrue(
            AuditEvent.objects.filter(
                action="api_token.revoke", actor=self.officer
            ).exists()
        )

    def test_another_users_session_or_token_is_not_found(self) -> None:
        other = Client()
        other.login(username="head", password=self.password)
        self.api_token(self.head)
        self.client.login(username="officer", password=self.password)
        row = UserSession.objects.get(key=other.session.session_key)
        self.assertEqual(
            self.client.post(f"/account/sessions/{row.pk}/end/").status_code, 404
        )
        digest = AuthToken.objects.get(user=self.head).digest
        self.assertEqual(
            self.client.post("/account/tokens/end/", {"digest": digest}).status_code,
            404,
        )
        self.assertEqual(other.get("/").status_code, 200)
        self.assertTrue(AuthToken.objects.filter(user=self.head).exists())

    def test_every_role_has_the_page(self) -> None:
        for user in (self.ent_user, self.expert, self.liaison, self.auditor):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/account/").status_code, 200)


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
class CachedSessionTests(CastTestCase):
    """With Redis, sessions are read from the cache (bureau/settings.py): a
    session ended on the account page or by a new administrator login must
    end in the cache too, or a copy there would keep it alive."""

    def setUp(self) -> None:
        from django.core.cache import cache

        cache.clear()

    def test_an_ended_session_is_gone_from_the_cache(self) -> None:
        other = Client()
        other.login(username="officer", password=self.password)
        self.assertEqual(other.get("/").status_code, 200)  # now cached
        self.client.login(username="officer", password=self.password)
        row = UserSession.objects.get(key=other.session.session_key)
        self.client.post(f"/account/sessions/{row.pk}/end/")
        self.assertEqual(other.get("/").status_code, 302)

    def test_a_page_reads_the_session_from_the_cache(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.login(username="officer", password=self.password)
        self.client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get("/notifications/").status_code, 200)
        self.assertFalse(
            any("django_session" in q["sql"] for q in ctx.captured_queries),
            [q["sql"] for q in ctx.captured_queries],
        )
