"""The work summary's paragraphs on the registers and on the figures it used
to leave out (issue 15 item 9): projects won upward, events and 科普,
technology contracts, the R&D statistics ledger, the echelon enterprises'
growth, rewards by rule, vouchers, commissioners by kind, projects running,
the further indicators, named-group ranks and the plan's targets. Facts in
(indicators.selectors.summary), sentences out; a figure the data cannot give
reads "（暂无数据）"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from indicators.formats import (
    NO_DATA,
    difference_unit,
    money_text,
    percent_text,
    value_text,
    yoy_phrase,
)
from indicators.selectors.summary import (
    DistrictFigure,
    PlanTarget,
    SummaryPeriod,
)


def year_span(period: SummaryPeriod) -> str:
    """What a register's figures for the whole calendar year cover, as the
    sentence says it: the full year once it is over, else to today."""
    if date(period.year, 12, 31) < period.today:
        return f"{period.year}年全年"
    today = period.today
    return f"{period.year}年1月1日至{today.year}年{today.month}月{today.day}日"


def _wan(yuan: Decimal | None) -> str:
    return money_text(yuan if yuan is not None else Decimal(0))


# --- Ranks within named groups (主城区) ---------------------------------------


def group_rank_phrase(figure: DistrictFigure | None) -> str:
    """ "，在主城区5个区中居第2位、增幅居第1位" for each named group our
    district is ranked in; empty without groups or values."""
    if figure is None or figure.value is None:
        return ""
    change = "较上年变化" if figure.in_points else "增幅"
    text = ""
    for group in figure.group_ranks:
        if not group.rank or group.ranked < 2:
            continue
        text += f"，在{group.group}{group.ranked}个区县中居第{group.rank}位"
        if group.yoy_rank:
            text += f"、{change}居第{group.yoy_rank}位"
    return text


# --- Section one: the further indicators ----------------------------------------


def _figure(figure: DistrictFigure | None, label: str) -> str:
    """A further indicator in one clause: value, period, change, group rank."""
    if figure is None or figure.value is None:
        return f"{label}{NO_DATA}"
    unit = figure.indicator.unit
    text = f"{label}{value_text(figure.value, unit)}（{figure.as_of}）"
    text += "，" + yoy_phrase(figure.yoy, points=figure.in_points, unit=unit)
    return text + group_rank_phrase(figure)


def more_indicators_paragraph(figures: dict[str, DistrictFigure]) -> str:
    get = figures.get
    industry = "；".join(
        [
            _figure(get("hitech_output"), "全区高新技术产业产值"),
            _figure(get("hitech_gdp_share"), "高新技术产业增加值占GDP比重"),
            _figure(get("tech_progress_rate"), "科技进步贡献率"),
            _figure(get("fiscal_st_spending"), "财政科技支出"),
        ]
    )
    patents = "；".join(
        [
            _figure(get("patent_applications"), "专利申请量"),
            _figure(get("patent_grants"), "专利授权量"),
            _figure(get("patents_per_10k"), "每万人口发明专利拥有量"),
        ]
    )
    return f"{industry}。{patents}。"


# --- The ladder: echelon enterprises' growth ----------------------------------


def echelon_paragraphs(echelons: list[dict[str, Any]]) -> list[str]:
    """ "旭日计划企业实现主营业务收入增长x%，利润总额增长y%" on the quarterly
    monitoring, like for like."""
    out = []
    for row in echelons:
        name = row["name"] if row["name"].endswith("企业") else f"{row['name']}企业"
        basis = f"{row['year']}年第{row['quarter']}季度季度监测累计数"
        if not row["compared"]:
            out.append(f"{name}主营业务收入、利润总额增长情况（{basis}）{NO_DATA}。")
            continue
        out.append(
            f"开展{name}季度监测（在册{row['holders']}家），上年同期可比的"
            f"{row['compared']}家企业实现主营业务收入{money_text(row['revenue'])}，"
            f"{_growth(row['revenue_growth'])}；利润总额{money_text(row['profit'])}，"
            f"{_growth(row['profit_growth'])}（{basis}）。"
        )
    return out


def _growth(fraction: Decimal | None) -> str:
    if fraction is None:
        return "上年同期无可比数据"
    verb = "增长" if fraction >= 0 else "下降"
    return f"同比{verb}{percent_text(abs(fraction))}"


# --- Programmes: the district's projects running, rewards by rule --------------


def progress_paragraph(period: SummaryPeriod, progress: dict[str, int]) -> str:
    text = (
        f"加强区级科技计划项目过程管理，{period.as_at}在实施项目{progress['running']}项；"
        f"{period.span}通过中期检查{progress['midterm_passed']}项、"
        f"通过验收{progress['accepted']}项"
    )
    if progress["failed_acceptance"]:
        text += f"、验收未通过{progress['failed_acceptance']}项"
    return text + "。"


def rewards_paragraph(rewards: dict[str, Any]) -> str:
    year = rewards["year"]
    if rewards["status"] is None or not rewards["rules"]:
        return f"{year}年度政策奖励兑现情况{NO_DATA}。"
    by_rule = "、".join(
        f"{name}{money_text(total)}（{n}家）" for name, n, total in rewards["rules"]
    )
    if rewards["approved"]:
        text = (
            f"兑现{year}年度科技政策奖励{money_text(rewards['total'])}，"
            f"惠及企业{rewards['enterprises']}家，其中{by_rule}"
        )
        if not rewards["paid"]:
            text += "，奖励资金待拨付"
        elif rewards["paid"] < rewards["total"]:
            text += f"，已拨付{money_text(rewards['paid'])}"
        return text + "。"
    return (
        f"完成{year}年度科技政策奖励测算，拟兑现{money_text(rewards['total'])}，"
        f"涉及企业{rewards['enterprises']}家，其中{by_rule}（待审定）。"
    )


# --- Talent and services: commissioners by kind, vouchers ----------------------


def commissioners_paragraph(
    period: SummaryPeriod, commissioners: list[tuple[str, str, int]]
) -> str:
    if not commissioners:
        return f"科技特派员选派服务（{period.span}）{NO_DATA}。"
    # A person is counted in 名, a team or a legal entity in 个.
    kinds = "、".join(
        f"{label}{n}{'名' if kind == 'individual' else '个'}"
        for kind, label, n in commissioners
    )
    return (
        f"深入实施科技特派员制度，{period.span}在岗服务的{kinds}，"
        "送技术、解难题，服务乡村振兴和企业发展。"
    )


def vouchers_paragraph(vouchers: dict[str, Any]) -> str:
    year = vouchers["year"]
    if not vouchers["scheme"] or not vouchers["issued"]:
        return f"{year}年度创新券发放使用{NO_DATA}。"
    return (
        f"推行科技创新券，{year}年度发放创新券{vouchers['issued']}张、"
        f"面额{_wan(vouchers['issued_amount'])}，惠及企业{vouchers['enterprises']}家"
        f"（年度额度{_wan(vouchers['quota'])}）；已使用{vouchers['used']}张、"
        f"抵扣服务费{_wan(vouchers['used_amount'])}，其中已兑付{vouchers['redeemed']}张、"
        f"{_wan(vouchers['redeemed_amount'])}。"
    )


# --- The register sections ---------------------------------------------------------


def section_upward(period: SummaryPeriod, upward: dict[str, Any]) -> list[str]:
    """向上争取: recommended and approved by level, funds, hit rate, running."""
    year = upward["year"]
    lead = (
        "把准国家、省、市项目申报指南和政策导向，精准凝练、择优推荐，"
        "提高立项命中率，积极向上争资。"
    )
    if not upward["recommended"]:
        text = f"{year}年度向上推荐科技项目{NO_DATA}。"
    else:
        levels = upward["levels"].values()
        recommended = "、".join(
            f"{row['label']}{row['recommended']}项"
            for row in levels
            if row["recommended"]
        )
        approved = "、".join(
            f"{row['label']}{row['approved']}项" for row in levels if row["approved"]
        )
        text = (
            f"{year}年度组织推荐上报国家、省、市科技计划项目{upward['recommended']}项"
            f"（{recommended}）；"
            f"获批立项{upward['approved']}项"
            + (f"（{approved}）" if approved else "")
            + f"，立项命中率{percent_text(upward['hit_rate'])}，"
            f"争取上级资助资金{_wan(upward['funds_from_above'])}、"
            f"落实地方配套资金{_wan(upward['local_match'])}"
        )
        if upward["pending"]:
            text += f"；另有{upward['pending']}项待上级批复"
        text += f"（{year_span(period)}）。"
    running = (
        f"在实施上级科技项目{upward['running']}项，{year}年接受中期检查"
        f"{upward['midterm_checked']}项、通过验收{upward['accepted']}项"
    )
    if upward["accepted"]:
        running += (
            f"，验收项目新增产值{_wan(upward['new_output_value'])}、"
            f"带动就业{upward['new_jobs']}人"
        )
    return [lead + text + running + "。"]


LEVELS = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区级",
}


def reserve_paragraph(reserve: dict[str, Any]) -> str:
    """储备库: projects in reserve by target level, planned requests, those
    promoted to an application in the year."""
    year = reserve["year"]
    if not (reserve["in_reserve"] or reserve["promoted"] or reserve["added"]):
        return f"向上申报项目储备库{NO_DATA}。"
    text = "建立向上申报项目储备库，动态滚动培育。"
    if reserve["in_reserve"]:
        levels = "、".join(
            f"{label}{reserve['by_level'][key]}项"
            for key, label in LEVELS.items()
            if reserve["by_level"].get(key)
        )
        text += (
            f"目前在库储备项目{reserve['in_reserve']}项"
            + (f"（拟申报{levels}）" if levels else "")
            + f"，拟申请上级资金{_wan(reserve['planned_amount'])}"
        )
        if reserve["for_next_year"]:
            text += f"，其中拟于{year + 1}年申报{reserve['for_next_year']}项"
        text += "；"
    else:
        text += "目前库内暂无待申报项目；"
    text += f"{year}年新入库{reserve['added']}项，转为正式申报{reserve['promoted']}项。"
    return text


def achievements_paragraph(period: SummaryPeriod, achievements: dict[str, Any]) -> str:
    """成果转化/中试: the achievements followed by stage, the year's moves and
    their outputs."""
    if not achievements["count"]:
        return f"科技成果转化和中试项目（{year_span(period)}）{NO_DATA}。"
    names = {
        "waiting": "待转化",
        "transferring": "转化中",
        "pilot": "中试",
        "industrialised": "已产业化",
    }
    stages = "、".join(
        f"{names.get(key, key)}{n}项" for key, n in achievements["by_stage"].items()
    )
    text = (
        f"建立科技成果转化跟踪台账，在库科技成果{achievements['count']}项"
        f"（{stages}）；{year_span(period)}启动转化{achievements['started']}项、"
        f"进入中试{achievements['piloted']}项、实现产业化{achievements['industrialised']}项。"
    )
    if achievements["new_output_value"] or achievements["jobs"]:
        text += (
            f"已转化成果累计新增产值{money_text(achievements['new_output_value'])}、"
            f"带动就业{achievements['jobs']}人、形成专利{achievements['patents']}件。"
        )
    else:
        text += f"成果转化新增产值、就业等产出{NO_DATA}。"
    return text


def section_tasks(period: SummaryPeriod, tasks: dict[str, Any]) -> list[str]:
    """督办任务: the year's tasks by owner kind, done on time, overdue, open."""
    lead = "对上级部署和交办事项建立督办台账，明确责任主体和完成时限，逐项跟踪销号。"
    total = tasks["total"]
    if not total["tasks"]:
        return [lead + f"{period.year}年度督办任务（{period.as_at}）{NO_DATA}。"]
    owners = {
        "section": "科室",
        "street": "街道（园区）",
        "enterprise": "企业",
        "user": "个人",
    }
    parts = "、".join(
        f"{owners.get(kind, kind)}承办{row['tasks']}项"
        for kind, row in tasks["by_owner"].items()
    )
    text = (
        f"{period.year}年共接收督办任务{total['tasks']}项，其中{parts}。"
        f"{period.as_at}，已完成{total['done']}项（按期完成{total['on_time']}项"
        + (f"、超期完成{total['late']}项" if total["late"] else "")
        + f"），逾期未完成{total['overdue']}项，正在办理{total['open']}项"
    )
    details = [
        f"{owners.get(kind, kind)}按期完成{row['on_time']}项"
        + (f"、超期完成{row['late']}项" if row["late"] else "")
        + f"、逾期{row['overdue']}项、在办{row['open']}项"
        for kind, row in tasks["by_owner"].items()
    ]
    text += "。分责任主体看，" + "；".join(details) + "。"
    return [lead + text]


