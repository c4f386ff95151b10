"""The password lifecycle (bureau/passwords.py): change one's own password,
the forced change of a temporary or expired password (pages and API), the
history rule, reset by e-mail, and `create_user --temporary`."""

from __future__ import annotations

import io
import os
import re
from datetime import datetime, timedelta
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from bureau.models import AuditEvent, PasswordHistory, Role, User
from bureau.passwords import (
    PasswordHistoryValidator,
    one_time_password,
    password_change,
    password_change_reason,
    password_set,
)
from bureau.services import user_create, user_set_password
from bureau.tests.base import CastTestCase
from bureau.tests.factories import PASSWORD, UserFactory

NEW = "Xin#Mima-2027a"
NEWER = "Geng#Mima-2028b"


class ChangeOwnPasswordTests(CastTestCase):
    def test_the_page_changes_the_password_and_keeps_the_session(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW,
                "new_password2": NEW,
            },
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(NEW))
        self.assertIsNotNone(self.officer.password_changed_at)
        # Still logged in (the session hash follows the new password).
        self.assertEqual(self.client.get("/notifications/").status_code, 200)
        event = AuditEvent.objects.filter(action="user.password_change").get()
        self.assertEqual(event.actor, self.officer)
        self.assertNotIn(NEW, str(event.changes) + event.message)

    def test_a_wrong_current_password_is_refused_beside_the_field(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/account/password/",
            {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("old_password", response.context["form"].errors)
        self.assertContains(response, "当前密码不正确")

    def test_the_new_password_follows_the_policy(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "short",
                "new_password2": "short",
            },
        )
        self.assertIn("new_password1", response.context["form"].errors)

    def test_the_api_changes_the_password(self) -> None:
        token = self.api_token(self.officer)
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        response = self.post_json(
            "/api/v1/auth/password/",
            {"old_password": PASSWORD, "new_password": NEW},
            **auth,
        )
        self.assertEqual(response.status_code, 204, response.content)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(NEW))
        wrong = self.post_json(
            "/api/v1/auth/password/",
            {"old_password": "wrong", "new_password": NEWER},
            **auth,
        )
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("old_password", wrong.json()["errors"])


class ForcedChangeTests(CastTestCase):
    def test_factory_users_are_not_forced(self) -> None:
        self.assertIsNone(password_change_reason(self.officer))
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_a_password_set_by_an_administrator_must_be_changed(self) -> None:
        user_set_password(user=self.officer, password=NEW, by=self.admin)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.password_change_required)
        event = AuditEvent.objects.filter(action="user.set_password").get()
        self.assertEqual(event.changes, {"password_change_required": [None, True]})

        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/")
        self.assertRedirects(
            response,
            "/account/password/?next=%2Fenterprises%2F",
            fetch_redirect_response=False,
        )
        # The form itself, logging out and static files stay open.
        page = self.client.get("/account/password/")
        self.assertContains(page, "初始密码或他人设置的密码")
        self.assertEqual(self.client.get("/static/css/app.css").status_code, 200)
        # A session call to the API is refused in JSON.
        api = self.client.get("/api/v1/me/")
        self.assertEqual(api.status_code, 403)
        self.assertEqual(api.json()["code"], "password_change_required")

        response = self.client.post(
            "/account/password/",
            {
                "old_password": NEW,
                "new_password1": NEWER,
                "new_password2": NEWER,
                "next": "/enterprises/",
            },
        )
        self.assertRedirects(response, "/enterprises/", fetch_redirect_response=False)
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.password_change_required)
        self.assertEqual(self.client.get("/enterprises/").status_code, 200)

    def test_one_sets_ones_own_password_without_being_forced(self) -> None:
        password_set(user=self.officer, password=NEW, by=self.officer)
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.password_change_required)

    def test_the_token_api_answers_403_until_the_password_is_changed(self) -> None:
        password_set(user=self.officer, password=NEW, by=self.admin)
        # A token is still issued, so an API-only client can change it.
        token = self.token_login("officer", NEW).json()["token"]
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        refused = self.client.get("/api/v1/me/", **auth)
        self.assertEqual(refused.status_code, 403)
        body = refused.json()
        self.assertEqual(body["code"], "password_change_required")
        self.assertTrue(body["detail"])
        changed = self.post_json(
            "/api/v1/auth/password/",
            {"old_password": NEW, "new_password": NEWER},
            **auth,
        )
        self.assertEqual(changed.status_code, 204, changed.content)
        self.assertEqual(self.client.get("/api/v1/me/", **auth).status_code, 200)

    def test_the_login_page_leads_a_temporary_password_to_the_form(self) -> None:
        password_set(user=self.ent_user, password=NEW, by=self.officer)
        response = self.client.post(
            "/login/", {"username": "alice", "password": NEW}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], "/account/password/")
        self.assertEqual(response.status_code, 200)


