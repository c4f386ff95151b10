"""外国人来华工作分类 (RULES §10; CALCULATORS_API.md): the points table as
data at its band edges, every route, the API and the 政策测算 page; and
ages counted from the full date of birth."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.test import SimpleTestCase

from bureau.tests.base import CastTestCase
from talent.models import Talent, age_on
from talent.points import PointsInput, permit_points
from talent.services import talent_create, talent_update, team_create, team_warnings
from talent.tests.test_talent_privacy import ID_NUMBER

URL = "/api/v1/calculators/work-permit/"
PAGE = "/calculators/work-permit/"
AVERAGE = Decimal(100_000)


def points_of(code: str, **kwargs: Any) -> int:
    kwargs.setdefault("local_average_salary", AVERAGE)
    return int(permit_points(PointsInput(**kwargs)).breakdown[code]["points"])


def assess(**kwargs: Any) -> Any:
    kwargs.setdefault("local_average_salary", AVERAGE)
    return permit_points(PointsInput(**kwargs))


class PointsTableTests(SimpleTestCase):
    def test_salary_bands_include_their_lower_bound(self) -> None:
        for salary, points in [
            ("450000", 20),
            ("449999.99", 17),
            ("350000", 17),
            ("250000", 14),
            ("150000", 11),
            ("70000", 8),
            ("50000", 5),
            ("49999.99", 0),
        ]:
            with self.subTest(salary):
                self.assertEqual(
                    points_of("salary", annual_salary=Decimal(salary)), points
                )

    def test_months_per_year_bands(self) -> None:
        for months, points in [
            (12, 15),
            (9, 15),
            (8, 10),
            (6, 10),
            (5, 5),
            (3, 5),
            (2, 0),
        ]:
            with self.subTest(months):
                self.assertEqual(
                    points_of("months_per_year", months_per_year=months), points
                )

    def test_experience_from_two_years_plus_one_a_year_to_twenty(self) -> None:
        for years, points in [
            (0, 0),
            (1, 0),
            (2, 5),
            (3, 6),
            (17, 20),
            (18, 20),
            (30, 20),
        ]:
            with self.subTest(years):
                self.assertEqual(points_of("work_years", work_years=years), points)

    def test_age_bands_both_ends_inclusive(self) -> None:
        for age, points in [
            (17, 0),
            (18, 10),
            (25, 10),
            (26, 15),
            (45, 15),
            (46, 10),
            (55, 10),
            (56, 5),
            (60, 5),
            (61, 0),
        ]:
            with self.subTest(age):
                self.assertEqual(points_of("age", age=age), points)

    def test_education_chinese_region_and_bonuses(self) -> None:
        self.assertEqual(points_of("education", education="doctorate"), 20)
        self.assertEqual(points_of("education", education="master"), 15)
        self.assertEqual(points_of("education", education="bachelor"), 10)
        self.assertEqual(points_of("education", education="other"), 0)
        self.assertEqual(points_of("chinese_level", chinese_level=5), 5)
        self.assertEqual(points_of("region", region_bonus=True), 10)
        # The "other bonus" item is worth 5 at most, however many apply.
        self.assertEqual(points_of("other_bonus", other_bonus_items=["fortune_500"]), 5)
        self.assertEqual(
            points_of(
                "other_bonus",
                other_bonus_items=[
                    "fortune_500",
                    "top_university",
                    "five_years_in_china",
                ],
            ),
            5,
        )
        self.assertEqual(points_of("local_bonus", local_bonus=10), 10)
        self.assertEqual(points_of("local_bonus", local_bonus=15), 10)

    def test_the_table_is_data_read_at_call_time(self) -> None:
        table = {**settings.WORK_PERMIT["points"], "months_per_year": [[10, 15]]}
        with self.settings(WORK_PERMIT={**settings.WORK_PERMIT, "points": table}):
            self.assertEqual(points_of("months_per_year", months_per_year=9), 0)
        self.assertEqual(points_of("months_per_year", months_per_year=9), 15)


class RouteTests(SimpleTestCase):
    def test_bachelor_with_three_years_is_b_not_c(self) -> None:
        result = assess(
            annual_salary=Decimal(200_000), education="bachelor", work_years=3, age=29
        )
        self.assertLess(result.total, 60)
        self.assertEqual(result.permit_class, "B")
        self.assertEqual([r["route"] for r in result.routes], ["education_experience"])
        self.assertIn("学士及以上学位和3年相关工作经历", result.routes[0]["message"])

    def test_experience_boundary_is_two_years(self) -> None:
        self.assertEqual(assess(education="bachelor", work_years=2).permit_class, "B")
        self.assertEqual(assess(education="bachelor", work_years=1).permit_class, "C")
        self.assertEqual(assess(education="other", work_years=10).permit_class, "C")
        self.assertEqual(assess(education="doctorate", work_years=2).permit_class, "B")

    def test_points_route_at_60_and_85(self) -> None:
        # doctorate 20 + 45万 20 + 17 years 20 + 12 months 15 + age 40 15 = 90
        high = assess(
            annual_salary=Decimal(450_000),
            education="doctorate",
            work_years=17,
            months_per_year=12,
            age=40,
            local_average_salary=Decimal(1_000_000),
        )
        self.assertEqual(high.total, 90)
        self.assertEqual(high.permit_class, "A")
        self.assertIn("points", [r["route"] for r in high.routes])
        # 85 exactly: drop 5 from experience (12 years → 15 points).
        edge = assess(
            annual_salary=Decimal(450_000),
            education="doctorate",
            work_years=12,
            months_per_year=12,
            age=40,
            local_average_salary=Decimal(1_000_000),
        )
        self.assertEqual(edge.total, 85)
        self.assertEqual(edge.permit_class, "A")
        below = assess(
            annual_salary=Decimal(450_000),
            education="doctorate",
            work_years=11,
            months_per_year=12,
            age=40,
            local_average_salary=Decimal(1_000_000),
        )
        self.assertEqual(below.total, 84)
        # 84 points is B by points (and B by education and experience).
        self.assertEqual(below.permit_class, "B")
        self.assertEqual(
            {r["route"] for r in below.routes}, {"points", "education_experience"}
        )
        # 60 exactly, with no degree: B by points only.
        sixty = assess(
            annual_salary=Decimal(450_000),
            education="other",
            work_years=7,
            months_per_year=9,
            age=30,
            local_average_salary=Decimal(1_000_000),
        )
        self.assertEqual(sixty.total, 20 + 10 + 15 + 15)
        self.assertEqual(sixty.permit_class, "B")
        self.assertEqual([r["route"] for r in sixty.routes], ["points"])

    def test_salary_multiple_exactly_six_and_four_times(self) -> None:
        a = assess(annual_salary=Decimal(600_000), education="other")
        self.assertEqual(a.permit_class, "A")
        self.assertEqual([r["route"] for r in a.routes], ["salary_multiple"])
        self.assertIn("6.00倍", a.routes[0]["message"])
        just_below = assess(annual_salary=Decimal("599999.99"), education="other")
        self.assertEqual(just_below.permit_class, "B")
        self.assertEqual(
            assess(annual_salary=Decimal(400_000), education="other").permit_class,
            "B",
        )
        self.assertEqual(
            assess(annual_salary=Decimal("399999.99"), education="other").permit_class,
            "C",
        )

    def test_salary_multiple_uses_the_setting_by_default(self) -> None:
        with self.settings(
            WORK_PERMIT={**settings.WORK_PERMIT, "local_average_salary": "150000"}
        ):
            result = permit_points(PointsInput(annual_salary=Decimal(600_000)))
            self.assertEqual(result.permit_class, "B")
            self.assertIn("15万元", result.routes[0]["message"])

    def test_achievement_route_gives_a(self) -> None:
        result = assess(achievements=["international_award"], education="other")
        self.assertEqual(result.permit_class, "A")
        self.assertEqual(result.routes[0]["route"], "achievement")
        self.assertIn("获得国际公认的重要奖项", result.routes[0]["message"])

    def test_class_c_lists_no_route_but_every_ground_explains(self) -> None:
        result = assess(education="bachelor", work_years=1)
        self.assertEqual(result.permit_class, "C")
        self.assertEqual(result.routes, [])
        self.assertEqual(
            [g["route"] for g in result.grounds],
            ["points", "education_experience", "salary_multiple", "achievement"],
        )
        self.assertTrue(all(g["message"] for g in result.grounds))


class WorkPermitApiTests(CastTestCase):
    body = {
        "annual_salary": "300000",
        "local_average_salary": "120000",
        "education": "bachelor",
        "work_years": 3,
        "months_per_year": 5,
        "chinese_level": 2,
        "age": 29,
    }

    def test_contract_shape_for_any_signed_in_user(self) -> None:
        for user in (self.ent_user, self.officer, self.expert):
            self.client.force_login(user)
            response = self.post_json(URL, self.body)
            self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(set(body), {"points", "breakdown", "class", "routes"})
        self.assertEqual(body["points"], 14 + 10 + 6 + 5 + 2 + 15)
        self.assertEqual(body["class"], "B")
        self.assertEqual(body["breakdown"]["months_per_year"]["points"], 5)
        self.assertEqual(
            body["routes"],
            [
                {
                    "route": "education_experience",
                    "class": "B",
                    "message": "具有学士及以上学位和3年相关工作经历（不少于2年），属B类。",
                }
            ],
        )

    def test_achievements_and_bonus_items_are_codes_from_the_data(self) -> None:
        self.client.force_login(self.ent_user)
        ok = self.post_json(
            URL,
            {
                **self.body,
                "achievements": ["talent_programme"],
                "other_bonus_items": ["intellectual_property"],
                "region_bonus": True,
                "local_bonus": 10,
            },
        )
        self.assertEqual(ok.json()["class"], "A")
        self.assertEqual(ok.json()["breakdown"]["other_bonus"]["points"], 5)
        self.assertEqual(ok.json()["breakdown"]["region"]["points"], 10)
        for field, value in [
            ("achievements", ["nobel_prize_someday"]),
            ("other_bonus_items", ["世界500强"]),
            ("local_bonus", 11),
            ("education", "phd"),
            ("chinese_level", 6),
            ("months_per_year", 13),
            ("annual_salary", "-1"),
            ("local_average_salary", "0"),
            ("age", 15),
        ]:
            with self.subTest(field):
                response = self.post_json(URL, {**self.body, field: value})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()["errors"]), [field])

    def test_anonymous_is_refused(self) -> None:
        self.assertIn(self.post_json(URL, self.body).status_code, (401, 403))


class WorkPermitPageTests(CastTestCase):
    form = {
        "annual_salary": "30",
        "local_average_salary": "12",
        "education": "bachelor",
        "work_years": "3",
        "months_per_year": "10",
        "chinese_level": "2",
        "age": "29",
        "local_bonus": "",
    }

    def test_enterprise_user_sees_the_class_and_the_breakdown(self) -> None:
        self.client.force_login(self.ent_user)
        blank = self.client.get(PAGE)
        self.assertContains(blank, "外国人来华工作许可分类测算")
        self.assertContains(blank, "获得国际公认的重要奖项")
        page = self.client.post(PAGE, self.form)
        self.assertContains(page, "测算结果：B类")
        self.assertContains(page, "年薪为本地区上年度社会平均工资（12万元）的2.50倍")
        self.assertContains(page, '<th class="num">62</th>', html=True)

    def test_errors_stand_beside_the_field(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.post(PAGE, {**self.form, "age": "12", "local_bonus": "11"})
        self.assertContains(page, 'class="field has-error"', count=2)
        self.assertContains(page, 'value="30"')
        self.assertNotContains(page, "测算结果")


class PermitCaseSuggestionTests(CastTestCase):
    def test_case_api_suggests_the_class_of_every_route(self) -> None:
        expert = talent_create(by=self.officer, name="Kenji Tanaka", nationality="JP")
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/permit-cases/",
            {
                "talent": expert.pk,
                "annual_salary_wan": "22",
                "education": "bachelor",
                "work_years": 3,
                "months_per_year": 10,
                "chinese_level": 2,
                "age": 29,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["permit_class"], "B")
        self.assertEqual(response.json()["points"], 11 + 10 + 6 + 15 + 2 + 15)
        page = self.client.get(f"/talent/{expert.pk}/")
        self.assertContains(
            page,
            "建议类别的依据： 具有学士及以上学位和3年相关工作经历（不少于2年），属B类。",
        )


class ExactAgeTests(CastTestCase):
    def test_age_turns_on_the_birthday_not_on_new_year(self) -> None:
        born = date(1970, 6, 15)
        self.assertEqual(age_on(born, date(2026, 6, 14)), 55)
        self.assertEqual(age_on(born, date(2026, 6, 15)), 56)
        self.assertEqual(age_on(born, date(2026, 1, 1)), 55)
        leap = date(2000, 2, 29)
        self.assertEqual(age_on(leap, date(2026, 2, 28)), 25)
        self.assertEqual(age_on(leap, date(2026, 3, 1)), 26)

    def test_the_id_number_gives_the_full_date(self) -> None:
        person = talent_create(by=self.officer, name="刘博士", id_number=ID_NUMBER)
        born = date(int(ID_NUMBER[6:10]), int(ID_NUMBER[10:12]), int(ID_NUMBER[12:14]))
        self.assertEqual(person.birth_date, born)
        self.assertEqual(person.birth_year, born.year)
        day_before = date(born.year + 40, born.month, born.day) - timedelta(days=1)
        self.assertEqual(person.age_on(day_before), 39)
        self.assertEqual(person.age_on(date(born.year + 40, born.month, born.day)), 40)

    def test_leader_is_55_until_the_day_before_the_56th_birthday(self) -> None:
        leader = talent_create(
            by=self.officer, name="带头人", birth_date=date(1970, 6, 15)
        )
        crew = [
            talent_create(by=self.officer, name=f"骨干{i}", birth_year=1990)
            for i in range(5)
        ]
        team = team_create(by=self.officer, name="团队", leader=leader, members=crew)
        # Born in 1970: by the year alone 56 all through 2026.
        self.assertEqual(team_warnings(team, on=date(2026, 6, 14)), [])
        self.assertEqual(
            team_warnings(team, on=date(2026, 6, 15)), ["带头人56岁，超过55岁"]
        )

    def test_a_date_of_birth_against_the_id_number_is_refused(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            talent_create(
                by=self.officer,
                name="错配",
                id_number=ID_NUMBER,
                birth_date=date(1901, 1, 1),
            )
        person = talent_create(by=self.officer, name="后补", birth_year=1980)
        talent_update(talent=person, by=self.officer, birth_date=date(1981, 3, 2))
        person = Talent.objects.get(pk=person.pk)
        self.assertEqual(
            (person.birth_year, person.birth_date), (1981, date(1981, 3, 2))
        )
