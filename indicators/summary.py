"""The work-summary generator: a Word draft of the bureau's annual (or
half-year) summary, written the way the seeds are, from live data.

Every figure names the period it covers; a figure the data cannot give is
written "（暂无数据）", never guessed. The closing sections (存在问题, the next
period's plan) are left for the author. Also home to the number formats of
Chinese reports that the dashboard pages share.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from bureau.models import OrgUnit
from indicators.calc import growth, progress, rank
from indicators.models import DataValue, Indicator, Target
from indicators.selectors import Book, dashboard

NO_DATA = "（暂无数据）"
CHINESE_NUMERALS = "一二三四五六七八九十"
YI = Decimal(10_000)  # 万元 per 亿元; also yuan per 万元

# --- Number formats (shared with the dashboard pages) ------------------------


def _fixed(number: Decimal, places: int, *, grouped: bool = True) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}" if grouped else f"{rounded:.{places}f}"


def _trimmed(text: str) -> str:
    """ "128.50" → "128.5", "300.00" → "300": report prose drops trailing zeros."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_parts(
    value: Decimal | None,
    unit: str,
    *,
    grouped: bool = True,
    yi: bool | None = None,
) -> tuple[str, str]:
    """An indicator value in its unit, as (number, unit): 万元 turns into 亿元
    from 10,000万元 up (or always / never with `yi`, to keep a column in one
    unit); percentages with two decimals; counts as whole numbers unless
    they are not whole (e.g. patents per 10,000 people)."""
    if value is None:
        return "—", unit
    if unit == "万元" and (abs(value) >= YI if yi is None else yi):
        return _fixed(value / YI, 2, grouped=grouped), "亿元"
    if unit in ("%", "万元", "亿元"):
        return _fixed(value, 2, grouped=grouped), unit
    if value == value.to_integral_value():
        return _fixed(value, 0, grouped=grouped), unit
    return _fixed(value, 2, grouped=grouped), unit


def value_text(value: Decimal | None, unit: str) -> str:
    """For prose: "1.2亿元", "5000万元", "2.31%" (percentages keep two decimals)."""
    if value is None:
        return NO_DATA
    number, shown_unit = value_parts(value, unit, grouped=False)
    return f"{number if shown_unit == '%' else _trimmed(number)}{shown_unit}"


def difference_unit(unit: str) -> str:
    """What a ratio's year-on-year difference is counted in: 百分点 for
    percentages, else the ratio's own unit (e.g. 件 per 10,000 people)."""
    return "个百分点" if unit == "%" else unit


def yoy_short(yoy: Decimal | None, *, points: bool, unit: str = "%") -> str:
    """Year-on-year for tables: "+12.3%" for values; for ratios the
    difference, "+0.11个百分点" (or "+8.15件" for a ratio in 件)."""
    if yoy is None:
        return "—"
    sign = "+" if yoy > 0 else "-" if yoy < 0 else ""
    if points:
        return f"{sign}{_fixed(abs(yoy), 2)}{difference_unit(unit)}"
    return f"{sign}{_fixed(abs(yoy) * 100, 1)}%"


def percent_text(fraction: Decimal | None, places: int = 1) -> str:
    return "—" if fraction is None else f"{_fixed(fraction * 100, places)}%"


def money_text(yuan: Decimal | None) -> str:
    """Yuan → "128.5万元" or "3.25亿元" for report prose."""
    if yuan is None:
        return NO_DATA
    wan = Decimal(yuan) / YI
    if abs(wan) >= YI:
        return f"{_trimmed(_fixed(wan / YI, 2, grouped=False))}亿元"
    return f"{_trimmed(_fixed(wan, 2, grouped=False))}万元"


def _yoy_phrase(yoy: Decimal | None, *, points: bool, unit: str = "%") -> str:
    if yoy is None:
        return "上年同期无可比数据"
    if yoy == 0:
        return "与上年同期持平"
    if points:
        if unit == "%":
            verb = "提高" if yoy > 0 else "降低"
        else:
            verb = "增加" if yoy > 0 else "减少"
        amount = _fixed(abs(yoy), 2, grouped=False)
        return f"同比{verb}{amount}{difference_unit(unit)}"
    verb = "增长" if yoy > 0 else "下降"
    return f"同比{verb}{_fixed(abs(yoy) * 100, 1, grouped=False)}%"


