"""Every talent view and API checks in one order: an object the user may not
see is a 404, an action the role may never take a 403, a move the state
forbids a 409."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from bureau.tests.base import CastTestCase
from talent.models import Degree
from talent.points import PointsInput
from talent.services import (
    allowance_grant,
    case_document_add,
    permit_case_create,
    talent_create,
)
from talent.tests.factories import AllowanceRuleFactory, CommissionerFactory

MISSING = 999_999


class TalentAccessOrderTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = talent_create(
            by=cls.officer,
            name="甲员工",
            degree=Degree.DOCTORATE,
            employer=cls.enterprise_a,
        )
        cls.theirs = talent_create(
            by=cls.officer, name="乙员工", employer=cls.enterprise_b
        )
        cls.foreign = talent_create(
            by=cls.officer,
            name="Anna Schmidt",
            nationality="DE",
            employer=cls.enterprise_a,
        )
        cls.case = permit_case_create(
            by=cls.officer, talent=cls.foreign, points_input=PointsInput()
        )
        cls.document = case_document_add(
            by=cls.officer,
            case=cls.case,
            title="护照",
            upload=SimpleUploadedFile("p.pdf", b"%PDF-1.7\n" + b"x" * 100),
        )
        cls.commissioner = CommissionerFactory()
        cls.rule = AllowanceRuleFactory()
        allowance_grant(
            by=cls.officer, talent=cls.mine, rule=cls.rule, first_month=date(2026, 1, 1)
        )

    def call(self, user, method: str, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
        self.client.force_login(user)
        if method == "get":
            return self.client.get(path)
        if path.startswith("/api/"):
            send = getattr(self.client, method)
            return send(path, body or {}, content_type="application/json")
        return self.client.post(path, body or {})

    def assert_statuses(self, cases: list[tuple]) -> None:  # type: ignore[type-arg]
        for user, method, path, body, status in cases:
            with self.subTest(user=user.username, method=method, path=path):
                response = self.call(user, method, path, body)
                detail = getattr(response, "content", b"")[:300]
                self.assertEqual(response.status_code, status, detail)

    def test_people(self) -> None:
        mine = f"/api/v1/talents/{self.mine.pk}/"
        theirs = f"/api/v1/talents/{self.theirs.pk}/"
        self.assert_statuses(
            [
                (self.ent_user, "patch", theirs, {"title": "x"}, 404),
                (self.ent_user, "patch", mine, {"title": "x"}, 403),
                (self.leader, "patch", mine, {"title": "x"}, 403),
                (self.officer, "patch", f"/api/v1/talents/{MISSING}/", {}, 404),
                (self.officer, "patch", mine, {"title": "研究员"}, 200),
                (self.leader, "post", "/api/v1/talents/", {"name": "x"}, 403),
                (self.ent_user, "post", "/api/v1/talents/", {"name": "x"}, 403),
                (self.leader, "get", "/talent/new/", None, 403),
                (self.ent_user, "get", f"/talent/{self.theirs.pk}/", None, 404),
                (self.ent_user, "get", f"/talent/{self.mine.pk}/", None, 200),
            ]
        )

    def test_permit_cases_and_documents(self) -> None:
        move = f"/api/v1/permit-cases/{self.case.pk}/move/"
        missing_move = f"/api/v1/permit-cases/{MISSING}/move/"
        upload = f"/talent/permit-cases/{self.case.pk}/documents/"
        self.assert_statuses(
            [
                # Bureau business: a role that may never see it is refused
                # before any lookup, whatever the id.
                (self.ent_user, "post", move, {"move": "submit"}, 403),
                (self.ent_user, "post", missing_move, {"move": "submit"}, 403),
                (self.leader, "post", missing_move, {"move": "submit"}, 404),
                (self.leader, "post", move, {"move": "submit"}, 403),
                (self.officer, "post", move, {"move": "approve"}, 409),
                (self.officer, "post", move, {"move": "fly"}, 400),
                (self.officer, "get", move, None, 405),
                (self.officer, "post", move, {"move": "submit"}, 200),
                (self.ent_user, "post", upload, {}, 403),
                (
                    self.leader,
                    "post",
                    f"/talent/permit-cases/{MISSING}/documents/",
                    {},
                    404,
                ),
                (self.leader, "post", upload, {}, 403),
                (self.officer, "get", upload, None, 405),
                (
                    self.ent_user,
                    "get",
                    f"/talent/documents/{self.document.pk}/",
                    None,
                    403,
                ),
                (self.leader, "get", f"/talent/documents/{MISSING}/", None, 404),
                (
                    self.leader,
                    "get",
                    f"/talent/documents/{self.document.pk}/",
                    None,
                    200,
                ),
                (self.ent_user, "get", "/talent/permit-cases/", None, 403),
            ]
        )

    def test_the_detail_page_links_documents_only_for_those_who_may_open_them(
        self,
    ) -> None:
        link = f"/talent/documents/{self.document.pk}/"
        self.client.force_login(self.ent_user)
        page = self.client.get(f"/talent/{self.foreign.pk}/")
        self.assertContains(page, "护照")
        self.assertNotContains(page, link)
        self.client.force_login(self.leader)
        self.assertContains(self.client.get(f"/talent/{self.foreign.pk}/"), link)

    def test_commissioners(self) -> None:
        pk = self.commissioner.pk
        log = {"served_on": "2025-06-01", "kind": "rnd", "count": 1}
        assess = {"year": 2025, "score": 88}
        self.assert_statuses(
            [
                (self.expert, "post", f"/api/v1/commissioners/{pk}/logs/", log, 403),
                (
                    self.leader,
                    "post",
                    f"/api/v1/commissioners/{MISSING}/logs/",
                    log,
                    404,
                ),
                (self.leader, "post", f"/api/v1/commissioners/{pk}/logs/", log, 403),
                (self.officer, "post", f"/api/v1/commissioners/{pk}/logs/", log, 201),
                (
                    self.expert,
                    "post",
                    f"/api/v1/commissioners/{pk}/assess/",
                    assess,
                    403,
                ),
                (
                    self.leader,
                    "post",
                    f"/api/v1/commissioners/{MISSING}/assess/",
                    assess,
                    404,
                ),
                (
                    self.leader,
                    "post",
                    f"/api/v1/commissioners/{pk}/assess/",
                    assess,
                    403,
                ),
                (
                    self.officer,
                    "post",
                    f"/api/v1/commissioners/{pk}/assess/",
                    assess,
                    200,
                ),
                (self.leader, "post", "/api/v1/commissioners/", {}, 403),
                (self.leader, "get", f"/talent/commissioners/{MISSING}/", None, 404),
                (self.ent_user, "get", f"/talent/commissioners/{pk}/", None, 403),
            ]
        )

    def test_allowances_and_teams(self) -> None:
        grant = {
            "talent": self.mine.pk,
            "rule": self.rule.pk,
            "first_month": "2026-02-01",
        }
        team = {"name": "团队", "leader": self.mine.pk, "members": []}
        self.assert_statuses(
            [
                (self.leader, "post", "/api/v1/allowances/", grant, 403),
                (self.officer, "post", "/api/v1/allowances/", grant, 409),
                (
                    self.leader,
                    "post",
                    "/api/v1/allowance-payments/",
                    {"month": "2026-01"},
                    403,
                ),
                (
                    self.leader,
                    "post",
                    "/talent/allowances/pay/",
                    {"month": "2026-01"},
                    403,
                ),
                (self.officer, "get", "/talent/allowances/pay/", None, 405),
                (self.ent_user, "get", "/talent/allowances/", None, 403),
                (self.leader, "post", "/api/v1/talent-teams/", team, 403),
                (self.officer, "post", "/api/v1/talent-teams/", team, 201),
            ]
        )
