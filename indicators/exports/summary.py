"""The work-summary Word draft: the facts gathered by
indicators.selectors.summary in, the .docx bytes out. Written the way the
seeds are; a figure the data cannot give reads "（暂无数据）". The register
sections and the plan's targets are written by indicators.exports.registers;
存在问题 and the plan's work items are left for the author."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from indicators.exports import registers
from indicators.formats import (
    NO_DATA,
    money_text,
    percent_text,
    value_text,
    yoy_phrase,
)
from indicators.selectors.summary import (
    DistrictFigure,
    SummaryFacts,
    SummaryPeriod,
    TierFacts,
)

CHINESE_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (headings past ten)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else f"{CHINESE_NUMERALS[tens - 1]}十"
    return head + (CHINESE_NUMERALS[ones - 1] if ones else "")


def _count_change(now: int, before: int, *, whole_year: bool) -> str:
    last = "上年" if whole_year else "上年同期"
    if now == before:
        return f"{last}{before}家，持平"
    verb = "增加" if now > before else "减少"
    return f"{last}{before}家，{verb}{abs(now - before)}家"


def _indicator_sentence(figure: DistrictFigure | None, label: str) -> str:
    if figure is None or figure.value is None:
        return f"{label}{NO_DATA}"
    text = f"{label}{value_text(figure.value, figure.indicator.unit)}（{figure.as_of}）"
    text += "，" + yoy_phrase(
        figure.yoy, points=figure.is_ratio, unit=figure.indicator.unit
    )
    if figure.rank and figure.peers_ranked > 1:
        # A ratio is a level, not a total: "居全市…第N位", and its change
        # from last year is in points, not a growth rate.
        level = "" if figure.is_ratio else "总量"
        text += f"，{level}居全市{figure.peers_ranked}个区县第{figure.rank}位"
        if figure.yoy_rank:
            change = "较上年变化" if figure.is_ratio else "增幅"
            text += f"、{change}居第{figure.yoy_rank}位"
    if figure.progress is not None:
        text += f"，完成年度目标的{percent_text(figure.progress)}"
        if figure.schedule is not None and figure.month < 12:
            text += f"（序时进度{percent_text(figure.schedule)}）"
    text += registers.group_rank_phrase(figure)
    return text


def _section_indicators(period: SummaryPeriod, facts: dict[str, Any]) -> list[str]:
    get = facts["figures"].get
    first = "；".join(
        [
            _indicator_sentence(get("rd_spending"), "全区R&D经费支出"),
            _indicator_sentence(get("rd_intensity"), "R&D经费投入强度"),
        ]
    )
    second = "；".join(
        [
            _indicator_sentence(get("ent_rd"), "规上工业企业R&D经费支出"),
            _indicator_sentence(get("ent_rd_share"), "企业R&D经费占主营业务收入比重"),
        ]
    )
    third = "；".join(
        [
            _indicator_sentence(get("hitech_va"), "高新技术产业增加值"),
            _indicator_sentence(
                get("hitech_share"), "高新技术产业增加值占规上工业增加值比重"
            ),
            _indicator_sentence(get("tech_contracts"), "技术合同成交额"),
            _indicator_sentence(
                get("hv_patents_per_10k"), "每万人口高价值发明专利拥有量"
            ),
        ]
    )
    paragraphs = [
        "紧盯全社会研发投入等核心考核指标，按月调度、分解到街道（园区），"
        f"推动指标争先进位。{first}。",
        f"{second}。",
        f"{third}。",
    ]
    if period.half is None and facts["streets"]:
        paragraphs.append(
            f"按序时进度对{facts['streets']}个街道（园区）的指标完成情况进行晾晒，"
            f"进入红榜{facts['honour']}项次、黑榜{facts['black']}项次"
            f"（{period.year}年，按各指标最新数据）。"
        )
    return paragraphs


def _firms(tier_name: str) -> str:
    """ "旭日计划" → "旭日计划企业"; "科技型中小企业" stays as it is."""
    return tier_name if tier_name.endswith("企业") else f"{tier_name}企业"


def _awarded(tier: TierFacts) -> str:
    """A tier's awards of the period, renewals apart (issue 10 §4): a yearly
    registration (科小) "入库…N家，其中首次入库M家"; a multi-year award
    "新认定（含重新认定）…N家，其中首次认定M家". Never "新增" for a stock."""
    firms = _firms(tier.name)
    if tier.yearly:
        return f"入库{firms}{tier.new}家，其中首次入库{tier.first}家"
    return f"新认定（含重新认定）{firms}{tier.new}家，其中首次认定{tier.first}家"


def _section_ladder(period: SummaryPeriod, tiers: list[TierFacts]) -> list[str]:
    basis = (
        f"{period.year}年度认定"
        if period.half is None
        else f"{period.year}年上半年发证"
    )
    parts = []
    for tier in tiers:
        change = _count_change(
            tier.new, tier.new_last_year, whole_year=period.half is None
        )
        text = f"{_awarded(tier)}（{basis}，{change}）"
        split = "、".join(f"{label}{n}家" for label, n in tier.echelons)
        if split:
            text += f"，按梯队分{split}"
        parts.append(text)
    holding = "、".join(f"{_firms(t.name)}{t.held}家" for t in tiers)
    paragraphs = [
        "落实企业创新主体地位，推进梯队培育、分层辅导，"
        "开展一对一“门诊式”预审和季度监测。"
        + ("；".join(parts) if parts else f"梯队企业认定情况{NO_DATA}")
        + "。",
        f"{period.as_at}，全区有效{holding}。" if tiers else "",
    ]
    return [p for p in paragraphs if p]


def _section_projects(period: SummaryPeriod, facts: dict[str, Any]) -> list[str]:
    levels, higher = facts["levels"], facts["higher"]
    applied, approved = facts["applied"], facts["approved"]
    approved_money = facts["approved_money"]
    paid, rewards = facts["paid"], facts["rewards"]
    total_applied = sum(applied.values())
    scope = f"{period.year}年度申报批次，{period.as_at}"
    if total_applied:
        by_level = "、".join(
            f"{levels[k]}{applied[k]}项" for k in levels if applied.get(k)
        )
        text = (
            f"组织企业申报各级科技项目{total_applied}项（{scope}），其中{by_level}；"
            f"已立项{sum(approved.values())}项，核定资助资金"
            f"{money_text(sum(approved_money.values(), Decimal(0)))}"
        )
        up_n = sum(approved.get(k, 0) for k in higher)
        up_money = sum((approved_money.get(k, Decimal(0)) for k in higher), Decimal(0))
        text += f"，其中争取上级科技项目{up_n}项、资金{money_text(up_money)}。"
    else:
        text = f"{period.year}年度科技项目申报情况{NO_DATA}。"
    if paid["total"]:
        text += (
            f"拨付项目资金{money_text(paid['total'])}，涉及项目{paid['n']}个"
            f"（{period.span}）。"
        )
    else:
        text += f"项目资金拨付（{period.span}）{NO_DATA}。"
    if rewards["total"]:
        text += (
            f"兑现研发投入、梯队认定、研发机构认定等政策奖补"
            f"{money_text(rewards['total'])}，惠及企业{rewards['n']}家"
            f"（{period.year}年度已审定奖补批次）。"
        )
    return [
        "把准国家、省、市项目申报指南和政策导向，做好项目征集、形式审查、"
        "专家评审、立项和过程管理。" + text
    ]


def _level_counts(rows: list[tuple[str, str, int]], kinds: dict[str, str]) -> str:
    levels = {
        "national": "国家级",
        "provincial": "省级",
        "municipal": "市级",
        "district": "区级",
    }
    parts = []
    for level in levels:
        for kind, kind_name in kinds.items():
            n = sum(c for lv, k, c in rows if lv == level and k == kind)
            if n:
                parts.append(f"{levels[level]}{kind_name}{n}家")
    return "、".join(parts)


def _section_platforms(period: SummaryPeriod, facts: dict[str, Any]) -> list[str]:
    now, before = facts["institutions"], facts["institutions_before"]
    n_now, n_before = sum(r[2] for r in now), sum(r[2] for r in before)
    if n_now:
        text = (
            f"支持企业建设研发机构，新认定{_level_counts(now, facts['institution_kinds'])}，"
            f"共{n_now}家（{period.span}；上年同期{n_before}家）。"
        )
    else:
        text = f"新认定企业研发机构（{period.span}）{NO_DATA}。"
    if facts["carriers"]:
        carriers = _level_counts(facts["carriers"], facts["carrier_kinds"])
        text += (
            f"{period.as_at}，全区有{carriers}"
            f"，在孵入驻企业{facts['residents']}家；"
            f"{period.span}新认定双创载体{facts['new_carriers']}家。"
        )
    else:
        text += f"孵化器、众创空间等双创载体{NO_DATA}。"
    return [text]


def _section_talent(period: SummaryPeriod, facts: dict[str, Any]) -> list[str]:
    arrived, awards, paid = facts["arrived"], facts["awards"], facts["paid"]
    parts = []
    if arrived["n"]:
        parts.append(
            f"新引进各类科技人才{arrived['n']}人，其中博士{arrived['doctors']}人、"
            f"硕士{arrived['masters']}人（{period.span}）"
        )
    else:
        parts.append(f"新引进科技人才（{period.span}）{NO_DATA}")
    if awards:
        listed = "、".join(
            f"{name}{teams}个" if teams else f"{name}{people}人"
            for name, people, teams in awards
        )
        parts.append(f"入选{listed}（{period.year}年度）")
    else:
        parts.append(f"人才项目入选情况（{period.year}年度）{NO_DATA}")
    if paid["total"]:
        parts.append(
            f"发放人才生活补贴{money_text(paid['total'])}，惠及{paid['people']}人"
            f"（{period.span}）"
        )
    else:
        parts.append(f"人才生活补贴发放（{period.span}）{NO_DATA}")
    if facts["serving"]:
        parts.append(
            f"在岗科技特派员{facts['serving']}名，开展技术指导、成果转化等服务"
            f"{facts['services']}次（{period.span}）"
        )
    if facts["permits"]:
        parts.append(
            f"办结外国人来华工作许可等外专业务{facts['permits']}件（{period.span}）"
        )
    text = "围绕产业发展需求引才育才，做好人才项目申报辅导和服务保障。"
    return [text + "；".join(parts) + "。"]


def _section_services(period: SummaryPeriod, facts: dict[str, Any]) -> list[str]:
    visits, follow_ups, loans = facts["visits"], facts["follow_ups"], facts["loans"]
    if visits["n"]:
        text = (
            f"深化“全员跑企业”，走访企业{visits['n']}次、覆盖{visits['enterprises']}家"
            f"企业（{period.span}），收集问题诉求{follow_ups['n']}项，"
            f"已办结{follow_ups['done']}项、正在跟进{follow_ups['open']}项"
            f"（{period.as_at}）。"
        )
    else:
        text = f"走访企业情况（{period.span}）{NO_DATA}。"
    if loans["n"]:
        text += (
            f"发挥科技助贷作用，合作银行向{loans['enterprises']}家科技型企业发放贷款"
            f"{loans['n']}笔、金额{money_text(loans['total'])}（{period.span}）。"
        )
    else:
        text += f"科技助贷（{period.span}）{NO_DATA}。"
    return [text]


# --- The document -------------------------------------------------------------


def _overview(facts: SummaryFacts) -> str:
    period = facts.period
    rd = facts.indicators["figures"].get("rd_spending")
    hnte = next((t for t in facts.ladder if t.code == "hnte"), None)
    applied = sum(facts.projects["applied"].values())
    visits = facts.services["visits"]["n"]
    parts = []
    if rd is not None and rd.value is not None:
        parts.append(
            f"全区R&D经费支出{value_text(rd.value, rd.indicator.unit)}（{rd.as_of}），"
            f"{yoy_phrase(rd.yoy, points=False)}"
        )
    parts.append(
        f"新认定（含重新认定）国家高新技术企业{hnte.new if hnte else 0}家、"
        f"其中首次认定{hnte.first if hnte else 0}家（{period.name}）"
    )
    if applied:
        money = sum(facts.projects["approved_money"].values(), Decimal(0))
        parts.append(
            f"组织申报各级科技项目{applied}项、核定资助资金"
            f"{money_text(money)}（{period.year}年度批次）"
        )
    if visits:
        parts.append(f"走访企业{visits}次（{period.span}）")
    return (
        f"{period.name}，{facts.district}科技局坚持创新驱动发展战略，"
        "围绕年度科技创新目标任务，"
        "聚焦指标考核、梯队培育、项目管理、平台建设、人才引育和企业服务，"
        f"各项工作有序推进。{'；'.join(parts)}。现将有关情况总结如下。"
    )


def work_summary_docx(facts: SummaryFacts) -> bytes:
    """The Word draft of the bureau's work summary from `facts`
    (indicators.selectors.summary.work_summary_facts)."""
    period = facts.period
    more = facts.registers
    plan = "下半年工作计划" if period.half == 1 else f"{period.year + 1}年工作计划"
    sections = [
        (
            "科技指标完成情况",
            _section_indicators(period, facts.indicators)
            + [registers.more_indicators_paragraph(more.indicators)],
        ),
        (
            "科技企业梯队培育",
            _section_ladder(period, facts.ladder)
            + registers.echelon_paragraphs(more.echelons),
        ),
        (
            "科技项目申报与管理",
            _section_projects(period, facts.projects)
            + [
                registers.progress_paragraph(period, more.progress),
                registers.rewards_paragraph(more.rewards),
            ],
        ),
        (
            "向上争取科技项目",
            registers.section_upward(period, more.upward)
            + [registers.reserve_paragraph(more.reserve)],
        ),
        (
            "技术市场与成果转化",
            registers.section_contracts(period, more.contracts)
            + [registers.achievements_paragraph(period, more.achievements)],
        ),
        (
            "研发投入统计",
            registers.section_rd_statistics(period, more.rd_statistics),
        ),
        (
            "创新平台载体建设",
            _section_platforms(period, facts.platforms)
            + [registers.carriers_paragraph(more.carriers)],
        ),
        ("产学研合作", registers.section_cooperation(period, more.cooperation)),
        (
            "科技人才引育",
            _section_talent(period, facts.talent)
            + [registers.commissioners_paragraph(period, more.commissioners)],
        ),
        (
            "企业走访与科技服务",
            _section_services(period, facts.services)
            + [registers.vouchers_paragraph(more.vouchers)],
        ),
        ("科技活动与科普", registers.section_events(period, more.events)),
        ("督办任务落实", registers.section_tasks(period, more.tasks)),
        ("存在问题", []),
        (plan, registers.plan_paragraphs(period, more.plan)),
    ]
    return _render(
        title=f"{facts.district}科技局{period.name}科技工作总结",
        note=f"（系统生成初稿，数据{period.as_at}，请核实后使用）",
        overview=_overview(facts),
        sections=sections,
    )


# --- Rendering with python-docx ----------------------------------------------

BODY_FONT = ("FangSong", "仿宋_GB2312")
HEADING_FONT = ("SimHei", "黑体")
TITLE_FONT = ("SimSun", "方正小标宋简体")
# Word substitutes these when a font is missing (w:altName in the font table).
FALLBACKS = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "黑体": "SimHei"}


def _set_fonts(element: Any, latin: str, east_asian: str) -> None:
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    # Theme fonts win over named ones, so the template's theme references go.
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(document: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704 margins for official documents.
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attribute}"), None)
        # Chinese line breaking and punctuation need the East Asian language.
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.size = Pt(16)  # 三号
    _set_fonts(normal.element, *BODY_FONT)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.first_line_indent = Pt(32)  # two characters
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    heading = document.styles["Heading 1"]
    _set_fonts(heading.element, *HEADING_FONT)
    heading.font.size = Pt(16)
    heading.font.bold = False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(0)
    heading.paragraph_format.line_spacing = 1.5
    heading.paragraph_format.first_line_indent = Pt(32)

    title = document.styles["Title"]
    _set_fonts(title.element, *TITLE_FONT)
    title.font.size = Pt(22)  # 二号
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.line_spacing = 1.5
    p_pr = title.element.pPr
    borders = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
    if borders is not None:
        title.element.pPr.remove(borders)


def _font_fallbacks(document: Any) -> None:
    """Name a substitute for each Chinese font in the font table, so a
    machine without 仿宋_GB2312 or 方正小标宋简体 shows 仿宋 or 宋体."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    w = f"{{{namespace}}}"
    root = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
        etree.SubElement(font, f"{w}altName", {f"{w}val": alternative})
        etree.SubElement(font, f"{w}charset", {f"{w}val": "86"})  # GB2312
        etree.SubElement(font, f"{w}family", {f"{w}val": "auto"})
        etree.SubElement(font, f"{w}pitch", {f"{w}val": "variable"})
    part._blob = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _page_numbers(document: Any) -> None:
    """ "— 1 —" centred in the footer, as official documents number pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = 0
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
    paragraph.add_run(" —")


def _render(
    *,
    title: str,
    note: str,
    overview: str,
    sections: list[tuple[str, list[str]]],
) -> bytes:
    """`sections` in order; a section without paragraphs is left for the
    author ("（待撰写）")."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document()
    _style(document)
    _font_fallbacks(document)
    _page_numbers(document)
    document.core_properties.title = title
    document.core_properties.author = "区县科技局业务平台"
    document.add_paragraph(title, style="Title")
    remark = document.add_paragraph()
    remark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    remark.paragraph_format.first_line_indent = Pt(0)
    run = remark.add_run(note)
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    document.add_paragraph(overview)
    for number, (heading, paragraphs) in enumerate(sections):
        document.add_heading(f"{_numeral(number + 1)}、{heading}", level=1)
        for text in paragraphs or ["（待撰写）"]:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