def _count_change(now: int, before: int, *, whole_year: bool) -> str:
    last = "上年" if whole_year else "上年同期"
    if now == before:
        return f"{last}{before}家，持平"
    verb = "增加" if now > before else "减少"
    return f"{last}{before}家，{verb}{abs(now - before)}家"


# --- The period a summary covers ---------------------------------------------


@dataclass(frozen=True)
class SummaryPeriod:
    year: int
    half: int | None
    today: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def last_month(self) -> int:
        return 6 if self.half == 1 else 12

    @property
    def name(self) -> str:
        return f"{self.year}年上半年" if self.half == 1 else f"{self.year}年"

    @property
    def cutoff(self) -> date:
        """The last day whose events count: the period end, or today."""
        return min(self.end, self.today)

    @property
    def span(self) -> str:
        """The period of event counts, as the sentence names it."""
        if self.end < self.today:
            return f"{self.year}年1—6月" if self.half == 1 else f"{self.year}年全年"
        return f"{self.year}年1月1日至{self._day(self.today)}"

    def same_span_last_year(self) -> tuple[date, date]:
        """Last year's window matching this one (to the same day when the
        period is still running)."""
        end = self.cutoff
        try:
            return date(self.year - 1, 1, 1), end.replace(year=self.year - 1)
        except ValueError:  # 29 February
            return date(self.year - 1, 1, 1), date(self.year - 1, 2, 28)

    @staticmethod
    def _day(day: date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    @property
    def as_at(self) -> str:
        return f"截至{self._day(self.cutoff)}"


# --- Figures ------------------------------------------------------------------

SECTION_ONE = [
    "rd_spending",
    "rd_intensity",
    "ent_rd",
    "ent_rd_share",
    "hitech_va",
    "hitech_share",
    "tech_contracts",
    "hv_patents_per_10k",
]


@dataclass
class DistrictFigure:
    indicator: Indicator
    value: Decimal | None
    month: int
    yoy: Decimal | None
    target: Decimal | None
    progress: Decimal | None
    schedule: Decimal | None
    rank: int | None
    yoy_rank: int | None
    peers_ranked: int
    year: int

    @property
    def is_ratio(self) -> bool:
        return self.indicator.kind == Indicator.Kind.RATIO

    @property
    def as_of(self) -> str:
        return f"截至{self.year}年{self.month}月" if self.month else ""


def district_figures(
    *, codes: list[str], year: int, as_of: int
) -> dict[str, DistrictFigure]:
    """The home district's values of `codes` covering months 1..as_of, with
    growth on the same months of last year, the target, and the ranks among
    the peer districts by value and by growth (RULES §5.2)."""
    indicators = list(Indicator.objects.filter(code__in=codes, is_active=True))
    wanted = {i.pk for i in indicators} | {
        x for i in indicators for x in (i.numerator_id, i.denominator_id) if x
    }
    everything = list(Indicator.objects.filter(pk__in=wanted))
    units = list(OrgUnit.objects.filter(is_active=True))
    home = next((u for u in units if u.is_home), None)
    if home is None:
        return {}
    peers = [
        u
        for u in units
        if u.level == OrgUnit.Level.DISTRICT and u.parent_id == home.parent_id
    ]
    rows = DataValue.objects.filter(
        indicator__in=everything,
        org_unit__in=peers,
        year__in=[year - 1, year],
    ).values_list(
        "indicator_id", "org_unit_id", "year", "period_type", "period", "value"
    )
    targets: dict[int, Decimal] = {}
    for indicator_id, value in (
        Target.objects.filter(indicator__in=indicators, org_unit=home, year=year)
        .order_by("version")
        .values_list("indicator_id", "value")
    ):
        targets[indicator_id] = value  # the highest version wins
    book = Book(everything, list(rows), {})
    result = {}
    for indicator in indicators:
        ratio_kind = indicator.kind == Indicator.Kind.RATIO
        values, growths = {}, {}
        home_month = 0
        for unit in peers:
            value, month = book.value(indicator, unit.pk, year, as_of)
            before = (
                book.value(indicator, unit.pk, year - 1, month)[0]
                if value is not None
                else None
            )
            values[unit.pk] = value
            growths[unit.pk] = growth(value, before, is_ratio=ratio_kind)
            if unit.pk == home.pk:
                home_month = month
        descending = indicator.direction != Indicator.Direction.LOWER
        value_ranks = rank(values.items(), descending=descending)
        growth_ranks = rank(growths.items(), descending=descending)
        value = values.get(home.pk)
        target = targets.get(indicator.pk)
        flow = indicator.kind == Indicator.Kind.RAW and (
            indicator.aggregation == Indicator.Aggregation.SUM or indicator.ytd
        )
        result[indicator.code] = DistrictFigure(
            indicator=indicator,
            value=value,
            month=home_month,
            yoy=growths.get(home.pk),
            target=target,
            progress=progress(
                value,
                target,
                lower_is_better=indicator.direction == Indicator.Direction.LOWER,
            ),
            schedule=indicator.schedule_share(home_month) if flow else None,
            rank=value_ranks.get(home.pk),
            yoy_rank=growth_ranks.get(home.pk),
            peers_ranked=sum(1 for v in values.values() if v is not None),
            year=year,
        )
    return result


def _indicator_sentence(figure: DistrictFigure | None, label: str) -> str:
    if figure is None or figure.value is None:
        return f"{label}{NO_DATA}"
    text = f"{label}{value_text(figure.value, figure.indicator.unit)}（{figure.as_of}）"
    text += "，" + _yoy_phrase(
        figure.yoy, points=figure.is_ratio, unit=figure.indicator.unit
    )
    if figure.rank and figure.peers_ranked > 1:
        text += f"，总量居全市{figure.peers_ranked}个区县第{figure.rank}位"
        if figure.yoy_rank:
            text += f"、增幅居第{figure.yoy_rank}位"
    if figure.progress is not None:
        text += f"，完成年度目标的{percent_text(figure.progress)}"
        if figure.schedule is not None and figure.month < 12:
            text += f"（序时进度{percent_text(figure.schedule)}）"
    return text


def _section_indicators(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    figures = district_figures(
        codes=SECTION_ONE,
        year=period.year,
        as_of=period.last_month,
    )
    get = figures.get
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
    if period.half is None:
        board = dashboard(year=period.year)
        honour = len(board.honour_list)
        black = len(board.black_list)
        streets = {f.code for b in board.boards for f in b.streets}
        if streets:
            paragraphs.append(
                f"按序时进度对{len(streets)}个街道（园区）的指标完成情况进行晾晒，"
                f"进入红榜{honour}项次、黑榜{black}项次"
                f"（{period.year}年，按各指标最新数据）。"
            )
    return paragraphs, figures


def _firms(tier_name: str) -> str:
    """ "旭日计划" → "旭日计划企业"; "科技型中小企业" stays as it is."""
    return tier_name if tier_name.endswith("企业") else f"{tier_name}企业"


def _section_ladder(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    from enterprises.models import Certification, Tier

    tiers = list(Tier.objects.filter(is_active=True).order_by("-rank"))
    awards = Certification.objects.filter(
        year__in=[period.year - 1, period.year]
    ).exclude(status=Certification.Status.REVOKED)
    if period.half == 1:
        awards = awards.filter(
            Q(year=period.year, issued_on__lte=period.end)
            | Q(
                year=period.year - 1,
                issued_on__lte=period.end.replace(year=period.year - 1),
            )
        )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    echelons: dict[tuple[int, int], int] = defaultdict(int)
    for tier_id, year, echelon, n in awards.values_list(
        "tier_id", "year", "echelon"
    ).annotate(n=Count("id")):
        counts[(tier_id, year)] += n
        if echelon and year == period.year:
            echelons[(tier_id, echelon)] += n
    # Held on the cutoff day, judged by the dates (an award expired since
    # then still counts).
    on = period.cutoff
    held = dict(
        Certification.objects.in_force(on)
        .values_list("tier_id")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("tier_id", "n")
    )
    basis = (
        f"{period.year}年度认定"
        if period.half is None
        else f"{period.year}年上半年发证"
    )
    parts = []
    for tier in tiers:
        now = counts[(tier.pk, period.year)]
        before = counts[(tier.pk, period.year - 1)]
        change = _count_change(now, before, whole_year=period.half is None)
        text = f"新增{_firms(tier.name)}{now}家（{basis}，{change}）"
        if tier.has_echelons and now:
            split = "、".join(
                f"{label}{echelons[(tier.pk, value)]}家"
                for value, label in Certification.Echelon.choices
                if echelons[(tier.pk, value)]
            )
            if split:
                text += f"，其中{split}"
        parts.append(text)
    holding = "、".join(f"{_firms(t.name)}{held.get(t.pk, 0)}家" for t in tiers)
    paragraphs = [
        "落实企业创新主体地位，推进梯队培育、分层辅导，"
        "开展一对一“门诊式”预审和季度监测。"
        + ("；".join(parts) if parts else f"梯队企业认定情况{NO_DATA}")
        + "。",
        f"{period.as_at}，全区有效{holding}。" if tiers else "",
    ]
    new_hnte = next((counts[(t.pk, period.year)] for t in tiers if t.code == "hnte"), 0)
    return [p for p in paragraphs if p], {"new_hnte": new_hnte}


def _section_projects(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    from projects.models import Application, Disbursement, Entitlement, Programme

    levels = dict(Programme.Level.choices)
    applied: dict[str, int] = defaultdict(int)
    approved: dict[str, int] = defaultdict(int)
    approved_money: dict[str, Decimal] = defaultdict(Decimal)
    for level, n_applied, n_approved, money in (
        Application.objects.filter(call__year=period.year, submitted_at__isnull=False)
        .values_list("call__programme__level")
        .annotate(
            applied=Count("id"),
            approved=Count("id", filter=Q(approved_amount__isnull=False)),
            money=Sum("approved_amount"),
        )
        .values_list("call__programme__level", "applied", "approved", "money")
    ):
        applied[level] += n_applied
        approved[level] += n_approved
        approved_money[level] += money or Decimal(0)
    paid = Disbursement.objects.filter(
        status=Disbursement.Status.PAID,
        paid_on__gte=period.start,
        paid_on__lte=period.cutoff,
    ).aggregate(total=Sum("amount"), n=Count("application", distinct=True))
    rewards = Entitlement.objects.filter(
        batch__year=period.year, batch__status="approved", excluded=False
    ).aggregate(total=Sum("amount"), n=Count("enterprise", distinct=True))
    higher = [k for k in levels if k != Programme.Level.DISTRICT]
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
        up_n = sum(approved[k] for k in higher)
        up_money = sum((approved_money[k] for k in higher), Decimal(0))
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
    paragraphs = [
        "把准国家、省、市项目申报指南和政策导向，做好项目征集、形式审查、"
        "专家评审、立项和过程管理。" + text
    ]
    return paragraphs, {
        "applied": total_applied,
        "approved_money": sum(approved_money.values(), Decimal(0)),
    }


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


def _section_platforms(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    from enterprises.models import Carrier, RDInstitution

    def recognised(start: date, end: date) -> list[tuple[str, str, int]]:
        return list(
            RDInstitution.objects.filter(
                recognised_on__gte=start, recognised_on__lte=end
            )
            .values_list("level", "kind")
            .annotate(n=Count("id"))
            .values_list("level", "kind", "n")
        )

    now = recognised(period.start, period.cutoff)
    before = recognised(*period.same_span_last_year())
    kinds = dict(RDInstitution.Kind.choices)
    n_now, n_before = sum(r[2] for r in now), sum(r[2] for r in before)
    if n_now:
        text = (
            f"支持企业建设研发机构，新认定{_level_counts(now, kinds)}，"
            f"共{n_now}家（{period.span}；上年同期{n_before}家）。"
        )
    else:
        text = f"新认定企业研发机构（{period.span}）{NO_DATA}。"
    carriers = list(
        Carrier.objects.filter(
            Q(recognised_on__isnull=True) | Q(recognised_on__lte=period.cutoff)
        )
        .values_list("level", "kind")
        .annotate(n=Count("id"))
        .values_list("level", "kind", "n")
    )
    new_carriers = Carrier.objects.filter(
        recognised_on__gte=period.start, recognised_on__lte=period.cutoff
    ).count()
    residents = (
        Carrier.residents.through.objects.filter(
            carrier__in=Carrier.objects.filter(
                Q(recognised_on__isnull=True) | Q(recognised_on__lte=period.cutoff)
            )
        )
        .values("enterprise")
        .distinct()
        .count()
    )
    if carriers:
        text += (
            f"{period.as_at}，全区有{_level_counts(carriers, dict(Carrier.Kind.choices))}"
            f"，在孵入驻企业{residents}家；{period.span}新认定双创载体{new_carriers}家。"
        )
    else:
        text += f"孵化器、众创空间等双创载体{NO_DATA}。"
    return [text], {"rd_institutions": n_now}


def _section_talent(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    from talent.models import (
        AllowancePayment,
        Commissioner,
        ForeignExpertCase,
        ServiceLog,
        Talent,
        TalentAward,
    )

    arrived = Talent.objects.filter(
        arrived_on__gte=period.start, arrived_on__lte=period.cutoff
    ).aggregate(
        n=Count("id"),
        doctors=Count("id", filter=Q(degree="doctorate")),
        masters=Count("id", filter=Q(degree="master")),
    )
    parts = []
    if arrived["n"]:
        parts.append(
            f"新引进各类科技人才{arrived['n']}人，其中博士{arrived['doctors']}人、"
            f"硕士{arrived['masters']}人（{period.span}）"
        )
    else:
        parts.append(f"新引进科技人才（{period.span}）{NO_DATA}")
    awards = list(
        TalentAward.objects.filter(year=period.year)
        .values_list("programme__name")
        .annotate(
            people=Count("talent", distinct=True), teams=Count("team", distinct=True)
        )
        .values_list("programme__name", "people", "teams")
        .order_by("programme__level", "programme__name")
    )
    if awards:
        listed = "、".join(
            f"{name}{teams}个" if teams else f"{name}{people}人"
            for name, people, teams in awards
        )
        parts.append(f"入选{listed}（{period.year}年度）")
    else:
        parts.append(f"人才项目入选情况（{period.year}年度）{NO_DATA}")
    paid = AllowancePayment.objects.filter(
        status=AllowancePayment.Status.PAID,
        month__gte=period.start,
        month__lte=period.cutoff,
    ).aggregate(total=Sum("amount"), people=Count("allowance__talent", distinct=True))
    if paid["total"]:
        parts.append(
            f"发放人才生活补贴{money_text(paid['total'])}，惠及{paid['people']}人"
            f"（{period.span}）"
        )
    else:
        parts.append(f"人才生活补贴发放（{period.span}）{NO_DATA}")
    serving = Commissioner.objects.filter(
        term_start__lte=period.cutoff, term_end__gte=period.start
    ).count()
    services = (
        ServiceLog.objects.filter(
            served_on__gte=period.start, served_on__lte=period.cutoff
        ).aggregate(n=Sum("count"))["n"]
        or 0
    )
    if serving:
        parts.append(
            f"在岗科技特派员{serving}名，开展技术指导、成果转化等服务{services}次"
            f"（{period.span}）"
        )
    permits = ForeignExpertCase.objects.filter(
        decided_on__gte=period.start, decided_on__lte=period.cutoff
    ).count()
    if permits:
        parts.append(f"办结外国人来华工作许可等外专业务{permits}件（{period.span}）")
    text = "围绕产业发展需求引才育才，做好人才项目申报辅导和服务保障。"
    return [text + "；".join(parts) + "。"], {"talents": arrived["n"]}


def _section_services(period: SummaryPeriod) -> tuple[list[str], dict[str, Any]]:
    from enterprises.models import FollowUp, Loan, Visit

    visits = Visit.objects.filter(
        visited_on__gte=period.start, visited_on__lte=period.cutoff
    ).aggregate(n=Count("id"), enterprises=Count("enterprise", distinct=True))
    follow_ups = FollowUp.objects.filter(
        visit__visited_on__gte=period.start, visit__visited_on__lte=period.cutoff
    ).aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(status=FollowUp.Status.DONE)),
        open=Count("id", filter=Q(status=FollowUp.Status.OPEN)),
    )
    if visits["n"]:
        text = (
            f"深化“全员跑企业”，走访企业{visits['n']}次、覆盖{visits['enterprises']}家"
            f"企业（{period.span}），收集问题诉求{follow_ups['n']}项，"
            f"已办结{follow_ups['done']}项、正在跟进{follow_ups['open']}项"
            f"（{period.as_at}）。"
        )
    else:
        text = f"走访企业情况（{period.span}）{NO_DATA}。"
    loans = Loan.objects.filter(
        granted_on__gte=period.start, granted_on__lte=period.cutoff
    ).aggregate(
        n=Count("id"),
        total=Sum("amount"),
        enterprises=Count("enterprise", distinct=True),
    )
    if loans["n"]:
        text += (
            f"发挥科技助贷作用，合作银行向{loans['enterprises']}家科技型企业发放贷款"
            f"{loans['n']}笔、金额{money_text(loans['total'])}（{period.span}）。"
        )
    else:
        text += f"科技助贷（{period.span}）{NO_DATA}。"
    return [text], {"visits": visits["n"]}


# --- The document -------------------------------------------------------------

SECTIONS = [
    ("科技指标完成情况", _section_indicators),
    ("科技企业梯队培育", _section_ladder),
    ("科技项目申报与管理", _section_projects),
    ("创新平台载体建设", _section_platforms),
    ("科技人才引育", _section_talent),
    ("企业走访与科技服务", _section_services),
]


def _overview(period: SummaryPeriod, district: str, facts: dict[str, Any]) -> str:
    rd = facts.get("rd_spending")
    parts = []
    if rd is not None and rd.value is not None:
        parts.append(
            f"全区R&D经费支出{value_text(rd.value, rd.indicator.unit)}（{rd.as_of}），"
            f"{_yoy_phrase(rd.yoy, points=False)}"
        )
    parts.append(f"新增国家高新技术企业{facts.get('new_hnte', 0)}家（{period.name}）")
    if facts.get("applied"):
        parts.append(
            f"组织申报各级科技项目{facts['applied']}项、核定资助资金"
            f"{money_text(facts['approved_money'])}（{period.year}年度批次）"
        )
    if facts.get("visits"):
        parts.append(f"走访企业{facts['visits']}次（{period.span}）")
    return (
        f"{period.name}，{district}科技局坚持创新驱动发展战略，围绕年度科技创新目标任务，"
        "聚焦指标考核、梯队培育、项目管理、平台建设、人才引育和企业服务，"
        f"各项工作有序推进。{'；'.join(parts)}。现将有关情况总结如下。"
    )


def work_summary_docx(*, year: int, half: int | None = None) -> bytes:
    """A Word draft of the bureau's work summary for `year` (or its first
    half when `half` is 1), from the data as it stands today."""
    if half not in (None, 1):
        raise ValueError("half must be None or 1")
    period = SummaryPeriod(year, half, timezone.localdate())
    home = OrgUnit.objects.filter(is_home=True).first()
    district = home.name if home else "XX区"
    sections = []
    facts: dict[str, Any] = {}
    for heading, build in SECTIONS:
        paragraphs, found = build(period)
        sections.append((heading, paragraphs))
        facts.update(found)
    plan = "下半年工作计划" if half == 1 else f"{year + 1}年工作计划"
    title = f"{district}科技局{period.name}科技工作总结"
    return _render(
        title=title,
        note=f"（系统生成初稿，数据{period.as_at}，请核实后使用）",
        overview=_overview(period, district, facts),
        sections=sections,
        blank_sections=["存在问题", plan],
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
    blank_sections: list[str],
) -> bytes:
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
    headings = [heading for heading, _paragraphs in sections] + blank_sections
    bodies = [paragraphs for _heading, paragraphs in sections] + [
        ["（待撰写）"] for _ in blank_sections
    ]
    for number, (heading, paragraphs) in enumerate(zip(headings, bodies, strict=True)):
        document.add_heading(f"{CHINESE_NUMERALS[number]}、{heading}", level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
