from __future__ import annotations

from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from bureau.audit import audit, snapshot
from bureau.models import AuditEvent, OrgUnit
from bureau.tests.base import CastTestCase


class AuditEventTests(CastTestCase):
    def test_a_service_records_actor_changes_and_ip(self) -> None:
        self.client.force_login(self.admin)
        unit = OrgUnit.objects.get(code="330105001")
        unit.name = "米市巷街道（新）"
        # Through the admin, which calls org_unit_save.
        response = self.client.post(
            f"/admin/bureau/orgunit/{unit.pk}/change/",
            {
                "code": unit.code,
                "name": "米市巷街道（新）",
                "level": "street",
                "parent": self.district.pk,
                "sort_order": 0,
                "is_active": "on",
            },
            REMOTE_ADDR="10.1.2.3",
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        event = AuditEvent.objects.get(action="org_unit.update")
        self.assertEqual(event.actor, self.admin)
        self.assertEqual(event.ip_address, "10.1.2.3")
        self.assertEqual(event.changes, {"name": ["米市巷街道", "米市巷街道（新）"]})
        self.assertEqual(event.object_type, "bureau.orgunit")
        self.assertEqual(event.object_id, str(unit.pk))
        # The auditor reads it in Chinese, not as codes.
        self.client.force_login(self.auditor)
        page = self.client.get("/audit/?action=org_unit.update")
        self.assertContains(page, "修改组织机构")
        self.assertContains(page, "组织机构：米市巷街道（新）")
        self.assertContains(page, "名称：米市巷街道 → 米市巷街道（新）")
        self.assertContains(page, "10.1.2.3")

    def test_the_helper_is_a_one_liner_with_before_and_after(self) -> None:
        unit = self.street_a
        before = snapshot(unit, ["name", "parent"])
        unit.name = "改名"
        event = audit(
            by=self.officer,
            action="x.update",
            target=unit,
            before=before,
            after=snapshot(unit, ["name", "parent"]),
        )
        self.assertEqual(event.changes, {"name": ["米市巷街道", "改名"]})
        self.assertIsNone(event.ip_address)

    def test_events_cannot_be_changed_or_deleted_through_the_orm(self) -> None:
        event = audit(by=None, action="system.test")
        event.action = "tampered"
        with self.assertRaises(TypeError):
            event.save()
        with self.assertRaises(TypeError):
            event.delete()
        with self.assertRaises(TypeError):
            AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
        with self.assertRaises(TypeError):
            AuditEvent.objects.all().delete()

    def test_the_database_refuses_updates(self) -> None:
        event = audit(by=None, action="system.test")
        with self.assertRaises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE bureau_auditevent SET action = 'tampered' WHERE id = %s",
                    [event.pk],
                )
        self.assertEqual(AuditEvent.objects.get(pk=event.pk).action, "system.test")

    def test_only_the_auditor_sees_the_log(self) -> None:
        audit(by=self.officer, action="system.test")
        for user in (
            self.admin,
            self.security,
            self.officer,
            self.head,
            self.leader,
            self.ent_user,
            self.expert,
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/audit/").status_code, 403, user.role)
            api = self.client.get("/api/v1/audit-events/")
            self.assertEqual(api.status_code, 403, user.role)
            self.assertEqual(api.json()["code"], "permission_denied")
        self.client.force_login(self.auditor)
        self.assertContains(self.client.get("/audit/"), "system.test")
        api = self.client.get("/api/v1/audit-events/?action=system")
        self.assertEqual(api.json()["count"], 1)
        self.assertEqual(api.json()["results"][0]["actor_username"], "officer")

    def test_the_admin_shows_the_log_read_only_and_to_the_auditor_only(self) -> None:
        model_admin = site._registry[AuditEvent]
        request = RequestFactory().get("/")
        request.user = self.auditor
        self.assertTrue(model_admin.has_view_permission(request))
        self.assertFalse(model_admin.has_change_permission(request))
        self.assertFalse(model_admin.has_delete_permission(request))
        self.assertFalse(model_admin.has_add_permission(request))
        request.user = self.admin
        self.assertFalse(model_admin.has_view_permission(request))
        self.client.force_login(self.auditor)
        self.assertEqual(self.client.get("/admin/bureau/auditevent/").status_code, 200)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get("/admin/bureau/auditevent/").status_code, 403)

    def test_the_auditor_list_has_a_constant_number_of_queries(self) -> None:
        for i in range(30):
            audit(by=self.officer, action=f"system.test{i}")
        self.client.force_login(self.auditor)
        # session, user, the user's and the group's permissions, count, page
        with self.assertNumQueries(6):
            response = self.client.get("/api/v1/audit-events/")
        self.assertEqual(response.json()["count"], 30)


class AuditRowsTests(CastTestCase):
    def test_it_names_a_changed_reverse_relation_by_the_related_model(self) -> None:
        from django.utils import translation

        from bureau.audit import audit, audit_rows
        from projects.models import Contract

        event = audit(by=self.officer, action="contract.record", target=self.street_a)
        # A contract event lists its milestones, a reverse relation.
        event.object_type = Contract._meta.label_lower
        event.changes = {"milestones": [None, [{"title": "样机"}]]}
        with translation.override("zh-hans"):
            (row,) = audit_rows([event])
        self.assertEqual(
            row.changes[0][0],
            str(
                Contract._meta.get_field(
                    "milestones"
                ).related_model._meta.verbose_name_plural
            ),
        )
        self.assertNotEqual(row.changes[0][0], "milestones")

    def test_it_shows_a_changed_choice_by_its_label(self) -> None:
        from django.utils import translation

        from bureau.audit import audit, audit_rows
        from bureau.models import Role, User

        event = audit(
            by=self.admin,
            action="user.update",
            target=self.officer,
            before={"role": Role.STAFF},
            after={"role": Role.SECTION_HEAD},
        )
        self.assertEqual(event.object_type, User._meta.label_lower)
        with translation.override("zh-hans"):
            (row,) = audit_rows([event])
        _label, before, after = row.changes[0]
        self.assertEqual(before, str(Role.STAFF.label))
        self.assertEqual(after, "科长")
