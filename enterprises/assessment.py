"""The eligibility engine run on stored data: an enterprise's returns,
certificates and recorded checks become the engine's figures, and a tier is
assessed condition by condition as passed, failed or pending.

What the platform does not hold stays unknown (None) and the engine marks it
pending with what would decide it: the expert score, the judgements and
checks staff record as facts (enterprises.models.EnterpriseFact), and the
returns of the years a rule needs. Nothing is guessed from the years that
happen to be on file.

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
    Finding,
    HighTechFigures,
    NewChuyingFigures,
    Policy,
    TechSmeFigures,
    assess_chuying,
    assess_high_tech,
    assess_new_chuying,
    assess_tech_sme,
    chuying_criteria_from_settings,
    exact,
    hnte_years,
    new_chuying_criteria_from_settings,
    years_text,
)
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, Tier
from enterprises.register_figures import RegisterFacts, apply_registers

# Filings the pre-check trusts: handed in, whether or not staff reviewed them.
USABLE_STATUSES = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)
ASSESSED_TIERS = (Tier.CHUYING, Tier.TECH_SME, Tier.NEW_CHUYING, Tier.HNTE)


@dataclass
class TierAssessment:
    tier_code: str
    tier_name: str
    result: dict[str, Any] | None  # the engine's answer; None if no data
    note: str = ""  # why there is no result, in Chinese

    def _alternatives_settled(self, c: dict[str, Any]) -> bool:
        """For 科小 the score and the direct grounds are alternatives: the
        direct condition is never a gap, and the score is none once a direct
        ground holds."""
        if self.tier_code != Tier.TECH_SME or not self.result:
            return False
        if c["code"] == "direct":
            return True
        direct = next(x for x in self.result["conditions"] if x["code"] == "direct")
        return c["code"] == "score" and direct["passed"] is True

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Missed conditions (✗)."""
        if not self.result:
            return []
        return [
            c
            for c in self.result["conditions"]
            if c["passed"] is False and not self._alternatives_settled(c)
        ]

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Conditions the stored data cannot decide (待核实)."""
        if not self.result:
            return []
        return [
            c
            for c in self.result["conditions"]
            if c["passed"] is None and not self._alternatives_settled(c)
        ]

    @property
    def pending_data(self) -> list[dict[str, Any]]:
        """Pending until the enterprise's own figures are on file (a return,
        the founding date, the super-deduction figure)."""
        return [c for c in self.pending if c.get("awaits") == "data"]

    @property
    def pending_checks(self) -> list[dict[str, Any]]:
        """Pending on a person's judgement or check (the expert score,
        incidents, credit …), which the enterprise cannot supply."""
        return [c for c in self.pending if c.get("awaits") != "data"]

    @property
    def eligible(self) -> bool | None:
        """True when every condition passed, False when any failed, None
        when nothing failed but something is pending."""
        if not self.result:
            return None
        if self.failed:
            return False
        if self.pending:
            return None
        return bool(self.result["eligible"])

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


def _last_return(
    returns: list[AnnualReturn], today: date
) -> tuple[AnnualReturn | None, list[str]]:
    """The return of the accounting year before `today`'s, and what is
    missing when there is none."""
    year = today.year - 1
    last = next((r for r in returns if r.year == year), None)
    return last, ([] if last is not None else [years_text([year])])


def high_tech_figures(
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    policy: Policy,
    findings: dict[str, Finding] | None = None,
) -> HighTechFigures:
    """Figures for an application made `today` from the accounting years the
    rules require (RULES §0.3, §2.2(5)): the three before it, or the years
    since founding. Years without a usable return stay out of the lists, so
    the conditions that need them are pending and name them."""
    by_year = {r.year: r for r in returns}
    years = [y for y in hnte_years(today, enterprise.founded_on) if y in by_year]
    chosen = [by_year[y] for y in years]
    last, absent = _last_return(returns, today)
    return HighTechFigures(
        application_date=today,
        established_on=enterprise.founded_on,
        ip_class1=last.ip_class1 if last else None,
        ip_class2=last.ip_class2 if last else None,
        # An expert's judgement: a recorded fact decides it, the profile's
        # field does not.
        core_tech_in_supported_fields=None,
        staff_total=exact(last.staff_total) if last else None,
        tech_staff=exact(last.tech_staff) if last else None,
        sales_revenue=[exact(r.sales_revenue) for r in chosen],
        rd_internal=[_rd_internal_capped(r, policy) for r in chosen],
        rd_entrusted_domestic=[exact(r.rd_entrusted_domestic) for r in chosen],
        rd_entrusted_overseas=[exact(r.rd_entrusted_overseas) for r in chosen],
        total_income=exact(last.total_income) if last else None,
        non_taxable_income=exact(last.non_taxable_income) if last else Fraction(0),
        hightech_income=exact(last.hightech_income) if last else None,
        innovation_score=None,  # experts score it
        major_incident_dates=None,  # not held: a recorded check decides
        net_assets=[exact(r.net_assets) for r in chosen],
        tech_transfers_3y=sum(r.tech_transfers for r in chosen),
        years=years,
        absent=absent,
        findings=findings or {},
    )


def tech_sme_rd_estimate(annual_return: AnnualReturn) -> Fraction | None:
    """An estimate of the super-deduction base of RULES §4 for a return whose
    研发费用加计扣除额 is blank, computed with the §4 calculator's rules
    (enterprises.deduction: entrusted R&D at 80%, overseas within 2/3, other
    costs capped) from the return's R&D categories. Used only when
    settings.TECH_SME_RD_ESTIMATE is true, and always shown as 估算. None
    when the return holds no R&D categories. Never the HNTE figure (RULES
    §2.4, §3.4)."""
    from decimal import Decimal

    from enterprises.deduction import (
        SME_ESTIMATE_FIELDS,
        estimate_sme_rd_deduction_base,
    )

    parts = {name: getattr(annual_return, name, None) for name in SME_ESTIMATE_FIELDS}
    if all(value is None for value in parts.values()):
        return None
    amounts: dict[str, Any] = {
        name: value or Decimal(0) for name, value in parts.items()
    }
    estimate = estimate_sme_rd_deduction_base(**amounts)
    return exact(estimate)


def tech_sme_figures(
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    has_valid_hnte: bool,
    institution_levels: list[str],
    findings: dict[str, Finding] | None = None,
) -> TechSmeFigures:
    """§3 figures of the previous accounting year. The R&D measure is the
    super-deduction figure (§3.4); blank, it is unknown (or an estimate
    labelled 估算 when settings.TECH_SME_RD_ESTIMATE allows one)."""
    from django.conf import settings

    last, absent = _last_return(returns, today)
    rd: Fraction | None = None
    estimated = False
    rd_absent: list[str] = []
    if last is not None:
        if last.rd_super_deduction is not None:
            rd = exact(last.rd_super_deduction)
        else:
            if getattr(settings, "TECH_SME_RD_ESTIMATE", False):
                rd = tech_sme_rd_estimate(last)
                estimated = rd is not None
            if rd is None:
                rd_absent = [f"{last.year}年度研发费用加计扣除额"]
    return TechSmeFigures(
        evaluation_year=today.year,
        staff_total=exact(last.staff_total) if last else None,
        tech_staff=exact(last.tech_staff) if last else None,
        sales_revenue=exact(last.sales_revenue) if last else None,
        total_assets=exact(last.total_assets) if last else None,
        rd_expense=rd,
        total_cost_expense=exact(last.total_cost_expense)
        if last is not None and last.total_cost_expense is not None
        else None,
        ip_class1=last.ip_class1 if last else None,
        ip_class2=last.ip_class2 if last else None,
        restricted_industry=None,  # not held: a recorded check decides
        compliance_issue=None,  # not held: recorded checks decide
        high_tech_certificate_valid=has_valid_hnte,
        rd_institutions=institution_levels,
        absent=absent,
        rd_absent=rd_absent,
        rd_estimated=estimated,
        findings=findings or {},
    )


def chuying_figures(
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    findings: dict[str, Finding] | None = None,
) -> ChuyingFigures:
    last, absent = _last_return(returns, today)
    return ChuyingFigures(
        established_on=enterprise.founded_on,
        sales_revenue=exact(last.sales_revenue) if last else None,
        staff_total=exact(last.staff_total) if last else None,
        tech_staff=exact(last.tech_staff) if last else None,
        rd_expense=exact(last.rd_incurred) if last else None,
        ip_class1=last.ip_class1 if last else None,
        ip_class2=last.ip_class2 if last else None,
        separate_rd_accounts=None,  # not held: a recorded check decides
        compliance_issue=None,
        absent=absent,
        findings=findings or {},
    )


def new_chuying_figures(
    enterprise: Enterprise,
    returns: list[AnnualReturn],
    *,
    today: date,
    holds_tech_sme: bool,
    findings: dict[str, Finding] | None = None,
) -> NewChuyingFigures:
    """§6.2 figures of the previous year. The returns hold S&T staff, not
    R&D staff, and no IP applications or financing: those stay unknown."""
    last, absent = _last_return(returns, today)
    by_year = {r.year: r for r in returns}
    years = hnte_years(today, enterprise.founded_on)
    missing = [y for y in years if y not in by_year]
    rd_3y = (
        sum((exact(by_year[y].rd_incurred) for y in years), Fraction(0))
        if not missing
        else None
    )
    return NewChuyingFigures(
        evaluation_date=today,
        established_on=enterprise.founded_on,
        provincial_tech_sme=holds_tech_sme,
        future_industry=None,
        staff_total=exact(last.staff_total) if last else None,
        rd_staff=None,
        operating_revenue=exact(last.sales_revenue) if last else None,
        rd_expense=exact(last.rd_incurred) if last else None,
        core_ip_applications=None,
        core_ip_granted=None,
        pct_applications=None,
        d_class_talent=None,
        rd_input_3y=rd_3y,
        equity_financing=None,
        serious_dishonesty=None,
        absent=absent,
        rd_staff_absent=[f"{today.year - 1}年度研发人员数（年度报表未采集）"],
        rd_3y_absent=[years_text(missing)] if missing else [],
        findings=findings or {},
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
    findings: dict[str, Finding] | None = None,
    held_codes: set[str] | None = None,
) -> TierAssessment:
    """Assess `enterprise` against `tier` from its usable returns and the
    facts staff recorded (`findings`, by subject, still valid)."""
    findings = findings or {}
    if tier.code == Tier.HNTE:
        hnte = high_tech_figures(
            enterprise, returns, today=today, policy=policy, findings=findings
        )
        hnte = apply_registers(hnte, registers, on=today)
        result = assess_high_tech(hnte, policy=policy)
        if revoked_this_year:  # 195号 §五(六)3
            result["conditions"].append(
                {
                    "code": "not_revoked_this_year",
                    "status": "failed",
                    "passed": False,
                    "actual": True,
                    "required": False,
                    "message": f"{today.year}年被取消高新技术企业资格，当年不得再次申请",
                    "missing": [],
                    "awaits": "",
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
            findings=findings,
        )
        sme = apply_registers(sme, registers, on=today)
        return TierAssessment(tier.code, tier.name, assess_tech_sme(sme, policy=policy))
    if tier.code == Tier.CHUYING:
        chuying = chuying_figures(enterprise, returns, today=today, findings=findings)
        chuying = apply_registers(chuying, registers, on=today)
        result = assess_chuying(chuying, chuying_criteria_from_settings())
        return TierAssessment(tier.code, tier.name, result)
    if tier.code == Tier.NEW_CHUYING:
        figures = new_chuying_figures(
            enterprise,
            returns,
            today=today,
            holds_tech_sme=Tier.TECH_SME in (held_codes or set()),
            findings=findings,
        )
        result = assess_new_chuying(figures, new_chuying_criteria_from_settings())
        return TierAssessment(tier.code, tier.name, result)
    return TierAssessment(
        tier.code,
        tier.name,
        None,
        f"{tier.name}由本地评选产生，没有可自动判断的条件",
    )
