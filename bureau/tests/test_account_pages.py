"""The administrators' accounts pages (/accounts/users/): who may do what
(三员分立), each action through its service with the confirmation step, the
role-change requests, and the nightly disabling of dormant accounts."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from bureau.models import AuditEvent, LoginThrottle, Role, RoleChangeRequest, User
from bureau.passwords import one_time_password
from bureau.services import (
    login_failure_record,
    user_create,
    users_dormant_disable,
)
from bureau.tests.base import CAST_ROLES, CastTestCase
from bureau.tests.factories import UserFactory

LIST = "/accounts/users/"
BUSINESS = ("officer", "head", "leader", "liaison", "ent_user", "expert")


class AccountListTests(CastTestCase):
    def test_the_three_administrators_open_the_list_and_business_roles_get_403(
        self,
    ) -> None:
        for name in CAST_ROLES:
            self.client.force_login(getattr(self, name))
            response = self.client.get(LIST)
            expected = 200 if name in ("admin", "security", "auditor") else 403
            self.assertEqual(response.status_code, expected, msg=name)

    def test_it_shows_last_login_in_chinese(self) -> None:
        self.officer.last_login = timezone.now()
        self.officer.save(update_fields=["last_login"])
        self.client.force_login(self.auditor)
        html = self.client.get(LIST).content.decode()
        self.assertIn("账号管理", html)
        self.assertIn("从未登录", html)  # the cast never logged in by password

    def test_the_auditor_reads_only(self) -> None:
        self.client.force_login(self.auditor)
        html = self.client.get(LIST).content.decode()
        self.assertNotIn("/disable/", html)
        self.assertNotIn("/password/", html)
        self.assertNotIn("新建账号", html)
        for url in (
            f"/accounts/users/{self.officer.pk}/disable/",
            f"/accounts/users/{self.officer.pk}/password/",
            "/accounts/users/new/",
        ):
            self.assertEqual(self.client.post(url).status_code, 403, msg=url)

    def test_search_and_filters(self) -> None:
        self.client.force_login(self.admin)

        def names(query: str) -> set[str]:
            page = self.client.get(LIST + query).context["page"]
            return {user.username for user in page}

        self.assertEqual(names("?q=officer"), {"officer"})
        self.assertEqual(names(f"?q={self.head.full_name}"), {"head"})
        self.assertEqual(names("?role=expert"), {"expert"})
        self.expert.is_active = False
        self.expert.save(update_fields=["is_active"])
        self.assertEqual(names("?status=disabled"), {"expert"})
        self.assertNotIn("expert", names("?status=active"))
        for _i in range(5):
            login_failure_record(username="Leader", ip_address=None)
        self.assertEqual(names("?locked=on"), {"leader"})
        old = timezone.now() - timedelta(days=200)
        User.objects.filter(pk__in=[self.officer.pk, self.admin.pk]).update(
            date_joined=old
        )
        self.assertEqual(names("?dormant=on"), {"officer"})

    def test_query_count_does_not_grow_with_the_list(self) -> None:
        self.client.force_login(self.security)
        RoleChangeRequest.objects.create(
            user=self.officer, role=Role.SECTION_HEAD, requested_by=self.admin
        )
        self.client.get(LIST)  # warm caches (content types, sessions)
        with self.assertNumQueries(7):
            self.client.get(LIST)
        for _i in range(20):
            user = UserFactory(role=Role.EXPERT)
            RoleChangeRequest.objects.create(
                user=user, role=Role.STAFF, requested_by=self.admin
            )
        with self.assertNumQueries(7):
            response = self.client.get(LIST)
        self.assertEqual(len(response.context["pending"]), 21)

    def test_pagination(self) -> None:
        UserFactory.create_batch(50, role=Role.EXPERT)
        self.client.force_login(self.admin)
        response = self.client.get(LIST + "?page=2")
        self.assertEqual(response.context["page"].number, 2)
        self.assertEqual(len(response.context["page"]), len(CAST_ROLES) + 50 - 50)


class AccountCreateTests(CastTestCase):
    def _create(self, role: str, username: str = "newbie") -> str:
        self.client.force_login(self.admin)
        response = self.client.post(
            "/accounts/users/new/",
            {"username": username, "full_name": "新同事", "role": role},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"].count("no-store"), 1)
        match = re.search(r"<code>([^<]+)</code>", response.content.decode())
        assert match is not None
        return match.group(1)

    def test_the_admin_creates_an_expert_with_a_temporary_password(self) -> None:
        password = self._create(Role.EXPERT)
        user = User.objects.get(username="newbie")
        self.assertTrue(user.is_active)
        self.assertTrue(user.check_password(password))
        self.assertTrue(user.password_change_required)
        self.assertTrue(
            AuditEvent.objects.filter(action="user.create", object_id=user.pk).exists()
        )

    def test_a_privileged_role_becomes_a_request(self) -> None:
        self._create(Role.STAFF)
        user = User.objects.get(username="newbie")
        self.assertFalse(user.is_active)
        request = RoleChangeRequest.objects.get(user=user)
        self.assertEqual(request.status, RoleChangeRequest.Status.PENDING)
        self.assertEqual(request.role, Role.STAFF)

    def test_errors_stay_beside_the_field_and_input_is_kept(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            "/accounts/users/new/",
            {"username": "officer", "full_name": "重名", "role": Role.EXPERT},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertContains(response, 'value="重名"')

    def test_only_the_system_administrator_creates(self) -> None:
        for name in ("security", "auditor", *BUSINESS):
            self.client.force_login(getattr(self, name))
            self.assertEqual(
                self.client.get("/accounts/users/new/").status_code, 403, msg=name
            )


class AccountActionTests(CastTestCase):
    def _post(self, url: str, **data: str) -> object:
        return self.client.post(url, {"confirmed": "1", **data})

    def test_disable_needs_confirmation_then_disables_audited(self) -> None:
        self.client.force_login(self.admin)
        url = f"/accounts/users/{self.expert.pk}/disable/"
        response = self.client.post(url)
        self.assertContains(response, "停用账号")
        self.expert.refresh_from_db()
        self.assertTrue(self.expert.is_active)
        response = self.client.post(url, {"confirmed": "1"}, follow=True)
        self.expert.refresh_from_db()
        self.assertFalse(self.expert.is_active)
        self.assertContains(response, "已停用账号")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="user.update", object_id=self.expert.pk
            ).exists()
        )

    def test_reenabling_a_business_role_is_direct_a_privileged_one_a_request(
        self,
    ) -> None:
        User.objects.filter(pk__in=[self.expert.pk, self.officer.pk]).update(
            is_active=False
        )
        self.client.force_login(self.admin)
        self._post(f"/accounts/users/{self.expert.pk}/enable/")
        self.expert.refresh_from_db()
        self.assertTrue(self.expert.is_active)
        response = self.client.post(
            f"/accounts/users/{self.officer.pk}/enable/",
            {"confirmed": "1"},
            follow=True,
        )
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.is_active)
        self.assertContains(response, "待安全管理员批准")
        self.assertTrue(
            RoleChangeRequest.objects.filter(
                user=self.officer, is_active=True, status="pending"
            ).exists()
        )

    def test_an_already_disabled_account_is_refused_with_a_message(self) -> None:
        User.objects.filter(pk=self.expert.pk).update(is_active=False)
        self.client.force_login(self.admin)
        response = self.client.post(
            f"/accounts/users/{self.expert.pk}/disable/",
            {"confirmed": "1"},
            follow=True,
        )
        self.assertContains(response, "已是停用状态")

    def test_no_one_acts_on_their_own_account_or_an_administrators(self) -> None:
        self.client.force_login(self.admin)
        for target in (self.admin, self.security, self.auditor):
            for action in ("disable", "password"):
                url = f"/accounts/users/{target.pk}/{action}/"
                self.assertEqual(self._post(url).status_code, 403, msg=url)  # type: ignore[attr-defined]
        self.admin.refresh_from_db()
        self.assertTrue(self.admin.is_active)

    def test_unknown_ids_are_404(self) -> None:
        self.client.force_login(self.admin)
        for action in ("disable", "enable", "password"):
            url = f"/accounts/users/999999/{action}/"
            self.assertEqual(self._post(url).status_code, 404, msg=url)  # type: ignore[attr-defined]
        self.client.force_login(self.security)
        response = self._post("/accounts/role-changes/999999/decide/")
        self.assertEqual(response.status_code, 404)  # type: ignore[attr-defined]

    def test_business_roles_and_the_other_administrators_may_not_act(self) -> None:
        for name in ("security", "auditor", *BUSINESS):
            self.client.force_login(getattr(self, name))
            for action in ("disable", "enable", "password"):
                url = f"/accounts/users/{self.expert.pk}/{action}/"
                self.assertEqual(self._post(url).status_code, 403, msg=f"{name} {url}")  # type: ignore[attr-defined]

    def test_password_reset_shows_a_temporary_password_once(self) -> None:
        self.client.force_login(self.admin)
        url = f"/accounts/users/{self.expert.pk}/password/"
        self.assertContains(self.client.post(url), "重置密码")
        response = self._post(url)
        html = response.content.decode()  # type: ignore[attr-defined]
        match = re.search(r"<code>([^<]+)</code>", html)
        assert match is not None
        self.expert.refresh_from_db()
        self.assertTrue(self.expert.check_password(match.group(1)))
        self.assertTrue(self.expert.password_change_required)
        self.assertIn("no-store", response.headers["Cache-Control"])  # type: ignore[attr-defined]
        self.assertTrue(
            AuditEvent.objects.filter(
                action="user.set_password", object_id=self.expert.pk
            ).exists()
        )

    def test_the_security_admin_sees_unlock_and_two_factor_links(self) -> None:
        for _i in range(5):
            login_failure_record(username="expert", ip_address=None)
        self.client.force_login(self.security)
        html = self.client.get(LIST).content.decode()
        self.assertIn('action="/security/lockouts/unlock/"', html)
        self.assertIn('href="/security/mfa/"', html)
        self.assertNotIn("/disable/", html)
        self.client.post(
            "/security/lockouts/unlock/", {"username": "expert"}, follow=True
        )
        throttle = LoginThrottle.objects.get(username="expert")
        self.assertFalse(throttle.is_locked())
        self.client.force_login(self.admin)
        self.assertNotIn(
            'action="/security/lockouts/unlock/"',
            self.client.get(LIST).content.decode(),
        )


class RoleChangeDecisionTests(CastTestCase):
    def setUp(self) -> None:
        self.newbie = user_create(
            username="newbie",
            role=Role.STAFF,
            by=self.admin,
            password=one_time_password(),
        )
        self.request = RoleChangeRequest.objects.get(user=self.newbie)

    def test_the_security_admin_sees_pending_requests_with_buttons(self) -> None:
        self.client.force_login(self.security)
        response = self.client.get(LIST)
        self.assertContains(response, "待批准的角色变更")
        self.assertContains(response, "批准")
        self.assertContains(response, "驳回")
        for name in ("admin", "auditor"):
            self.client.force_login(getattr(self, name))
            self.assertNotContains(self.client.get(LIST), "待批准的角色变更")

    def test_approve_after_confirmation(self) -> None:
        self.client.force_login(self.security)
        url = f"/accounts/role-changes/{self.request.pk}/decide/"
        self.assertContains(
            self.client.post(url, {"decision": "approve"}), "批准角色变更"
        )
        self.newbie.refresh_from_db()
        self.assertFalse(self.newbie.is_active)
        response = self.client.post(
            url, {"decision": "approve", "confirmed": "1"}, follow=True
        )
        self.assertContains(response, "已批准")
        self.newbie.refresh_from_db()
        self.assertTrue(self.newbie.is_active)
        self.assertEqual(self.newbie.role, Role.STAFF)

    def test_reject(self) -> None:
        self.client.force_login(self.security)
        self.client.post(
            f"/accounts/role-changes/{self.request.pk}/decide/",
            {"decision": "reject", "confirmed": "1"},
        )
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, RoleChangeRequest.Status.REJECTED)
        self.newbie.refresh_from_db()
        self.assertFalse(self.newbie.is_active)

    def test_only_the_security_admin_decides(self) -> None:
        for name in ("admin", "auditor", *BUSINESS):
            self.client.force_login(getattr(self, name))
            response = self.client.post(
                f"/accounts/role-changes/{self.request.pk}/decide/",
                {"decision": "approve", "confirmed": "1"},
            )
            self.assertEqual(response.status_code, 403, msg=name)


@override_settings(ACCOUNT_DORMANT_DAYS=90)
class DormantAccountTests(CastTestCase):
    def test_the_nightly_task_disables_dormant_accounts_one_event_each(self) -> None:
        old = timezone.now() - timedelta(days=120)
        User.objects.update(date_joined=old)  # everyone joined long ago
        User.objects.filter(pk=self.leader.pk).update(
            last_login=timezone.now() - timedelta(days=10)
        )
        User.objects.filter(pk=self.head.pk).update(
            last_login=timezone.now() - timedelta(days=100)
        )
        fresh = UserFactory(role=Role.EXPERT)  # joined today, never logged in
        from bureau.tasks import accounts_dormant_disable

        count = accounts_dormant_disable()
        disabled = set(
            User.objects.filter(is_active=False).values_list("username", flat=True)
        )
        expected = {"officer", "head", "liaison", "alice", "bob", "expert"}
        self.assertEqual(disabled, expected)
        self.assertEqual(count, len(expected))
        self.assertEqual(
            AuditEvent.objects.filter(action="user.dormant_disable").count(),
            len(expected),
        )
        fresh.refresh_from_db()
        self.assertTrue(fresh.is_active)
        self.assertEqual(users_dormant_disable(), 0)  # nothing left to do

    def test_it_is_scheduled_nightly(self) -> None:
        from bureau.schedules import SCHEDULES

        self.assertIn("bureau.accounts_dormant_disable", {s.task for s in SCHEDULES})
