from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import TestCase

from bureau.models import OrgUnit, Role, User
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from enterprises.tests.factories import EnterpriseFactory

# The attribute names of the cast's people, one per role (two enterprises).
CAST_ROLES = (
    "admin",
    "security",
    "auditor",
    "officer",
    "head",
    "leader",
    "liaison",
    "ent_user",
    "outsider",
    "expert",
)


class CastTestCase(TestCase):
    """One person per role, plus two enterprises and two streets:
    `ent_user` belongs to enterprise A, `outsider` to enterprise B."""

    password = PASSWORD

    @classmethod
    def setUpTestData(cls) -> None:
        cls.city = OrgUnitFactory(
            code="330100", name="杭州市", level=OrgUnit.Level.CITY
        )
        cls.district = OrgUnitFactory(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=cls.city,
            is_home=True,
        )
        cls.peer = OrgUnitFactory(
            code="330106", name="西湖区", level=OrgUnit.Level.DISTRICT, parent=cls.city
        )
        cls.street_a = OrgUnitFactory(
            code="330105001", name="米市巷街道", parent=cls.district
        )
        cls.street_b = OrgUnitFactory(
            code="330105002", name="湖墅街道", parent=cls.district
        )
        cls.enterprise_a = EnterpriseFactory(org_unit=cls.street_a)
        cls.enterprise_b = EnterpriseFactory(org_unit=cls.street_b)

        cls.admin = UserFactory(username="admin", role=Role.BUREAU_ADMIN)
        cls.security = UserFactory(username="security", role=Role.SECURITY_ADMIN)
        cls.auditor = UserFactory(username="auditor", role=Role.AUDITOR)
        cls.officer = UserFactory(username="officer", role=Role.STAFF)
        cls.head = UserFactory(username="head", role=Role.SECTION_HEAD)
        cls.leader = UserFactory(username="leader", role=Role.LEADER)
        cls.liaison = UserFactory(
            username="liaison", role=Role.STREET_LIAISON, org_unit=cls.street_a
        )
        cls.ent_user = UserFactory(
            username="alice", role=Role.ENTERPRISE, enterprise=cls.enterprise_a
        )
        cls.outsider = UserFactory(
            username="bob", role=Role.ENTERPRISE, enterprise=cls.enterprise_b
        )
        cls.expert = UserFactory(username="expert", role=Role.EXPERT)

    # JSON requests to the API, as the client's logged-in user unless `extra`
    # carries headers (HTTP_AUTHORIZATION=...).
    def post_json(self, url: str, data: Any = None, **extra: Any) -> HttpResponse:
        return self.client.post(
            url, {} if data is None else data, content_type="application/json", **extra
        )

    def patch_json(self, url: str, data: Any = None, **extra: Any) -> HttpResponse:
        return self.client.patch(
            url, {} if data is None else data, content_type="application/json", **extra
        )

    def token_login(self, username: str, password: str = PASSWORD) -> HttpResponse:
        """Ask the API for a token (with the cast's password unless given)."""
        return self.post_json(
            "/api/v1/auth/token/", {"username": username, "password": password}
        )

    def api_token(self, user: User) -> str:
        response = self.token_login(user.username)
        assert response.status_code == 200, response.content
        return response.json()["token"]