def section_events(period: SummaryPeriod, events: dict[str, Any]) -> list[str]:
    """科技活动与科普: events by type, participants, materials, trained, bases."""
    span = year_span(period)
    if not events["events"]:
        text = f"科技活动和科普活动（{span}）{NO_DATA}。"
    else:
        kinds = "、".join(
            f"{row['label']}{row['events']}场"
            for row in events["by_kind"].values()
            if row["events"]
        )
        text = (
            f"{span}共举办各类科技活动{events['events']}场，其中{kinds}，"
            f"参与{events['participants']}人次，服务企业{events['enterprises_served']}家。"
        )
        science = events["science"]
        if science["events"]:
            text += (
                f"以科技活动周、全国科普日、科技“三下乡”为载体开展科普活动"
                f"{science['events']}场，参与{science['participants']}人次，"
                f"发放科普宣传资料{science['materials']}份，"
                f"举办实用技术培训{science['trained']}人次。"
            )
        elif events["materials"] or events["trained"]:
            text += (
                f"发放宣传资料{events['materials']}份，培训{events['trained']}人次。"
            )
    if events["science_bases"]:
        text += (
            f"全区现有科普基地{events['science_bases']}家，"
            f"年接待参观{events['science_base_visitors']}人次。"
        )
    else:
        text += f"科普基地{NO_DATA}。"
    return [
        "深化政策直通车、科创微课堂等服务品牌，广泛开展科技活动和群众性科普。" + text
    ]


