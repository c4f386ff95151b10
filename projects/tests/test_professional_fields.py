"""The shared list of professional fields (专业领域): its data, the migration
of the old free text, the expert draw matching on it, and the API."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from bureau.models import Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from projects.fields import HIGH_TECH_FIELDS, field_rows, split_names
from projects.models import Application, ProfessionalField
from projects.services.review import expert_candidates, reviewers_draw
from projects.tests.factories import make_application, make_call, make_expert


class FieldListTests(CastTestCase):
    def test_the_eight_fields_and_their_sub_fields_are_data(self) -> None:
        tops = ProfessionalField.objects.filter(parent=None)
        self.assertEqual(
            list(tops.values_list("name", flat=True)),
            [
                "电子信息",
                "生物与新医药",
                "航空航天",
                "新材料",
                "高技术服务",
                "新能源与节能",
                "资源与环境",
                "先进制造与自动化",
            ],
        )
        self.assertEqual(ProfessionalField.objects.count(), len(field_rows()))
        software = ProfessionalField.objects.get(code="0101")
        self.assertEqual((software.name, software.parent.name), ("软件", "电子信息"))
        self.assertEqual(
            sum(len(children) for _name, children in HIGH_TECH_FIELDS) + 8,
            len(field_rows()),
        )

    def test_free_text_is_split_but_not_on_the_enumeration_comma(self) -> None:
        self.assertEqual(
            split_names("电子信息，中药、天然药物; 新材料"),
            ["电子信息", "中药、天然药物", "新材料"],
        )


class DrawByFieldTests(CastTestCase):
    """An AI project (电子信息 › 软件) never draws a medical-only expert when
    experts of its field exist."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer, field=None)
        cls.app = make_application(
            cls.call,
            cls.ent_user,
            title="AI辅助病理切片分析软件",
            field=ProfessionalField.objects.get(code="0101"),
            state=Application.State.UNDER_REVIEW,
        )
        cls.medical = [
            make_expert(
                UserFactory(role=Role.EXPERT), f"医学专家{i}", fields="生物与新医药"
            )
            for i in range(3)
        ]
        cls.broad = make_expert(
            UserFactory(role=Role.EXPERT), "电子信息专家", fields="电子信息"
        )
        cls.exact = make_expert(
            UserFactory(role=Role.EXPERT), "软件专家", fields="软件"
        )
        cls.sibling = make_expert(
            UserFactory(role=Role.EXPERT), "通信专家", fields="通信技术"
        )

    def test_candidates_are_of_the_field_or_its_parent(self) -> None:
        names = {e.name for e in expert_candidates(application=self.app)}
        self.assertEqual(names, {"电子信息专家", "软件专家"})

    def test_the_draw_never_takes_a_medical_expert(self) -> None:
        for seed in range(5):
            self.app.assignments.all().delete()
            drawn = reviewers_draw(
                application=self.app, by=self.officer, count=2, rng=random.Random(seed)
            )
            self.assertNotIn(
                "生物与新医药",
                {f.name for a in drawn for f in a.expert.fields.all()},
            )

    def test_a_call_of_a_whole_field_takes_its_sub_field_experts(self) -> None:
        self.app.field = None
        self.app.save(update_fields=["field"])
        self.call.field = ProfessionalField.objects.get(code="01")
        self.call.save(update_fields=["field"])
        self.app.refresh_from_db()
        names = {e.name for e in expert_candidates(application=self.app)}
        self.assertEqual(names, {"电子信息专家", "软件专家", "通信专家"})

    def test_no_field_means_every_expert(self) -> None:
        self.app.field = None
        self.app.save(update_fields=["field"])
        names = {e.name for e in expert_candidates(application=self.app)}
        self.assertTrue({"医学专家0", "软件专家"} <= names)


class FieldApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)

    def _create(self, field: str) -> object:
        self.client.force_login(self.ent_user)
        return self.client.post(
            "/api/v1/applications/",
            {
                "call": self.call.pk,
                "title": "智能网关",
                "summary": "边缘计算",
                "requested_amount": "100000",
                "field": field,
            },
            content_type="application/json",
        )

    def test_the_field_is_given_as_code_and_name(self) -> None:
        response = self._create("0101")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            (response.json()["field"], response.json()["field_name"]), ("0101", "软件")
        )
        call = self.client.get(f"/api/v1/calls/{self.call.pk}/").json()
        self.assertEqual((call["field"], call["field_name"]), ("01", "电子信息"))

    def test_a_name_is_still_accepted(self) -> None:
        response = self._create("电子信息")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["field"], "01")

    def test_an_unknown_field_is_refused(self) -> None:
        response = self._create("人工智能")
        self.assertEqual(response.status_code, 400)
        self.assertIn("人工智能", response.content.decode())


class FreeTextMigrationTests(TransactionTestCase):
    """0006 maps a text that names a field and leaves the rest empty."""

    before = [("projects", "0008_professional_fields")]
    after = [("projects", "0010_drop_free_text_fields")]

    def tearDown(self) -> None:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    def test_texts_are_mapped_where_they_name_a_field(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate([("projects", "0004_english_msgids")])
        executor.loader.build_graph()
        executor.migrate(self.before)
        old = executor.loader.project_state(self.before).apps
        Expert = old.get_model("projects", "Expert")
        expert = Expert.objects.create(name="周教授", fields_text="电子信息，医疗器械")
        executor.loader.build_graph()
        executor.migrate(self.after)
        new = executor.loader.project_state(self.after).apps
        migrated = new.get_model("projects", "Expert").objects.get(pk=expert.pk)
        self.assertEqual(
            list(migrated.fields.values_list("name", flat=True)), ["电子信息"]
        )


class ServiceCompatibilityTests(CastTestCase):
    """Callers written before the list still pass text to the services."""

    def test_names_and_codes_are_read_by_the_services(self) -> None:
        from projects.services.applications import application_update

        call = make_call(self.officer, fields="电子信息")
        self.assertEqual(call.field.code, "01")
        self.assertIsNone(make_call(self.officer, fields="新材料,航空航天").field)
        app = make_application(call, self.ent_user, state=Application.State.DRAFT)
        application_update(application=app, by=self.ent_user, field="0101")
        self.assertEqual(app.field.name, "软件")
        with self.assertRaises(ValidationError):
            application_update(application=app, by=self.ent_user, field="人工智能")


class FieldAdminTests(CastTestCase):
    """The administrator keeps the list in /admin/, audited."""

    def test_adding_a_field_and_changing_an_experts_fields_are_audited(self) -> None:
        from bureau.models import AuditEvent

        self.client.force_login(self.admin)
        added = self.client.post(
            "/admin/projects/professionalfield/add/",
            {
                "code": "0109",
                "name": "人工智能",
                "parent": ProfessionalField.objects.get(code="01").pk,
                "is_active": "on",
            },
        )
        self.assertEqual(added.status_code, 302, added.content[:2000])
        self.assertTrue(
            AuditEvent.objects.filter(action="config.professionalfield.create").exists()
        )
        expert = make_expert(self.expert, "周教授", fields="生物与新医药")
        ai = ProfessionalField.objects.get(code="0109")
        changed = self.client.post(
            f"/admin/projects/expert/{expert.pk}/change/",
            {
                "user": self.expert.pk,
                "name": "周教授",
                "organisation": "浙江工业大学",
                "fields": [ai.pk],
                "phone": "",
                "email": "",
                "is_active": "on",
                "conflicts-TOTAL_FORMS": "0",
                "conflicts-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(changed.status_code, 302, changed.content[:3000])
        event = AuditEvent.objects.filter(action="config.expert.update").latest("pk")
        self.assertEqual(event.changes, {"fields": [["02"], ["0109"]]})
