"""The work-summary draft: seeds' structure, real figures with their period,
"（暂无数据）" where data is missing, Chinese fonts; and its command."""

from __future__ import annotations

import contextlib
import io
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import time_machine
from django.core.management import call_command
from django.test import SimpleTestCase
from django.utils import timezone

from bureau.tests.base import CastTestCase
from enterprises.models import (
    Certification,
    FollowUp,
    InstitutionType,
    Loan,
    RDInstitution,
    Tier,
    Visit,
)
from enterprises.tests.factories import EnterpriseFactory
from indicators.exports.summary import work_summary_docx as summary_docx
from indicators.models import Indicator, Target
from indicators.selectors.summary import work_summary_facts
from indicators.tests.factories import value
from projects.models import Application, Call, Disbursement, Programme
from projects.tests.factories import make_application
from talent.models import Talent, TalentAward, TalentProgramme

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def text_of(content: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(content))
    return document, "\n".join(p.text for p in document.paragraphs)


@time_machine.travel(NOW, tick=False)
def work_summary_docx(*, year: int, half: int | None = None) -> bytes:
    return summary_docx(work_summary_facts(year=year, half=half))


class WorkSummaryTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # R&D: 1.2亿元 in 2025, up 20% on 2024; the peer spent more.
        value("rd_spending", cls.district, 2024, "10000")
        value("rd_spending", cls.district, 2025, "12000")
        value("rd_spending", cls.peer, 2024, "30000")
        value("rd_spending", cls.peer, 2025, "31500")
        value("gdp", cls.district, 2024, "500000")
        value("gdp", cls.district, 2025, "520000")
        Target.objects.create(
            indicator=Indicator.objects.get(code="rd_spending"),
            org_unit=cls.district,
            year=2025,
            value=Decimal("15000"),
        )
        # First-half figures, year to date.
        value("rd_spending", cls.district, 2024, "4000", month=6)
        value("rd_spending", cls.district, 2025, "5000", month=6)

        hnte, xuri = Tier.objects.get(code="hnte"), Tier.objects.get(code="xuri")
        others = [EnterpriseFactory(org_unit=cls.street_b) for _ in range(3)]
        for enterprise, year in ((cls.enterprise_a, 2025), (others[0], 2025)):
            Certification.objects.create(
                enterprise=enterprise,
                tier=hnte,
                year=year,
                issued_on=date(year, 11, 20),
                expires_on=date(year + 3, 11, 19),
            )
        Certification.objects.create(
            enterprise=others[1],
            tier=hnte,
            year=2024,
            issued_on=date(2024, 12, 1),
            expires_on=date(2027, 11, 30),
        )
        # enterprise_b re-recognised in 2025 (重新认定): awarded, not new.
        for year, first_time in ((2022, True), (2025, False)):
            Certification.objects.create(
                enterprise=cls.enterprise_b,
                tier=hnte,
                year=year,
                first_time=first_time,
                issued_on=date(year, 11, 20),
                expires_on=date(year + 3, 11, 19),
            )
        Certification.objects.create(
            enterprise=others[2],
            tier=xuri,
            year=2025,
            echelon=1,
            issued_on=date(2025, 4, 1),
        )

        programme = Programme.objects.create(
            name="浙江省重点研发计划", level="provincial", kind="grant"
        )
        call = Call.objects.create(
            programme=programme,
            title="2025年度省重点研发计划",
            year=2025,
            opens_at=datetime(2025, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
            closes_at=datetime(2025, 4, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
            budget_ceiling=Decimal("5000000"),
        )
        submitted = timezone.now() - timedelta(days=300)
        approved = make_application(
            call,
            cls.ent_user,
            requested_amount=Decimal("800000"),
            approved_amount=Decimal("500000"),
            state=Application.State.CONTRACTED,
            submitted_at=submitted,
        )
        make_application(
            call,
            cls.outsider,
            title="储能电池管理",
            summary="BMS",
            requested_amount=Decimal("600000"),
            state=Application.State.REJECTED,
            submitted_at=submitted,
        )
        Disbursement.objects.create(
            application=approved,
            amount=Decimal("300000"),
            status=Disbursement.Status.PAID,
            planned_on=date(2025, 9, 1),
            paid_on=date(2025, 9, 10),
        )

        RDInstitution.objects.create(
            enterprise=cls.enterprise_a,
            name="云河智能省级企业研究院",
            type=InstitutionType.objects.get(code="institute"),
            level=RDInstitution.Level.PROVINCIAL,
            recognised_on=date(2025, 10, 8),
        )
        star = TalentProgramme.objects.create(
            name="运河英才科技之星", level="district", kind="star"
        )
        person = Talent.objects.create(
            name="李博士", degree="doctorate", arrived_on=date(2025, 5, 6)
        )
        TalentAward.objects.create(programme=star, talent=person, year=2025)
        visit = Visit.objects.create(
            enterprise=cls.enterprise_a,
            visited_on=date(2025, 6, 18),
            created_by=cls.officer,
        )
        FollowUp.objects.create(
            visit=visit,
            action="对接高企申报辅导",
            owner=cls.officer,
            due_on=date(2025, 7, 1),
            status=FollowUp.Status.DONE,
        )
        FollowUp.objects.create(
            visit=visit, action="协调场地", owner=cls.officer, due_on=date(2025, 8, 1)
        )
        Loan.objects.create(
            enterprise=cls.enterprise_b,
            bank="杭州银行",
            amount=Decimal("2000000"),
            granted_on=date(2025, 8, 8),
            kind=Loan.Kind.CREDIT,
        )

    def test_it_reads_like_an_annual_work_summary(self) -> None:
        document, text = text_of(work_summary_docx(year=2025))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        self.assertEqual(
            headings,
            [
                "一、科技指标完成情况",
                "二、科技企业梯队培育",
                "三、科技项目申报与管理",
                "四、向上争取科技项目",
                "五、技术市场与成果转化",
                "六、研发投入统计",
                "七、创新平台载体建设",
                "八、产学研合作",
                "九、科技人才引育",
                "十、企业走访与科技服务",
                "十一、科技活动与科普",
                "十二、督办任务落实",
                "十三、存在问题",
                "十四、2026年工作计划",
            ],
        )
        self.assertEqual(document.paragraphs[0].text, "拱墅区科技局2025年科技工作总结")
        self.assertEqual(document.paragraphs[0].style.name, "Title")
        # Section one: value, period, growth, ranks among the two districts,
        # completion of the target; ratios in percentage points.
        self.assertIn(
            "全区R&D经费支出1.2亿元（截至2025年12月），同比增长20.0%，"
            "总量居全市2个区县第2位、增幅居第1位，完成年度目标的80.0%",
            text,
        )
        self.assertIn(
            "R&D经费投入强度2.31%（截至2025年12月），同比提高0.31个百分点", text
        )
        self.assertIn("技术合同成交额（暂无数据）", text)
        # The ladder, against last year.
        # Renewals are counted apart (issue 10 §4), never "新增" for a stock.
        self.assertNotIn("新增", text)
        self.assertIn(
            "新认定（含重新认定）国家高新技术企业3家，其中首次认定2家"
            "（2025年度认定，上年1家，增加2家）",
            text,
        )
        self.assertIn(
            "新认定（含重新认定）旭日计划企业1家，其中首次认定1家"
            "（2025年度认定，上年0家，增加1家），按梯队分第一梯队1家",
            text,
        )
        self.assertIn("截至2025年12月31日，全区有效国家高新技术企业4家", text)
        # Programmes, platforms, talent, services.
        self.assertIn("组织企业申报各级科技项目2项（2025年度申报批次", text)
        self.assertIn("其中省级2项；已立项1项，核定资助资金50万元", text)
        self.assertIn("争取上级科技项目1项、资金50万元", text)
        self.assertIn("拨付项目资金30万元，涉及项目1个（2025年全年）", text)
        self.assertIn("新认定省级企业研究院1家，共1家（2025年全年；上年同期0家）", text)
        self.assertIn("新引进各类科技人才1人，其中博士1人、硕士0人（2025年全年）", text)
        self.assertIn("入选运河英才科技之星1人（2025年度）", text)
        self.assertIn(
            "走访企业1次、覆盖1家企业（2025年全年），收集问题诉求2项，已办结1项", text
        )
        self.assertIn("向1家科技型企业发放贷款1笔、金额200万元（2025年全年）", text)
        self.assertIn("人才生活补贴发放（2025年全年）（暂无数据）", text)
        self.assertIn("进入红榜0项次、黑榜0项次", text)

    def test_the_first_half_uses_figures_to_june(self) -> None:
        document, text = text_of(work_summary_docx(year=2025, half=1))
        self.assertEqual(
            document.paragraphs[0].text, "拱墅区科技局2025年上半年科技工作总结"
        )
        self.assertIn("十四、下半年工作计划", text)
        self.assertIn("全区R&D经费支出5000万元（截至2025年6月），同比增长25.0%", text)
        self.assertIn("完成年度目标的33.3%（序时进度50.0%）", text)
        # The high-tech enterprises were certified in November: none yet.
        self.assertIn(
            "新认定（含重新认定）国家高新技术企业0家，其中首次认定0家"
            "（2025年上半年发证，上年同期0家，持平）",
            text,
        )
        self.assertIn("新认定（含重新认定）旭日计划企业1家，其中首次认定1家", text)
        self.assertIn("走访企业1次", text)
        self.assertIn("项目资金拨付（2025年1—6月）（暂无数据）", text)

    def test_a_running_year_counts_to_today(self) -> None:
        _document, text = text_of(work_summary_docx(year=2026))
        self.assertIn("数据截至2026年3月2日", text)
        self.assertIn("全区R&D经费支出（暂无数据）", text)
        self.assertIn("走访企业情况（2026年1月1日至2026年3月2日）（暂无数据）", text)

    def test_it_is_set_in_chinese_fonts_on_a4(self) -> None:
        from docx.oxml.ns import qn

        document, _text = text_of(work_summary_docx(year=2025))
        section = document.sections[0]
        self.assertEqual(
            (round(section.page_width.mm), round(section.page_height.mm)), (210, 297)
        )
        normal = document.styles["Normal"]
        fonts = normal.element.rPr.rFonts
        self.assertEqual(fonts.get(qn("w:eastAsia")), "仿宋_GB2312")
        self.assertEqual(normal.font.name, "FangSong")
        self.assertEqual(normal.paragraph_format.line_spacing, 1.5)
        heading = document.styles["Heading 1"].element.rPr.rFonts
        self.assertEqual(heading.get(qn("w:eastAsia")), "黑体")
        self.assertIsNone(heading.get(qn("w:eastAsiaTheme")))
        title = document.styles["Title"].element.rPr.rFonts
        self.assertEqual(title.get(qn("w:eastAsia")), "方正小标宋简体")

    def test_the_command_writes_the_file_and_prints_its_path(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            out = io.StringIO()
            with contextlib.chdir(folder):
                call_command("generate_work_summary", "2025", stdout=out)
            written = Path(folder) / "工作总结-2025.docx"
            self.assertEqual(out.getvalue().strip(), str(written.resolve()))
            _document, text = text_of(written.read_bytes())
            self.assertIn("全区R&D经费支出1.2亿元", text)

            target = Path(folder) / "h1.docx"
            call_command(
                "generate_work_summary",
                "2025",
                "--half",
                "1",
                "--output",
                str(target),
                stdout=io.StringIO(),
            )
            self.assertIn("上半年", text_of(target.read_bytes())[1])


class RankingWordsTests(SimpleTestCase):
    """A ratio is ranked as a level (居…第N位), a total as 总量 (issue 10 §9)."""

    def figure(self, kind: str, unit: str):  # type: ignore[no-untyped-def]
        from indicators.models import Indicator
        from indicators.selectors.summary import DistrictFigure

        return DistrictFigure(
            indicator=Indicator(kind=kind, unit=unit, aggregation="last"),
            value=Decimal("2.5"),
            month=12,
            yoy=Decimal("0.2"),
            target=None,
            progress=None,
            schedule=None,
            rank=3,
            yoy_rank=1,
            peers_ranked=13,
            year=2025,
        )

    def test_a_ratio_is_ranked_without_total(self) -> None:
        from indicators.exports.summary import _indicator_sentence

        text = _indicator_sentence(self.figure("ratio", "%"), "R&D经费投入强度")
        self.assertIn("，居全市13个区县第3位、较上年变化居第1位", text)
        self.assertNotIn("总量", text)

    def test_a_raw_value_is_ranked_by_total_and_growth(self) -> None:
        from indicators.exports.summary import _indicator_sentence

        text = _indicator_sentence(self.figure("raw", "万元"), "全区R&D经费支出")
        self.assertIn("，总量居全市13个区县第3位、增幅居第1位", text)
