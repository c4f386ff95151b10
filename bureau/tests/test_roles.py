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
