"""Talent pages in Chinese (汉语水平, 国籍, the line under a name) and the
searchable enterprise picker of the talent form, scoped to the user."""

from __future__ import annotations

from bureau.models import Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from talent.models import Talent
from talent.points import PointsInput
from talent.services import permit_case_create, talent_create


class ChineseLabelTests(CastTestCase):
    def test_chinese_level_and_the_line_under_the_name(self) -> None:
        expert = talent_create(by=self.officer, name="Kenji Tanaka", nationality="JP")
        case = permit_case_create(
            by=self.officer, talent=expert, points_input=PointsInput(chinese_level=2)
        )
        self.assertIn(
            {
                "code": "chinese_level",
                "item": "汉语水平",
                "value": "HSK二级",
                "points": 2,
            },
            case.points_breakdown["items"],
        )
        # A case scored before the level was named keeps the bare number.
        for item in case.points_breakdown["items"]:
            if item["item"] == "汉语水平":
                item["value"] = 2
        case.save(update_fields=["points_breakdown"])
        self.client.force_login(self.officer)
        page = self.client.get(f"/talent/{expert.pk}/")
        self.assertContains(page, "<td>HSK二级</td>", html=True)
        self.assertContains(page, "<dd>日本</dd>", html=True)
        self.assertNotContains(page, "· ·")
        self.assertNotContains(page, '<p class="muted"></p>', html=True)

    def test_the_form_offers_countries_by_chinese_name(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/talent/new/")
        self.assertContains(page, '<option value="US">美国</option>', html=True)
        self.assertContains(page, 'src="/static/js/autocomplete.js"')
        self.assertContains(page, 'data-autocomplete="/enterprises/search/"')
        self.assertContains(page, '<label for="id_employer">')

    def test_the_picker_posts_the_chosen_enterprise(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/talent/new/",
            {
                "name": "Anna Schmidt",
                "nationality": "DE",
                "employer": str(self.enterprise_a.pk),
            },
            follow=True,
        )
        talent = Talent.objects.get(name="Anna Schmidt")
        self.assertEqual(talent.employer, self.enterprise_a)
        self.assertContains(response, "已将Anna Schmidt登记入人才库")
        self.assertContains(response, f"{self.enterprise_a.name}")

    def test_a_bad_choice_keeps_the_form_and_says_what_to_do(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.post(
            "/talent/new/", {"name": "张三", "nationality": "CN", "employer": "999999"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "请在输入后出现的列表中选择工作单位")
        self.assertContains(page, 'value="张三"')


class EnterpriseSearchTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other = EnterpriseFactory(
            name="杭州云河智能科技有限公司", org_unit=cls.street_b
        )
        cls.mine = EnterpriseFactory(
            name="杭州云河检测技术有限公司", org_unit=cls.street_a
        )

    def _names(self, user: object, q: str = "云河") -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get("/enterprises/search/", {"q": q})
        self.assertEqual(response.status_code, 200)
        return [r["name"] for r in response.json()["results"]]

    def test_staff_find_any_enterprise_by_name_or_credit_code(self) -> None:
        self.assertEqual(
            sorted(self._names(self.officer)),
            sorted([self.mine.name, self.other.name]),
        )
        self.assertEqual(
            self._names(self.officer, self.other.credit_code[:12]),
            [self.other.name],
        )

    def test_an_enterprise_user_never_sees_another(self) -> None:
        user = UserFactory(role=Role.ENTERPRISE, enterprise=self.mine)
        self.assertEqual(self._names(user), [self.mine.name])
        self.assertEqual(self._names(user, ""), [self.mine.name])

    def test_a_liaison_sees_their_street_and_an_expert_none(self) -> None:
        self.assertEqual(self._names(self.liaison), [self.mine.name])
        self.assertEqual(self._names(self.expert), [])

    def test_it_needs_a_login(self) -> None:
        response = self.client.get("/enterprises/search/", {"q": "云河"})
        self.assertNotEqual(response.status_code, 200)

    def test_one_query_for_the_results(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/enterprises/search/", {"q": "云河"})  # warm the session
        with self.assertNumQueries(3):  # session, user, the search
            self.client.get("/enterprises/search/", {"q": "云河"})
