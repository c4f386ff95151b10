from __future__ import annotations

from django.contrib.auth.models import Group

from bureau.models import Role
from bureau.roles import ROLE_PERMISSIONS
from bureau.tests.base import CastTestCase


class RoleGroupTests(CastTestCase):
    def test_every_role_is_a_group_with_its_permissions(self) -> None:
        for role in Role:
            group = Group.objects.get(name=role.value)
            have = {
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")
            }
            self.assertEqual(have, ROLE_PERMISSIONS[role], role)

    def test_separation_of_duties(self) -> None:
        self.assertTrue(self.auditor.has_perm("bureau.view_auditevent"))
        self.assertFalse(self.admin.has_perm("bureau.view_auditevent"))
        self.assertFalse(self.admin.has_perm("enterprises.change_enterprise"))
        self.assertTrue(self.security.has_perm("bureau.unlock_account"))
        self.assertFalse(self.security.has_perm("bureau.change_user"))
        self.assertFalse(self.leader.has_perm("enterprises.change_enterprise"))
        self.assertTrue(self.officer.has_perm("enterprises.change_enterprise"))

    def test_only_admin_roles_reach_the_admin_site(self) -> None:
        for user in (self.admin, self.security, self.auditor):
            self.assertTrue(user.is_staff)
        for user in (self.officer, self.head, self.leader, self.ent_user, self.expert):
            self.assertFalse(user.is_staff)


class OwnRoleTests(CastTestCase):
    def test_no_one_changes_their_own_role(self) -> None:
        from django.core.exceptions import ValidationError

        from bureau.services import user_update

        with self.assertRaises(ValidationError) as caught:
            user_update(user=self.admin, by=self.admin, role=Role.SECTION_HEAD)
        self.assertIn("role", caught.exception.message_dict)
        self.admin.refresh_from_db()
        self.assertEqual(self.admin.role, Role.BUREAU_ADMIN)

    def test_another_administrator_may_ask_for_it(self) -> None:
        # Granted once a security administrator approves (test_security_roles).
        from bureau.services import user_update

        user_update(user=self.officer, by=self.admin, role=Role.SECTION_HEAD)
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.role, Role.STAFF)
        self.assertEqual(
            self.officer.role_change_requests.get().role, Role.SECTION_HEAD
        )

    def test_the_admin_form_shows_ones_own_role_read_only(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(f"/admin/bureau/user/{self.admin.pk}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="role"')
        response = self.client.get(f"/admin/bureau/user/{self.officer.pk}/change/")
        self.assertContains(response, 'name="role"')