class ExpiryTests(CastTestCase):
    def _age(self, user: User, days: int) -> None:
        User.objects.filter(pk=user.pk).update(
            password_changed_at=timezone.now() - timedelta(days=days)
        )
        user.refresh_from_db()

    def test_a_bureau_password_expires_after_90_days(self) -> None:
        self._age(self.officer, 89)
        self.assertIsNone(password_change_reason(self.officer))
        self._age(self.officer, 91)
        self.assertEqual(password_change_reason(self.officer), "expired")
        self.client.force_login(self.officer)
        response = self.client.get("/")
        self.assertRedirects(
            response, "/account/password/", fetch_redirect_response=False
        )
        self.assertContains(self.client.get("/account/password/"), "密码已过期")

    def test_enterprise_and_expert_passwords_do_not_expire_by_default(self) -> None:
        for user in (self.ent_user, self.expert):
            self._age(user, 400)
            self.assertIsNone(password_change_reason(user))

    @override_settings(PASSWORD_MAX_AGE_DAYS={"bureau": 0, "outside": 30})
    def test_the_ages_are_settings(self) -> None:
        self._age(self.officer, 400)
        self._age(self.ent_user, 31)
        self.assertIsNone(password_change_reason(self.officer))
        self.assertEqual(password_change_reason(self.ent_user), "expired")

    def test_changing_the_password_restarts_the_clock(self) -> None:
        self._age(self.officer, 91)
        password_change(user=self.officer, old_password=PASSWORD, new_password=NEW)
        self.officer.refresh_from_db()
        self.assertIsNone(password_change_reason(self.officer))
        event = AuditEvent.objects.filter(action="user.password_change").get()
        self.assertEqual(event.message, "已替换过期密码。")


class HistoryTests(CastTestCase):
    def test_the_current_password_cannot_be_chosen_again(self) -> None:
        with self.assertRaises(Exception) as caught:
            password_change(
                user=self.officer, old_password=PASSWORD, new_password=PASSWORD
            )
        self.assertIn("new_password", caught.exception.message_dict)  # type: ignore[attr-defined]

    def test_none_of_the_last_five_may_be_reused_the_sixth_may(self) -> None:
        passwords = [f"Lishi#Mima-{n}x{n}" for n in range(6)]
        current = PASSWORD
        for password in passwords:
            password_change(
                user=self.officer, old_password=current, new_password=password
            )
            current = password
        self.assertEqual(PasswordHistory.objects.filter(user=self.officer).count(), 5)
        validator = PasswordHistoryValidator()
        from django.core.exceptions import ValidationError

        for recent in passwords[1:]:
            with self.assertRaises(ValidationError):
                validator.validate(recent, self.officer)
        validator.validate(passwords[0], self.officer)  # sixth back: allowed
        validator.validate(PASSWORD, self.officer)

    @override_settings(PASSWORD_HISTORY=0)
    def test_the_history_can_be_switched_off(self) -> None:
        PasswordHistoryValidator().validate(PASSWORD, self.officer)