def section_cooperation(period: SummaryPeriod, coop: dict[str, Any]) -> list[str]:
    """产学研合作: agreements signed and in force, follow-up visits and what
    they produced, co-built platforms, alliances and consortia."""
    lead = "深化产学研合作，推动高校院所与企业精准对接。"
    if not (coop["agreements_signed"] or coop["agreements_in_force"]):
        return [lead + f"产学研合作协议（{year_span(period)}）{NO_DATA}。"]
    kinds = "、".join(
        f"{label}{n}项" for label, n in coop["agreements_signed_labelled"]
    )
    text = f"{year_span(period)}新签合作协议{coop['agreements_signed']}项"
    text += f"（{kinds}）" if kinds else ""
    text += f"，有效期内合作协议{coop['agreements_in_force']}项。"
    outputs = coop["visit_outputs"]
    if coop["follow_up_visits"]:
        text += (
            f"开展合作回访{coop['follow_up_visits']}次，促成合作项目{outputs['projects']}项、"
            f"共建平台{outputs['platforms']}个、引进人才{outputs['talents']}人、"
            f"转化成果{outputs['achievements']}项。"
        )
    if coop["platforms_co_built"]:
        text += f"新认定校地（院地）共建平台{coop['platforms_co_built']}家。"
    if coop["alliances_standing"]:
        parts = "、".join(
            f"{level}{kind}{n}家" for level, kind, n in coop["alliances_labelled"]
        )
        text += (
            f"全区现有创新联合体和产业技术创新联盟{coop['alliances_standing']}家"
            f"（{parts}），其中当年新组建{coop['alliances_founded']}家。"
        )
    return [lead + text]


