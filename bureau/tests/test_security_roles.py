"""三员分立 for roles: the system administrator asks for a privileged role,
a security administrator (another person) approves it; no one grants a
privileged role directly, and no one changes their own role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, Role, RoleChangeRequest, User
from bureau.services import role_change_decide, user_create, user_update
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory

PASSWORD = "Keji#Test2026-long"


class RoleChangeApprovalTests(CastTestCase):
    def test_the_system_administrator_cannot_make_someone_section_head(self) -> None:
        user_update(user=self.officer, by=self.admin, role=Role.SECTION_HEAD)

        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.STAFF)
        self.assertFalse(self.officer.groups.filter(name=Role.SECTION_HEAD).exists())
        request = RoleChangeRequest.objects.get(user=self.officer)
        self.assertEqual(request.status, RoleChangeRequest.Status.PENDING)
        self.assertEqual(request.requested_by, self.admin)
        self.assertEqual(request.previous_role, Role.STAFF)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="role_change.request", object_id=str(self.officer.pk)
            ).exists()
        )

    def test_the_security_administrator_approves_it(self) -> None:
        user_update(user=self.officer, by=self.admin, role=Role.SECTION_HEAD)
        request = RoleChangeRequest.objects.get(user=self.officer)

        role_change_decide(request=request, by=self.security, approve=True)

        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.SECTION_HEAD)
        self.assertTrue(self.officer.groups.filter(name=Role.SECTION_HEAD).exists())
        request.refresh_from_db()
        self.assertEqual(request.status, RoleChangeRequest.Status.APPROVED)
        self.assertEqual(request.decided_by, self.security)
        with self.assertRaises(ApplicationError):  # once only
            role_change_decide(request=request, by=self.security, approve=True)

    def test_a_rejected_change_leaves_the_role(self) -> None:
        user_update(user=self.officer, by=self.admin, role=Role.LEADER)
        request = RoleChangeRequest.objects.get(user=self.officer)
        role_change_decide(request=request, by=self.security, approve=False)
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.STAFF)

    def test_only_a_security_administrator_decides(self) -> None:
        user_update(user=self.officer, by=self.admin, role=Role.SECTION_HEAD)
        request = RoleChangeRequest.objects.get(user=self.officer)
        for decider in (self.admin, self.auditor, self.head, self.leader):
            with self.assertRaises(PermissionDenied):
                role_change_decide(request=request, by=decider, approve=True)

    def test_no_security_administrator_approves_a_change_of_their_own(self) -> None:
        other_admin = UserFactory(username="admin2", role=Role.BUREAU_ADMIN)
        user_update(user=self.security, by=other_admin, role=Role.LEADER)
        request = RoleChangeRequest.objects.get(user=self.security)
        with self.assertRaises(ApplicationError) as caught:
            role_change_decide(request=request, by=self.security, approve=True)
        self.assertEqual(caught.exception.code, "same_person")

    def test_a_new_bureau_account_waits_inactive(self) -> None:
        user = user_create(
            username="newhead", role=Role.SECTION_HEAD, password=PASSWORD, by=self.admin
        )
        user.refresh_from_db()
        self.assertFalse(user.is_active)
        request = RoleChangeRequest.objects.get(user=user)
        role_change_decide(request=request, by=self.security, approve=True)
        user.refresh_from_db()
        self.assertTrue(user.is_active)
        self.assertEqual(user.role, Role.SECTION_HEAD)

    def test_reactivating_a_privileged_account_needs_approval(self) -> None:
        user_update(user=self.head, by=self.admin, is_active=False)  # direct
        self.head.refresh_from_db()
        self.assertFalse(self.head.is_active)
        user_update(user=self.head, by=self.admin, is_active=True)
        self.head.refresh_from_db()
        self.assertFalse(self.head.is_active)
        self.assertTrue(self.head.role_change_requests.filter(is_active=True).exists())

    def test_an_external_role_and_profile_edits_are_direct(self) -> None:
        user_update(user=self.officer, by=self.admin, full_name="王五")
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.full_name, "王五")
        expert = UserFactory(username="exp2", role=Role.EXPERT)
        user_update(user=expert, by=self.admin, org_unit=None, full_name="专家乙")
        self.assertFalse(RoleChangeRequest.objects.exists())

    def test_a_newer_request_supersedes_the_pending_one(self) -> None:
        user_update(user=self.officer, by=self.admin, role=Role.SECTION_HEAD)
        user_update(user=self.officer, by=self.admin, role=Role.LEADER)
        statuses = dict(
            RoleChangeRequest.objects.filter(user=self.officer).values_list(
                "role", "status"
            )
        )
        self.assertEqual(
            statuses,
            {
                Role.SECTION_HEAD: RoleChangeRequest.Status.SUPERSEDED,
                Role.LEADER: RoleChangeRequest.Status.PENDING,
            },
        )

    def test_the_command_line_grants_directly(self) -> None:
        user = user_create(
            username="cli_leader", role=Role.LEADER, password=PASSWORD, by=None
        )
        self.assertTrue(User.objects.get(pk=user.pk).is_active)
        self.assertFalse(RoleChangeRequest.objects.exists())

    def test_no_one_changes_their_own_role(self) -> None:
        with self.assertRaises(ValidationError):
            user_update(user=self.admin, by=self.admin, role=Role.SECTION_HEAD)
        with self.assertRaises(ValidationError):
            user_update(user=self.security, by=self.security, role=Role.LEADER)


class RoleChangeAdminTests(CastTestCase):
    def _change_form(self, user: User, **changes: object) -> dict[str, object]:
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "enterprise": "",
            "org_unit": user.org_unit_id or "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
        data.update(changes)
        return data

    def test_the_admin_form_asks_and_the_security_admin_approves(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            f"/admin/bureau/user/{self.officer.pk}/change/",
            self._change_form(self.officer, role=Role.SECTION_HEAD),
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.STAFF)
        self.assertContains(response, "安全管理员")
        request = RoleChangeRequest.objects.get(user=self.officer)

        # The system administrator sees the request but cannot approve it.
        listing = self.client.get("/admin/bureau/rolechangerequest/")
        self.assertEqual(listing.status_code, 200)
        self.assertNotContains(listing, 'value="approve"')
        self.client.post(
            "/admin/bureau/rolechangerequest/",
            {"action": "approve", "_selected_action": [request.pk]},
        )
        request.refresh_from_db()
        self.assertEqual(request.status, RoleChangeRequest.Status.PENDING)

        self.client.force_login(self.security)
        listing = self.client.get("/admin/bureau/rolechangerequest/")
        self.assertContains(listing, 'value="approve"')
        self.client.post(
            "/admin/bureau/rolechangerequest/",
            {"action": "approve", "_selected_action": [request.pk]},
        )
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.SECTION_HEAD)


class AdministratorPasswordTests(CastTestCase):
    """The system administrator could otherwise set the security
    administrator's password, sign in as them and approve its own requests."""

    def test_no_one_sets_another_administrators_password(self) -> None:
        from bureau.services import user_set_password

        for target in (self.security, self.auditor):
            with self.assertRaises(PermissionDenied):
                user_set_password(user=target, password=PASSWORD, by=self.admin)
        # (new passwords each time: the last five may not be used again)
        user_set_password(user=self.officer, password="Xin#Mima2026a", by=self.admin)
        user_set_password(
            user=self.security, password="Xin#Mima2026b", by=self.security
        )
        user_set_password(user=self.security, password="Xin#Mima2026c", by=None)

    def test_the_admin_password_form_is_refused_for_administrators(self) -> None:
        self.client.force_login(self.admin)
        for target in (self.security, self.auditor):
            url = f"/admin/bureau/user/{target.pk}/password/"
            self.assertEqual(self.client.get(url).status_code, 403)
            response = self.client.post(
                url,
                {
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "usable_password": "true",
                },
            )
            self.assertEqual(response.status_code, 403)
            target.refresh_from_db()
            self.assertFalse(target.check_password(PASSWORD))
        url = f"/admin/bureau/user/{self.officer.pk}/password/"
        self.assertEqual(self.client.get(url).status_code, 200)
