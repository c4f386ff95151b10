"""The eligibility engine run on stored data: an enterprise's returns become
the engine's figures, and the next tier up is assessed.

Pure functions over already-loaded rows, so one enterprise (its page) and
fifty thousand (the nightly snapshot) go through the same code without a
query per enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from enterprises.eligibility import (
    ENTRUSTED_RD_SHARE,
    ChuyingFigures,
    HighTechFigures,
    Policy,
    TechSmeFigures,
    assess_chuying,
    assess_high_tech,
    assess_tech_sme,
    chuying_criteria_from_settings,
    exact,
)
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, Tier
from enterprises.register_figures import RegisterFacts, apply_registers

# Filings the pre-check trusts: handed in, whether or not staff reviewed them.
USABLE_STATUSES = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)
ASSESSED_TIERS = (Tier.CHUYING, Tier.TECH_SME, Tier.HNTE)


@dataclass
class TierAssessment:
    tier_code: str
    tier_name: str
    result: dict[str, Any] | None  # the engine's answer; None if no data
    note: str = ""  # why there is no result, in Chinese

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Missed conditions. For 科小 the score and the direct grounds are
        alternatives: only the score counts as missed when neither holds."""
        if not self.result:
            return []
        failed = [c for c in self.result["conditions"] if c["passed"] is False]
        if self.tier_code == Tier.TECH_SME:
            direct = next(c for c in self.result["conditions"] if c["code"] == "direct")
            failed = [
                c
                for c in failed
                if c["code"] != "direct"
                and not (c["code"] == "score" and direct["passed"])
            ]
        return failed

    @property
    def pending(self) -> list[dict[str, Any]]:
        if not self.result:
            return []
        return [c for c in self.result["conditions"] if c["passed"] is None]

    @property
    def gap_score(self) -> Fraction:
        """How far from qualifying: the failed conditions' relative shortfall
        summed (each capped at 1); for ranking the closest candidates."""
        total = Fraction(0)
        for condition in self.failed:
            actual, required = condition.get("actual"), condition.get("required")
            try:
                a, r = exact(actual), exact(required)
            except (TypeError, ValueError, ArithmeticError):
                total += 1
                continue
            if r == 0:
                total += 1
            elif condition["code"].startswith("size_"):  # ceilings: over by …
                total += min(Fraction(1), max(Fraction(0), (a - r) / r))
            else:
                total += min(Fraction(1), max(Fraction(0), (r - a) / r))
        return total


def _rd_internal_capped(r: AnnualReturn, policy: Policy) -> Fraction:
    """In-house R&D with "other" capped as RULES §2.4 says (the cap counts
    entrusted R&D at 80% among the other categories)."""
    rest = sum(
        (
            exact(getattr(r, f))
            for f in AnnualReturn.RD_INTERNAL_FIELDS
            if f != "rd_other"
        ),
        Fraction(0),
    )
    entrusted = ENTRUSTED_RD_SHARE * (
        exact(r.rd_entrusted_domestic) + exact(r.rd_entrusted_overseas)
    )
    other = min(exact(r.rd_other), policy.other_rd_cap_of_rest * (rest + entrusted))
    return rest + other


def high_tech_figures(
    enterprise: Enterprise, returns: list[AnnualReturn], *, today: date, policy: Policy
) -> HighTechFigures | None:
    """Figures for an application made `today` from the three accounting
    years before it (RULES §0.3), or None without the last year's return."""
    by_year = {r.year: r for r in returns}
    years = [y for y in range(today.year - 3, today.year) if y in by_year]
    if not years or years[-1] != today.year - 1 or enterprise.founded_on is None:
        return None
    # Consecutive years ending with the last one.
    while len(years) > 1 and years[0] != years[-1] - len(years) + 1:
        years.pop(0)
    chosen = [by_year[y] for y in years]
    last = chosen[-1]
    return HighTechFigures(
        application_date=today,
        established_on=enterprise.founded_on,
        ip_class1=last.ip_class1,
        ip_class2=last.ip_class2,
        core_tech_in_supported_fields=bool(enterprise.high_tech_field),
        staff_total=exact(last.staff_total),
        tech_staff=exact(last.tech_staff),
        sales_revenue=[exact(r.sales_revenue) for r in chosen],
        rd_internal=[_rd_internal_capped(r, policy) for r in chosen],
        rd_entrusted_domestic=[exact(r.rd_entrusted_domestic) for r in chosen],
        rd_entrusted_overseas=[exact(r.rd_entrusted_overseas) for r in chosen],
        total_income=exact(last.total_income),
        non_taxable_income=exact(last.non_taxable_income),
        hightech_income=exact(last.hightech_income),
        # The expert score is not in the data: assess the rest, then mark
        # condition 7 as pending (see _pending_score).
        innovation_score=100,
        net_assets=[exact(r.net_assets) for r in chosen],
        tech_transfers_3y=sum(r.tech_transfers for r in chosen),
    )