def carriers_paragraph(carriers: dict[str, Any]) -> str:
    """平台载体: carriers standing by type, recognised in the year, the year's
    在孵/毕业/新增入驻 and the assessment grades."""
    if not carriers["carriers"]:
        return f"孵化载体{NO_DATA}。"
    types = "、".join(
        f"{name}{sum(levels.values())}家"
        for name, levels in sorted(carriers["carriers_by_type"].items())
    )
    text = f"全区现有各类创新载体{carriers['carriers']}家（{types}）"
    if carriers["carriers_recognised"]:
        text += f"，当年新认定{carriers['carriers_recognised']}家"
    text += "。"
    if carriers["reported"]:
        text += (
            f"{carriers['reported']}家载体报送年度数据，在孵企业{carriers['incubating']}家，"
            f"当年毕业企业{carriers['graduated']}家、新增入驻{carriers['new_residents']}家。"
        )
    else:
        text += f"{carriers['year']}年度载体在孵、毕业企业等运营数据{NO_DATA}。"
    if carriers["grades_labelled"]:
        text += (
            "年度考核"
            + "、".join(f"{label}{n}家" for label, n in carriers["grades_labelled"])
            + "。"
        )
    elif carriers["reported"]:
        text += f"年度考核结果{NO_DATA}。"
    return text


