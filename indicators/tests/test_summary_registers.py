"""The work summary fills what the data holds (issue 15 item 9): a section
with figures per register, the figures it used to leave out, ranks within a
named comparison group, and next year's targets in the plan."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import time_machine
from django.utils import timezone

from bureau.tests.base import CastTestCase
from bureau.tests.factories import OrgUnitFactory
from enterprises.models import (
    Certification,
    Event,
    FilingStatus,
    QuarterlyReport,
    ScienceBase,
    Tier,
)
from indicators.exports.summary import work_summary_docx as summary_docx
from indicators.models import (
    ComparisonGroup,
    Indicator,
    RDReportingUnit,
    Target,
    TechContract,
)
from indicators.selectors.summary import work_summary_facts
from indicators.tests.factories import value
from projects.models import (
    Application,
    Entitlement,
    Programme,
    Recommendation,
    RewardBatch,
    RewardRule,
    Transition,
    UpwardProject,
    VoucherClaim,
    VoucherScheme,
)
from projects.tests.factories import make_application, make_call, make_programme
from talent.models import Commissioner
from talent.tests.factories import CommissionerFactory

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(NOW, tick=False)
def summary_text(*, year: int, half: int | None = None) -> str:
    document = docx.Document(
        io.BytesIO(summary_docx(work_summary_facts(year=year, half=half)))
    )
    return "\n".join(p.text for p in document.paragraphs)


def section(text: str, heading: str) -> str:
    """The paragraphs under `heading` up to the next numbered heading."""
    start = text.index(heading)
    rest = text[start + len(heading) :]
    ends = [rest.find(f"\n{n}、") for n in "一二三四五六七八九十"]
    ends = [e for e in ends if e >= 0]
    return rest[: min(ends)] if ends else rest


class RegisterSectionsTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        tz = ZoneInfo("Asia/Shanghai")
        # 向上争取: two provincial projects recommended, one approved with
        # funds from above and accepted in 2025.
        province = make_programme(name="省重点研发计划", level="provincial")
        call = make_call(cls.officer, programme=province, year=2025)
        won = make_application(call, cls.ent_user, title="视觉质检平台")
        lost = make_application(call, cls.outsider, title="储能预警装置")
        recommended = Recommendation.objects.create(
            call=call,
            document_number="拱科〔2025〕12号",
            recommended_on=date(2025, 3, 20),
            created_by=cls.officer,
        )
        UpwardProject.objects.create(
            application=won,
            recommendation=recommended,
            state=UpwardProject.State.ACCEPTED,
            decided_on=date(2025, 5, 1),
            funds_from_above=Decimal("800000"),
            local_match=Decimal("200000"),
            midterm_on=date(2025, 8, 1),
            acceptance_on=date(2025, 12, 1),
            new_output_value=Decimal("12000000"),
            new_jobs=35,
        )
        UpwardProject.objects.create(
            application=lost,
            recommendation=recommended,
            state=UpwardProject.State.NOT_APPROVED,
        )
        # The district's own project: accepted in 2025 (its transition).
        district = make_programme(name="区科技计划", level="district")
        own = make_application(
            make_call(cls.officer, programme=district, year=2025),
            cls.ent_user,
            title="工业互联网平台",
            state=Application.State.ACCEPTED,
        )
        moved = Transition.objects.create(
            application=own,
            from_state=Application.State.MIDTERM_PASSED,
            to_state=Application.State.ACCEPTED,
            actor=cls.officer,
        )
        Transition.objects.filter(pk=moved.pk).update(
            at=datetime(2025, 11, 20, 10, 0, tzinfo=tz)
        )
        # Events and 科普.
        for kind, title, people, materials, trained in (
            (Event.Kind.POLICY, "高企申报政策直通车", 120, 300, 0),
            (Event.Kind.SCIENCE_WEEK, "科技活动周", 800, 5000, 0),
            (Event.Kind.COUNTRYSIDE, "科技三下乡", 300, 1500, 260),
        ):
            Event.objects.create(
                kind=kind,
                title=title,
                starts_on=date(2025, 5, 20),
                organiser="区科技局",
                participants=people,
                materials=materials,
                trained=trained,
                created_by=cls.officer,
            )
        ScienceBase.objects.create(
            name="运河科技馆",
            level="municipal",
            host="运河文化发展中心",
            recognised_on=date(2024, 3, 1),
            yearly_visitors=42000,
        )
        # Technology contracts: one output, one absorbed by street A.
        for number, seller, buyer, amount in (
            ("2025330105001", cls.enterprise_a, None, "1500000"),
            ("2025330105002", None, cls.enterprise_a, "500000"),
        ):
            TechContract.objects.create(
                registration_number=number,
                name="机器视觉缺陷检测技术开发",
                kind=TechContract.Kind.DEVELOPMENT,
                seller=seller,
                seller_name=seller.name if seller else "浙江大学",
                buyer=buyer,
                buyer_name=buyer.name if buyer else "宁波某公司",
                direction="out" if seller else "in",
                seller_street=cls.street_a if seller else None,
                buyer_street=cls.street_a if buyer else None,
                contract_amount=Decimal(amount),
                transaction_amount=Decimal(amount),
                registered_on=date(2025, 6, 30),
            )
        # The R&D statistics ledger of 2025: three units, two reporting.
        for name, status, amount, above, before in (
            ("甲公司", "verified", "3000000", True, None),
            ("乙公司", "reported", "1000000", True, "800000"),
            ("区人民医院", "no_activity", None, False, None),
        ):
            RDReportingUnit.objects.create(
                year=2025,
                unit_name=name,
                org_unit=cls.street_a,
                is_above_scale=above,
                status=status,
                amount=Decimal(amount) if amount else None,
                last_year_amount=Decimal(before) if before else None,
            )
        # 旭日: one enterprise in force, Q4 2025 against Q4 2024.
        xuri = Tier.objects.get(code="xuri")
        Certification.objects.create(
            enterprise=cls.enterprise_b,
            tier=xuri,
            year=2024,
            echelon=1,
            issued_on=date(2024, 4, 1),
        )
        for year, revenue, profit in (
            (2024, "10000000", "1000000"),
            (2025, "12500000", "1300000"),
        ):
            QuarterlyReport.objects.create(
                enterprise=cls.enterprise_b,
                year=year,
                quarter=4,
                revenue_ytd=Decimal(revenue),
                profit_ytd=Decimal(profit),
                status=FilingStatus.ACCEPTED,
            )
        # A second 旭日 enterprise without last year's report stays out of the
        # like-for-like growth.
        Certification.objects.create(
            enterprise=cls.enterprise_a,
            tier=xuri,
            year=2025,
            echelon=2,
            issued_on=date(2025, 4, 1),
        )
        QuarterlyReport.objects.create(
            enterprise=cls.enterprise_a,
            year=2025,
            quarter=4,
            revenue_ytd=Decimal("90000000"),
            profit_ytd=Decimal("100000"),
            status=FilingStatus.SUBMITTED,
        )
        # Rewards by rule: the 2024 batch, approved.
        rewards = Programme.objects.create(
            name="科技政策奖励", level="district", kind="reward"
        )
        rule = RewardRule.objects.create(
            programme=rewards,
            name="国高企认定奖励",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=Decimal("200000"),
        )
        batch = RewardBatch.objects.create(
            year=2024, status=RewardBatch.Status.APPROVED, approved_at=timezone.now()
        )
        for enterprise in (cls.enterprise_a, cls.enterprise_b):
            Entitlement.objects.create(
                batch=batch,
                rule=rule,
                enterprise=enterprise,
                amount=Decimal("200000"),
                reason="2024年首次认定国家高新技术企业",
            )
        # Vouchers of 2025: two issued, one redeemed.
        scheme = VoucherScheme.objects.create(
            year=2025,
            quota_total=Decimal("5000000"),
            amount_per_claim=Decimal("20000"),
            annual_cap_per_enterprise=Decimal("100000"),
            full_pay_below=Decimal("10000"),
            copay_ratio=Decimal("0.5"),
        )
        VoucherClaim.objects.create(
            scheme=scheme,
            enterprise=cls.enterprise_a,
            amount=Decimal("20000"),
            status=VoucherClaim.Status.REDEEMED,
            used_amount=Decimal("15000"),
        )
        VoucherClaim.objects.create(
            scheme=scheme, enterprise=cls.enterprise_b, amount=Decimal("20000")
        )
        # Commissioners by kind.
        CommissionerFactory()
        CommissionerFactory()
        CommissionerFactory(kind=Commissioner.Kind.TEAM, name="农技服务团")
        # The further indicators, and a 主城区 group of three districts.
        third = OrgUnitFactory(
            code="330108", name="滨江区", level="district", parent=cls.city
        )
        for code, ours, peer, other in (
            ("hitech_output", "900000", "1200000", "800000"),
            ("patent_applications", "5200", "6100", "4000"),
            ("patent_grants", "3100", "3000", "2000"),
            ("invention_patents", "9000", "12000", "8000"),
            ("population", "110", "120", "60"),
        ):
            value(code, cls.district, 2025, ours)
            value(code, cls.peer, 2025, peer)
            value(code, third, 2025, other)
        value("hitech_output", cls.district, 2024, "800000")
        main = ComparisonGroup.objects.create(name="主城区")
        main.members.set([cls.peer, third])
        # Next year's targets.
        for code, target in (("rd_spending", "150000"), ("tech_contracts", "60000")):
            Target.objects.create(
                indicator=Indicator.objects.get(code=code),
                org_unit=cls.district,
                year=2026,
                value=Decimal(target),
            )
        value("rd_spending", cls.district, 2025, "120000")

    def test_every_register_section_has_figures(self) -> None:
        text = summary_text(year=2025)
        upward = section(text, "向上争取科技项目")
        self.assertIn(
            "推荐上报国家、省、市科技计划项目2项（省级2项）；获批立项1项（省级1项）",
            upward,
        )
        self.assertIn(
            "立项命中率50.0%，争取上级资助资金80万元、落实地方配套资金20万元", upward
        )
        self.assertIn("通过验收1项，验收项目新增产值1200万元、带动就业35人", upward)
        contracts = section(text, "技术市场与成果转化")
        self.assertIn("全区登记技术合同2项，合同成交额200万元", contracts)
        self.assertIn(
            "输出技术合同1项、成交额150万元；吸纳技术合同1项、成交额50万元", contracts
        )
        self.assertIn(
            f"吸纳技术合同成交额居前的街道（园区）为{self.street_a.name}（1项、50万元）",
            contracts,
        )
        rd = section(text, "研发投入统计")
        self.assertIn(
            "2025年度研发统计名录单位3家，已出报研发经费2家（其中新增出报1家）", rd
        )
        self.assertIn("出报研发经费400万元；无研发活动1家", rd)
        self.assertIn(
            "名录内规上企业2家，有研发活动2家，规上企业研发活动覆盖率100.0%", rd
        )
        events = section(text, "科技活动与科普")
        self.assertIn("2025年全年共举办各类科技活动3场", events)
        self.assertIn("参与1220人次", events)
        self.assertIn(
            "开展科普活动2场，参与1100人次，发放科普宣传资料6500份，举办实用技术培训260人次",
            events,
        )
        self.assertIn("全区现有科普基地1家，年接待参观42000人次", events)

    def test_it_prints_the_figures_it_used_to_leave_out(self) -> None:
        text = summary_text(year=2025)
        ladder = section(text, "科技企业梯队培育")
        # 1250万 on 1000万: +25%; profit 130万 on 100万: +30%.
        self.assertIn(
            "主营业务收入1250万元，同比增长25.0%；利润总额130万元，同比增长30.0%",
            ladder,
        )
        self.assertIn(
            "开展旭日计划企业季度监测（在册2家），上年同期可比的1家企业"
            "实现主营业务收入1250万元",
            ladder,
        )
        self.assertIn("（2025年第4季度季度监测累计数）", ladder)
        projects = section(text, "科技项目申报与管理")
        self.assertIn("通过验收1项", projects)
        self.assertIn(
            "兑现2024年度科技政策奖励40万元，惠及企业2家，其中国高企认定奖励40万元（2家），奖励资金待拨付",
            projects,
        )
        talent = section(text, "科技人才引育")
        self.assertIn("个人科技特派员2名、团队科技特派员1个", talent)
        services = section(text, "企业走访与科技服务")
        self.assertIn("发放创新券2张、面额4万元，惠及企业2家", services)
        self.assertIn("已使用1张、抵扣服务费1.5万元，其中已兑付1张、1.5万元", services)
        first = section(text, "科技指标完成情况")
        self.assertIn(
            "全区高新技术产业产值90亿元（截至2025年12月），同比增长12.5%", first
        )
        self.assertIn("专利申请量5200件", first)
        self.assertIn("专利授权量3100件", first)
        # 9000 patents over 110万 people.
        self.assertIn("每万人口发明专利拥有量81.82件", first)

    def test_it_ranks_within_the_named_group(self) -> None:
        first = section(summary_text(year=2025), "科技指标完成情况")
        # Output: 滨江 80亿 < ours 90亿 < 西湖 120亿; 4 districts in the city
        # would include none other, the group holds three.
        self.assertIn("在主城区3个区县中居第2位", first)
        # Grants: ours 3100 is first of three.
        self.assertIn(
            "专利授权量3100件（截至2025年12月），上年同期无可比数据，在主城区3个区县中居第1位",
            first,
        )

    def test_the_plan_lists_next_years_targets(self) -> None:
        text = summary_text(year=2025)
        plan = section(text, "2026年工作计划")
        self.assertIn("2026年全区科技创新工作主要目标是：", plan)
        self.assertIn("全社会R&D经费支出达到15亿元，比2025年增长25.0%。", plan)
        self.assertIn("技术合同成交额达到6亿元。", plan)
        self.assertNotIn("（待撰写）\n", plan.split("（重点工作待撰写）")[0])

    def test_a_rate_imported_in_percent_changes_in_points(self) -> None:
        value("tech_progress_rate", self.district, 2024, "60")
        value("tech_progress_rate", self.district, 2025, "62")
        first = section(summary_text(year=2025), "科技指标完成情况")
        self.assertIn(
            "科技进步贡献率62.00%（截至2025年12月），同比提高2.00个百分点", first
        )

    def test_a_target_is_not_compared_with_part_of_a_year(self) -> None:
        value("rd_spending", self.district, 2026, "20000", month=2)
        Target.objects.create(
            indicator=Indicator.objects.get(code="rd_spending"),
            org_unit=self.district,
            year=2027,
            value=Decimal("180000"),
        )
        # A computed flow of the running year is counted to today.
        value("tech_loans", self.district, 2026, "3000")
        Target.objects.create(
            indicator=Indicator.objects.get(code="tech_loans"),
            org_unit=self.district,
            year=2027,
            value=Decimal("20000"),
        )
        plan = section(summary_text(year=2026), "2027年工作计划")
        self.assertIn("全社会R&D经费支出达到18亿元。", plan)
        self.assertIn("科技贷款发放额达到2亿元。", plan)

    def test_the_half_year_plan_gives_the_years_targets_and_progress(self) -> None:
        value("rd_spending", self.district, 2025, "60000", month=6)
        Target.objects.create(
            indicator=Indicator.objects.get(code="rd_spending"),
            org_unit=self.district,
            year=2025,
            value=Decimal("150000"),
        )
        plan = section(summary_text(year=2025, half=1), "下半年工作计划")
        self.assertIn("对照2025年度目标任务", plan)
        self.assertIn("全社会R&D经费支出全年目标15亿元，上半年完成40.0%。", plan)

    def test_a_year_without_targets_says_so(self) -> None:
        plan = section(summary_text(year=2026), "2027年工作计划")
        self.assertIn("2027年主要指标目标尚未录入", plan)


class DashboardGroupTests(CastTestCase):
    def test_the_default_group_narrows_the_dashboard_ranking(self) -> None:
        from indicators.selectors import dashboard

        third = OrgUnitFactory(
            code="330108", name="滨江区", level="district", parent=self.city
        )
        for unit, amount in (
            (self.district, "100"),
            (self.peer, "300"),
            (third, "200"),
        ):
            value("rd_spending", unit, 2025, amount)
        board = dashboard(year=2025, codes=["rd_spending"])
        self.assertIsNone(board.group)
        self.assertEqual(board.boards[0].district.rank, 3)  # all the city

        group = ComparisonGroup.objects.create(name="主城区", is_default=True)
        group.members.set([third])  # our district counts without being listed
        board = dashboard(year=2025, codes=["rd_spending"])
        self.assertEqual(board.group, "主城区")
        self.assertEqual(
            [f.name for f in board.boards[0].peers], [self.district.name, "滨江区"]
        )
        self.assertEqual(board.boards[0].district.rank, 2)

    def test_only_one_group_serves_the_dashboard(self) -> None:
        from django.core.exceptions import ValidationError

        ComparisonGroup.objects.create(name="主城区", is_default=True)
        with self.assertRaisesMessage(
            ValidationError, "只能有一个比较组用于驾驶舱排名"
        ):
            ComparisonGroup(name="城西", is_default=True).full_clean()


class DefaultIndicatorTests(CastTestCase):
    def test_the_new_indicators_exist_once(self) -> None:
        codes = [
            "hitech_output",
            "hitech_gdp_share",
            "tech_progress_rate",
            "fiscal_st_spending",
            "patent_applications",
            "patent_grants",
        ]
        found = dict(
            Indicator.objects.filter(code__in=codes).values_list("code", "name")
        )
        self.assertEqual(found["hitech_output"], "高新技术产业产值")
        self.assertEqual(found["hitech_gdp_share"], "高新技术产业增加值占GDP比重")
        self.assertEqual(found["tech_progress_rate"], "科技进步贡献率")
        self.assertEqual(found["fiscal_st_spending"], "财政科技支出")
        self.assertEqual(found["patent_applications"], "专利申请量")
        self.assertEqual(found["patent_grants"], "专利授权量")
        share = Indicator.objects.get(code="hitech_gdp_share")
        self.assertEqual(
            (share.numerator.code, share.denominator.code), ("hitech_va", "gdp")
        )

    def test_running_the_migration_again_adds_nothing(self) -> None:
        from importlib import import_module

        from django.apps import apps

        before = Indicator.objects.count()
        import_module(
            "indicators.migrations.0012_comparison_groups_and_default_indicators"
        ).forwards(apps, None)
        self.assertEqual(Indicator.objects.count(), before)


class CooperationAndCarrierSectionsTests(CastTestCase):
    """The summary's 产学研合作 section and the carriers' paragraph, from the
    cooperation and carrier registers (issue 15 items 6 and 8)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from enterprises.models import (
            Agreement,
            Alliance,
            Carrier,
            CarrierType,
            CarrierYear,
            CooperationVisit,
        )

        agreement = Agreement.objects.create(
            kind=Agreement.Kind.UNIVERSITY_DISTRICT,
            title="区校全面战略合作协议",
            district_is_party=True,
            partner_name="浙江工业大学",
            signed_on=date(2025, 3, 18),
            created_by=cls.officer,
        )
        Agreement.objects.create(
            kind=Agreement.Kind.INSTITUTE_ENTERPRISE,
            title="联合研发协议",
            partner_name="中科院宁波材料所",
            signed_on=date(2024, 6, 1),
            created_by=cls.officer,
        )
        CooperationVisit.objects.create(
            agreement=agreement,
            visited_on=date(2025, 9, 2),
            visitors="区科技局",
            created_by=cls.officer,
            projects=3,
            platforms=1,
            talents=2,
            achievements=1,
        )
        Alliance.objects.create(
            kind=Alliance.Kind.CONSORTIUM,
            name="智能网联创新联合体",
            lead=cls.enterprise_a,
            level="provincial",
            founded_on=date(2025, 5, 1),
            created_by=cls.officer,
        )
        kind = CarrierType.objects.filter(name="众创空间").first() or (
            CarrierType.objects.create(code="maker_test", name="众创空间")
        )
        carrier = Carrier.objects.create(
            name="运河创客空间",
            type=kind,
            level="municipal",
            org_unit=cls.street_a,
            recognised_on=date(2025, 7, 1),
        )
        CarrierYear.objects.create(
            carrier=carrier,
            year=2025,
            incubating=28,
            graduated=4,
            new_residents=9,
            grade=CarrierYear.Grade.GOOD,
        )

    def test_cooperation_and_carriers_have_figures(self) -> None:
        text = summary_text(year=2025)
        coop = section(text, "产学研合作")
        self.assertIn("新签合作协议1项（校地合作1项），有效期内合作协议2项", coop)
        self.assertIn(
            "开展合作回访1次，促成合作项目3项、共建平台1个、引进人才2人、转化成果1项",
            coop,
        )
        self.assertIn(
            "全区现有创新联合体和产业技术创新联盟1家（省级创新联合体1家），其中当年新组建1家",
            coop,
        )
        carriers = section(text, "创新平台载体建设")
        self.assertIn("众创空间1家", carriers)
        self.assertIn("当年新认定1家", carriers)
        self.assertIn("在孵企业28家，当年毕业企业4家、新增入驻9家", carriers)
        self.assertIn("年度考核良好1家", carriers)