class ResetByEmailTests(CastTestCase):
    def setUp(self) -> None:
        User.objects.filter(pk=self.ent_user.pk).update(email="alice@example.com")

    def _link(self) -> str:
        self.assertEqual(len(mail.outbox), 1)
        match = re.search(
            r"https?://[^/]+(/account/reset/[^\s]+/)", mail.outbox[0].body
        )
        assert match is not None, mail.outbox[0].body
        return match.group(1)

    def test_the_same_answer_for_a_known_and_an_unknown_address(self) -> None:
        known = self.client.post(
            "/account/password/reset/", {"email": "alice@example.com"}
        )
        unknown = self.client.post(
            "/account/password/reset/", {"email": "nobody@example.com"}
        )
        self.assertEqual(known.status_code, 302)
        self.assertEqual(known.url, unknown.url)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("alice", mail.outbox[0].body)
        self.assertIn("30 分钟", mail.outbox[0].body)

    def test_the_link_sets_a_new_password_once(self) -> None:
        password_set(user=self.ent_user, password=NEW, by=self.officer)
        self.client.post("/account/password/reset/", {"email": "alice@example.com"})
        link = self._link()
        form_page = self.client.get(link, follow=True)
        set_url = form_page.redirect_chain[-1][0]
        self.assertTrue(form_page.context["validlink"])
        done = self.client.post(
            set_url, {"new_password1": NEWER, "new_password2": NEWER}
        )
        self.assertRedirects(
            done, "/account/reset/done/", fetch_redirect_response=False
        )
        user = User.objects.get(pk=self.ent_user.pk)
        self.assertTrue(user.check_password(NEWER))
        self.assertFalse(user.password_change_required)
        self.assertTrue(
            AuditEvent.objects.filter(action="user.password_reset").exists()
        )
        # Used: the same link no longer works.
        again = self.client.get(link, follow=True)
        self.assertFalse(again.context["validlink"])

    def test_the_link_lasts_30_minutes(self) -> None:
        from django.conf import settings

        self.assertEqual(settings.PASSWORD_RESET_TIMEOUT, 1800)
        self.client.post("/account/password/reset/", {"email": "alice@example.com"})
        link = self._link()
        # The generator counts in naive local time (datetime.now()).
        later = datetime.now() + timedelta(minutes=31)
        with mock.patch(
            "django.contrib.auth.tokens.PasswordResetTokenGenerator._now",
            return_value=later,
        ):
            response = self.client.get(link, follow=True)
        self.assertFalse(response.context["validlink"])

    def test_the_reset_pages_are_chinese(self) -> None:
        page = self.client.get("/account/password/reset/")
        self.assertContains(page, "找回密码")
        self.assertContains(self.client.get("/login/"), "忘记密码")


class BootstrapAndOneTimeTests(CastTestCase):
    def test_create_user_is_not_temporary_unless_asked(self) -> None:
        with mock.patch.dict(os.environ, {"BUREAU_NEW_PASSWORD": NEW}):
            call_command("create_user", "boss", role="staff", stdout=io.StringIO())
            call_command(
                "create_user",
                "temp",
                role="staff",
                temporary=True,
                stdout=io.StringIO(),
            )
        self.assertFalse(User.objects.get(username="boss").password_change_required)
        self.assertTrue(User.objects.get(username="temp").password_change_required)
        self.assertIsNotNone(User.objects.get(username="boss").password_changed_at)

    def test_user_create_keeps_the_first_password_in_the_history(self) -> None:
        user = user_create(username="carol", role=Role.STAFF, password=NEW, by=None)
        self.assertEqual(PasswordHistory.objects.filter(user=user).count(), 1)

    def test_one_time_passwords_are_readable_strong_and_random(self) -> None:
        seen = set()
        probe = UserFactory.build(role=Role.STAFF, username="probe")
        from django.contrib.auth.password_validation import validate_password

        for _ in range(50):
            password = one_time_password()
            self.assertGreaterEqual(len(password), 12)
            self.assertFalse(set(password) & set("0O1lI"))
            validate_password(password, probe)
            seen.add(password)
        self.assertEqual(len(seen), 50)


class DjangoAdminTests(CastTestCase):
    def test_a_password_set_in_the_admin_must_be_changed(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            f"/admin/bureau/user/{self.ent_user.pk}/password/",
            {"password1": NEW, "password2": NEW, "usable_password": "true"},
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        user = User.objects.get(pk=self.ent_user.pk)
        self.assertTrue(user.check_password(NEW))
        self.assertTrue(user.password_change_required)
        self.assertTrue(AuditEvent.objects.filter(action="user.set_password").exists())

    def test_a_user_added_in_the_admin_must_change_the_first_password(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            "/admin/bureau/user/add/",
            {
                "username": "newcomer",
                "role": Role.STAFF,
                "password1": NEW,
                "password2": NEW,
                "usable_password": "true",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertTrue(User.objects.get(username="newcomer").password_change_required)

    def test_a_forced_user_may_still_revoke_tokens(self) -> None:
        password_set(user=self.officer, password=NEW, by=self.admin)
        token = self.token_login("officer", NEW).json()["token"]
        response = self.post_json(
            "/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {token}"
        )
        self.assertEqual(response.status_code, 204)