def _pending_score(result: dict[str, Any]) -> dict[str, Any]:
    bands = result["bands"]
    hints = "，".join(
        f"{label}{bands[key]['band']}档"
        for key, label in (
            ("ip_count", "知识产权数量"),
            ("tech_transfers", "成果转化"),
            ("sales_growth", "销售收入增长"),
            ("net_asset_growth", "净资产增长"),
        )
        if key in bands
    )
    for condition in result["conditions"]:
        if condition["code"] == "innovation_score":
            condition.update(
                passed=None,
                actual=None,
                message=f"创新能力评价得分须由专家评定（须高于70分）；参考：{hints}",
            )
    decided = [c["passed"] for c in result["conditions"] if c["passed"] is not None]
    result["eligible"] = all(decided)
    return result


def tech_sme_figures(
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    has_valid_hnte: bool,
    institution_levels: list[str],
) -> TechSmeFigures | None:
    last = next((r for r in returns if r.year == today.year - 1), None)
    if last is None:
        return None
    rd = last.rd_super_deduction
    if rd is None:  # [I] fall back on the HNTE-scope figure when not given
        rd = last.rd_incurred
    return TechSmeFigures(
        evaluation_year=today.year,
        staff_total=exact(last.staff_total),
        tech_staff=exact(last.tech_staff),
        sales_revenue=exact(last.sales_revenue),
        total_assets=exact(last.total_assets),
        rd_expense=exact(rd),
        total_cost_expense=exact(last.total_cost_expense)
        if last.total_cost_expense is not None
        else None,
        ip_class1=last.ip_class1,
        ip_class2=last.ip_class2,
        high_tech_certificate_valid=has_valid_hnte,
        rd_institutions=institution_levels,
    )


def chuying_figures(
    enterprise: Enterprise, returns: list[AnnualReturn], *, today: date
) -> ChuyingFigures | None:
    last = next((r for r in returns if r.year == today.year - 1), None)
    if last is None or enterprise.founded_on is None:
        return None
    return ChuyingFigures(
        established_on=enterprise.founded_on,
        sales_revenue=exact(last.sales_revenue),
        staff_total=exact(last.staff_total),
        tech_staff=exact(last.tech_staff),
        rd_expense=exact(last.rd_incurred),
        ip_class1=last.ip_class1,
        ip_class2=last.ip_class2,
    )


def assess_tier(
    tier: Tier,
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    policy: Policy,
    has_valid_hnte: bool = False,
    institution_levels: list[str] | None = None,
    revoked_this_year: bool = False,
    registers: RegisterFacts | None = None,
) -> TierAssessment:
    """Assess `enterprise` against `tier` from its (usable) returns."""
    missing = f"缺少{today.year - 1}年度报表或成立日期，无法预审"
    if tier.code == Tier.HNTE:
        hnte = high_tech_figures(enterprise, returns, today=today, policy=policy)
        if hnte is None:
            return TierAssessment(tier.code, tier.name, None, missing)
        hnte = apply_registers(hnte, registers, on=today)
        result = _pending_score(assess_high_tech(hnte, policy=policy))
        if revoked_this_year:  # 195号 §五(六)3
            result["conditions"].append(
                {
                    "code": "not_revoked_this_year",
                    "passed": False,
                    "actual": True,
                    "required": False,
                    "message": f"{today.year}年被取消高新技术企业资格，当年不得再次申请",
                }
            )
            result["eligible"] = False
        return TierAssessment(tier.code, tier.name, result)
    if tier.code == Tier.TECH_SME:
        sme = tech_sme_figures(
            enterprise,
            returns,
            today=today,
            has_valid_hnte=has_valid_hnte,
            institution_levels=institution_levels or [],
        )
        if sme is None:
            return TierAssessment(tier.code, tier.name, None, missing)
        sme = apply_registers(sme, registers, on=today)
        return TierAssessment(tier.code, tier.name, assess_tech_sme(sme, policy=policy))
    if tier.code == Tier.CHUYING:
        chuying = chuying_figures(enterprise, returns, today=today)
        if chuying is None:
            return TierAssessment(tier.code, tier.name, None, missing)
        chuying = apply_registers(chuying, registers, on=today)
        result = assess_chuying(chuying, chuying_criteria_from_settings())
        return TierAssessment(tier.code, tier.name, result)
    return TierAssessment(
        tier.code,
        tier.name,
        None,
        f"{tier.name}由本地评选产生，没有可自动判断的条件",
    )
