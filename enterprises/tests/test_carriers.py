"""Carriers as data: hosts of any kind, yearly figures edited as a table and
imported, the summary figures, and the coverage of 规上 enterprises by R&D
institutions (a computed indicator)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    Carrier,
    CarrierType,
    CarrierYear,
    Enterprise,
    InstitutionType,
    RDInstitution,
)
from enterprises.selectors import carrier_figures, rd_institution_coverage_by_street
from enterprises.services import (
    CooperationImportError,
    carrier_save,
    carrier_years_import,
    carrier_years_save,
    enterprise_update,
)
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_cooperation import workbook
from indicators.models import DataValue, Indicator
from indicators.services.computed import indicators_recompute

YEAR_HEADERS = [
    "载体名称",
    "年度",
    "在孵企业数",
    "毕业企业数",
    "新增入驻企业数",
    "考核等级",
    "备注",
]


class CarrierCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.university = EnterpriseFactory(
            kind=Enterprise.Kind.UNIVERSITY, org_unit=cls.street_a
        )
        cls.incubator = CarrierType.objects.get(code="incubator")
        cls.carrier = carrier_save(
            carrier=Carrier(
                name="运河智慧谷科技企业孵化器",
                type=cls.incubator,
                level="provincial",
                org_unit=cls.street_a,
                host=cls.university,
                recognised_on=date(2020, 12, 1),
            ),
            by=cls.officer,
        )
        cls.other = carrier_save(
            carrier=Carrier(
                name="湖墅众创空间",
                type=CarrierType.objects.get(code="makerspace"),
                level="municipal",
                org_unit=cls.street_b,
            ),
            by=cls.officer,
        )

    def formset_post(self, rows: list[dict[str, str]], initial: int = 0) -> dict:
        data = {
            "years-TOTAL_FORMS": str(len(rows)),
            "years-INITIAL_FORMS": str(initial),
        }
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"years-{index}-{key}"] = value
        return data


class CarrierYearsServiceTests(CarrierCase):
    def test_it_adds_replaces_and_deletes_years(self) -> None:
        saved = carrier_years_save(
            carrier=self.carrier,
            by=self.officer,
            rows=[
                {"year": 2024, "incubating": 40, "graduated": 5, "grade": "good"},
                {"year": 2025, "incubating": 48, "graduated": 6},
            ],
        )
        self.assertEqual((saved.created, saved.updated, saved.deleted), (2, 0, 0))
        saved = carrier_years_save(
            carrier=self.carrier,
            by=self.officer,
            rows=[{"year": 2025, "incubating": 50, "graduated": 6}],
            delete_years=[2024],
        )
        self.assertEqual((saved.created, saved.updated, saved.deleted), (0, 1, 1))
        self.assertEqual(
            list(self.carrier.years.values_list("year", "incubating")), [(2025, 50)]
        )
        self.assertEqual(
            AuditEvent.objects.filter(action__startswith="carrier_year.").count(), 4
        )

    def test_a_year_given_twice_is_refused_whole(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            carrier_years_save(
                carrier=self.carrier,
                by=self.officer,
                rows=[
                    {"year": 2025, "incubating": 40},
                    {"year": 2025, "incubating": 41},
                ],
            )
        self.assertIn("rows[1].year", raised.exception.message_dict)
        self.assertFalse(CarrierYear.objects.exists())


class CarrierPageTests(CarrierCase):
    def test_the_table_saves_rows_and_shows_errors_beside_cells(self) -> None:
        self.client.force_login(self.officer)
        url = f"/carriers/{self.carrier.pk}/"
        response = self.client.post(
            url,
            self.formset_post(
                [
                    {
                        "year": "2025",
                        "incubating": "48",
                        "graduated": "6",
                        "new_residents": "12",
                        "grade": "good",
                    }
                ]
            ),
        )
        self.assertRedirects(response, url)
        row = CarrierYear.objects.get(carrier=self.carrier)
        # A duplicate year and a negative count: refused, what was typed kept.
        response = self.client.post(
            url,
            self.formset_post(
                [
                    {
                        "id": str(row.pk),
                        "year": "2025",
                        "incubating": "48",
                        "graduated": "6",
                        "new_residents": "12",
                        "grade": "good",
                    },
                    {
                        "year": "2025",
                        "incubating": "7",
                        "graduated": "0",
                        "new_residents": "0",
                    },
                ],
                initial=1,
            ),
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "2025 年度填写了两次", status_code=400)
        self.assertEqual(CarrierYear.objects.count(), 1)
        response = self.client.post(
            url,
            self.formset_post(
                [
                    {
                        "year": "2024",
                        "incubating": "-3",
                        "graduated": "0",
                        "new_residents": "0",
                    }
                ]
            ),
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="-3"', status_code=400)
        self.assertEqual(CarrierYear.objects.count(), 1)

    def test_a_row_is_deleted_by_its_box(self) -> None:
        row = CarrierYear.objects.create(carrier=self.carrier, year=2024, incubating=3)
        self.client.force_login(self.officer)
        self.client.post(
            f"/carriers/{self.carrier.pk}/",
            self.formset_post(
                [
                    {
                        "id": str(row.pk),
                        "year": "2024",
                        "incubating": "3",
                        "graduated": "0",
                        "new_residents": "0",
                        "DELETE": "on",
                    }
                ],
                initial=1,
            ),
        )
        self.assertFalse(CarrierYear.objects.exists())

    def test_a_liaison_reads_their_streets_carriers_only(self) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get("/carriers/")
        self.assertEqual([c.pk for c in page.context["page"]], [self.carrier.pk])
        self.assertEqual(
            self.client.get(f"/carriers/{self.other.pk}/").status_code, 404
        )
        mine = self.client.get(f"/carriers/{self.carrier.pk}/")
        self.assertEqual(mine.status_code, 200)
        self.assertNotContains(mine, "保存年度数据")
        self.assertEqual(
            self.client.post(f"/carriers/{self.carrier.pk}/", {}).status_code, 403
        )
        self.assertEqual(self.client.get("/carriers/new/").status_code, 403)

    def test_the_list_filters_by_type_and_grade(self) -> None:
        CarrierYear.objects.create(
            carrier=self.carrier, year=2025, incubating=48, grade="excellent"
        )
        self.client.force_login(self.officer)
        by_type = self.client.get("/carriers/?type=makerspace&year=2025")
        self.assertEqual([c.pk for c in by_type.context["page"]], [self.other.pk])
        by_grade = self.client.get("/carriers/?grade=excellent&year=2025")
        page = by_grade.context["page"]
        self.assertEqual([c.pk for c in page], [self.carrier.pk])
        self.assertEqual(page[0].year_incubating, 48)

    def test_staff_create_a_carrier_hosted_by_a_university(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/carriers/new/",
            {
                "name": "运河湾产业创新服务综合体",
                "type": CarrierType.objects.get(code="service_complex").pk,
                "level": "provincial",
                "org_unit": self.street_a.pk,
                "host": self.university.pk,
                "recognised_on": "2024-06-30",
            },
        )
        created = Carrier.objects.get(name="运河湾产业创新服务综合体")
        self.assertRedirects(response, f"/carriers/{created.pk}/")
        self.assertEqual(created.host, self.university)

    def test_the_list_and_api_run_a_fixed_number_of_queries(self) -> None:
        for n in range(6):
            carrier = carrier_save(
                carrier=Carrier(
                    name=f"孵化器{n}",
                    type=self.incubator,
                    level="district",
                    org_unit=self.street_a,
                    host=self.university,
                ),
                by=self.officer,
            )
            CarrierYear.objects.create(carrier=carrier, year=2025, incubating=n)
        self.client.force_login(self.officer)
        # Session and user; the filter form's carrier types and streets;
        # count; the page of carriers with the year's figures.
        with self.assertNumQueries(6):
            self.client.get("/carriers/?year=2025")
        # Session and user; count; the page; its residents.
        with self.assertNumQueries(5):
            self.client.get("/api/v1/carriers/")


class CarrierYearsApiTests(CarrierCase):
    def test_staff_post_a_year_and_posting_again_replaces_it(self) -> None:
        self.client.force_login(self.officer)
        url = f"/api/v1/carriers/{self.carrier.pk}/years/"
        first = self.post_json(url, {"year": 2025, "incubating": 40, "grade": "good"})
        self.assertEqual(first.status_code, 201, first.content)
        again = self.post_json(url, {"year": 2025, "incubating": 44})
        self.assertEqual(again.json()["incubating"], 44)
        self.assertEqual(self.client.get(url).json()["count"], 1)
        bad = self.post_json(url, {"year": 2025, "incubating": -1})
        self.assertEqual(bad.status_code, 400)

    def test_a_liaison_reads_and_may_not_write(self) -> None:
        self.client.force_login(self.liaison)
        url = f"/api/v1/carriers/{self.carrier.pk}/years/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(
            self.post_json(url, {"year": 2025, "incubating": 1}).status_code, 403
        )
        other = f"/api/v1/carriers/{self.other.pk}/years/"
        self.assertEqual(self.client.get(other).status_code, 404)

    def test_the_carrier_api_takes_a_type_code_and_a_host(self) -> None:
        self.client.force_login(self.officer)
        answer = self.post_json(
            "/api/v1/carriers/",
            {
                "name": "祥符智造加速器",
                "kind": "accelerator",
                "level": "municipal",
                "org_unit": "330105001",
                "host": self.university.pk,
            },
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(answer.json()["kind_name"], "加速器")


class CarrierYearsImportTests(CarrierCase):
    def test_every_bad_cell_is_named_and_nothing_is_written(self) -> None:
        file = workbook(
            YEAR_HEADERS,
            {"载体名称": "运河智慧谷科技企业孵化器", "年度": 2025, "在孵企业数": 40},
            {"载体名称": "不存在的孵化器", "年度": 2025, "在孵企业数": 3},
            {
                "载体名称": "湖墅众创空间",
                "年度": "二〇二五",
                "在孵企业数": -2,
                "考核等级": "很好",
            },
            {"载体名称": "运河智慧谷科技企业孵化器", "年度": 2025, "在孵企业数": 41},
        )
        with self.assertRaises(CooperationImportError) as raised:
            carrier_years_import(file=file, by=self.officer)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {
                (3, "载体名称"),
                (4, "年度"),
                (4, "在孵企业数"),
                (4, "考核等级"),
                (5, "年度"),
            },
        )
        self.assertFalse(CarrierYear.objects.exists())

    def test_it_imports_and_replaces(self) -> None:
        CarrierYear.objects.create(carrier=self.carrier, year=2025, incubating=1)
        file = workbook(
            YEAR_HEADERS,
            {
                "载体名称": "运河智慧谷科技企业孵化器",
                "年度": 2025,
                "在孵企业数": 48,
                "毕业企业数": 6,
                "考核等级": "优秀",
            },
            {"载体名称": "湖墅众创空间", "年度": 2025, "在孵企业数": 20},
        )
        result = carrier_years_import(file=file, by=self.officer)
        self.assertEqual((result.created, result.updated), (1, 1))
        row = CarrierYear.objects.get(carrier=self.carrier, year=2025)
        self.assertEqual((row.incubating, row.grade), (48, "excellent"))


class CarrierFiguresTests(CarrierCase):
    def test_it_counts_carriers_and_the_years_figures(self) -> None:
        CarrierYear.objects.create(
            carrier=self.carrier, year=2025, incubating=48, graduated=6, grade="good"
        )
        CarrierYear.objects.create(
            carrier=self.other, year=2025, incubating=12, new_residents=4
        )
        CarrierYear.objects.create(carrier=self.other, year=2024, incubating=99)
        figures = carrier_figures(2025)
        self.assertEqual(figures["carriers"], 2)
        self.assertEqual(
            figures["carriers_by_type"],
            {"科技企业孵化器": {"provincial": 1}, "众创空间": {"municipal": 1}},
        )
        self.assertEqual(
            (figures["incubating"], figures["graduated"], figures["new_residents"]),
            (60, 6, 4),
        )
        self.assertEqual(figures["grades"], {"good": 1})
        self.assertEqual(carrier_figures(2019)["carriers"], 1)  # other has no date


class CoverageIndicatorTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        centre = InstitutionType.objects.get(code="rd_centre")
        a1, _a2_no_institution, b1 = (
            EnterpriseFactory(org_unit=cls.street_a, is_above_scale=True),
            EnterpriseFactory(org_unit=cls.street_a, is_above_scale=True),
            EnterpriseFactory(org_unit=cls.street_b, is_above_scale=True),
        )
        EnterpriseFactory(org_unit=cls.street_a)  # not 规上
        for host, recognised in ((a1, date(2024, 5, 1)), (b1, date(2026, 3, 1))):
            RDInstitution.objects.create(
                enterprise=host,
                name=f"{host.name}研发中心",
                type=centre,
                level="municipal",
                recognised_on=recognised,
            )
        # A 规上-flagged university's lab never counts: only enterprises do.
        lab_host = EnterpriseFactory(
            org_unit=cls.street_b, is_above_scale=True, kind=Enterprise.Kind.UNIVERSITY
        )
        RDInstitution.objects.create(
            enterprise=lab_host,
            name="重点实验室",
            type=InstitutionType.objects.get(code="key_lab"),
            level="provincial",
            recognised_on=date(2020, 1, 1),
        )

    def test_the_selector_gives_the_share_per_street_and_in_all(self) -> None:
        values = rd_institution_coverage_by_street(year=2025, total_key=0)
        self.assertEqual(values[self.street_a.pk], Decimal(50))
        self.assertEqual(values[self.street_b.pk], Decimal(0))
        self.assertEqual(values[0].quantize(Decimal("0.0001")), Decimal("33.3333"))
        later = rd_institution_coverage_by_street(year=2026, total_key=0)
        self.assertEqual(later[self.street_b.pk], Decimal(100))

    def test_it_is_a_default_computed_indicator(self) -> None:
        indicator = Indicator.objects.get(code="rd_inst_coverage")
        self.assertEqual(indicator.source, Indicator.Source.RD_INSTITUTION_COVERAGE)
        indicators_recompute(year=2025)
        values = dict(
            DataValue.objects.filter(indicator=indicator, year=2025).values_list(
                "org_unit_id", "value"
            )
        )
        self.assertEqual(values[self.street_a.pk], Decimal("50.0000"))
        self.assertEqual(values[self.district.pk], Decimal("33.3333"))

    def test_a_change_of_the_above_scale_flag_recounts_it(self) -> None:
        indicators_recompute(year=timezone.localdate().year)
        newcomer = EnterpriseFactory(org_unit=self.street_b)
        with self.captureOnCommitCallbacks(execute=True):
            enterprise_update(enterprise=newcomer, by=self.officer, is_above_scale=True)
        value = DataValue.objects.get(
            indicator__code="rd_inst_coverage",
            org_unit=self.street_b,
            year=timezone.localdate().year,
        ).value
        # Street B: the 2026 centre's host and the newcomer, one covered.
        self.assertEqual(value, Decimal("50.0000"))