def section_contracts(period: SummaryPeriod, contracts: dict[str, Any]) -> list[str]:
    """技术市场: contracts by direction (输出/吸纳), amounts, top streets."""
    year = contracts["year"]
    if not contracts["count"]:
        return [f"{year}年度技术合同登记（{year_span(period)}）{NO_DATA}。"]
    output, absorbed = contracts["output"], contracts["absorbed"]
    text = (
        "加快科技成果转移转化，做好技术合同认定登记服务。"
        f"{year_span(period)}全区登记技术合同{contracts['count']}项，"
        f"合同成交额{money_text(contracts['contract_amount'])}，"
        f"其中技术交易额{money_text(contracts['transaction_amount'])}。"
        f"输出技术合同{output['count']}项、成交额{money_text(output['contract_amount'])}；"
        f"吸纳技术合同{absorbed['count']}项、成交额{money_text(absorbed['contract_amount'])}。"
    )
    for key, verb in (("top_absorbing", "吸纳"), ("top_output", "输出")):
        if contracts[key]:
            streets = "、".join(
                f"{name}（{n}项、{money_text(amount)}）"
                for name, n, amount in contracts[key]
            )
            text += f"{verb}技术合同成交额居前的街道（园区）为{streets}。"
    return [text]


def section_rd_statistics(
    period: SummaryPeriod, rd: dict[str, Any] | None
) -> list[str]:
    """研发统计: units expected and reporting, newly reporting, 规上 coverage."""
    lead = "坚持应统尽统，建立研发统计名录库，按街道（园区）跟踪出报进度。"
    if rd is None or not rd["expected"]:
        return [lead + f"研发经费统计名录（{period.year}年度）{NO_DATA}。"]
    text = (
        f"{rd['year']}年度研发统计名录单位{rd['expected']}家，"
        f"已出报研发经费{rd['reporting']}家（其中新增出报{rd['new_reporting']}家），"
        f"出报研发经费{money_text(rd['amount'])}；无研发活动{rd['no_activity']}家"
    )
    if rd["pending"]:
        text += f"，尚待出报{rd['pending']}家"
    text += "。"
    if rd["above_units"]:
        text += (
            f"名录内规上企业{rd['above_units']}家，有研发活动{rd['above_active']}家，"
            f"规上企业研发活动覆盖率{percent_text(rd['above_coverage'])}。"
        )
    return [lead + text]


# --- The plan ---------------------------------------------------------------------


def _target_clause(item: PlanTarget) -> str:
    unit = item.indicator.unit
    text = f"{item.indicator.name}达到{value_text(item.target, unit)}"
    change = item.change
    if change is None or item.now is None:
        return text
    before = f"{item.now.year}年"
    if item.now.in_points:
        if change == 0:
            return text + f"，与{before}持平"
        verb = "提高" if change > 0 else "降低"
        amount = value_text(abs(change), "")
        return text + f"，比{before}{verb}{amount}{difference_unit(unit)}"
    verb = "增长" if change >= 0 else "下降"
    return text + f"，比{before}{verb}{percent_text(abs(change))}"


def plan_paragraphs(period: SummaryPeriod, plan: dict[str, Any]) -> list[str]:
    """The plan, pre-filled: a sentence per headline target; the rest is the
    author's to write."""
    year = plan["year"]
    if not plan["targets"]:
        return [f"（{year}年主要指标目标尚未录入，待撰写）"]
    if period.half == 1:
        lead = f"对照{year}年度目标任务，全力冲刺下半年，确保完成全年各项指标。"
        lines = [
            f"{item.indicator.name}全年目标{value_text(item.target, item.indicator.unit)}"
            + (
                f"，上半年完成{percent_text(item.now.progress)}"
                if item.now is not None and item.now.progress is not None
                else ""
            )
            + "。"
            for item in plan["targets"]
        ]
    else:
        lead = f"{year}年全区科技创新工作主要目标是："
        lines = [f"{_target_clause(item)}。" for item in plan["targets"]]
    return [lead, *lines, "（重点工作待撰写）"]
