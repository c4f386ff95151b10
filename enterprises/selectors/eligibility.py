"""The tier pre-check on stored data: its inputs, loaded the same way for
one enterprise (pages, call pre-check, API) or all (nightly), and the one
loader `eligibility_for`. Every place that shows a verdict reads it here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from bureau.permissions import AnyUser
from enterprises.models import (
    AnnualReturn,
    Certification,
    Enterprise,
    EnterpriseFact,
    Tier,
)
from enterprises.permissions import enterprises_visible_to
from enterprises.selectors.ip import (
    ip_facts_by_enterprise,
    transfer_facts_by_enterprise,
)
from enterprises.selectors.staff import roster_figures_by_enterprise

if TYPE_CHECKING:
    from enterprises.assessment import TierAssessment
    from enterprises.eligibility import Finding, Policy
    from enterprises.ip_rules import IPFacts, TransferFacts
    from enterprises.staff_rules import RosterFigures


@dataclass
class EligibilityInputs:
    """What the pre-check of one enterprise reads from stored data, loaded the
    same way for one enterprise (pages, call pre-check) or all (nightly)."""

    returns: list[AnnualReturn] = field(default_factory=list)
    held_ranks: list[int] = field(default_factory=list)
    held_codes: set[str] = field(default_factory=set)
    has_valid_hnte: bool = False
    institution_levels: list[str] = field(default_factory=list)
    revoked_tier_ids: set[int] = field(default_factory=set)
    # The registers, when kept (None: the returns' counts stand).
    ip_items: list[IPFacts] | None = None
    transfers: list[TransferFacts] | None = None
    rosters: dict[int, RosterFigures] = field(default_factory=dict)
    # The latest still-valid recorded fact per subject (FactSubject).
    findings: dict[str, Finding] = field(default_factory=dict)


def _facts_valid_on(on: date) -> QuerySet[EnterpriseFact]:
    """Facts checked by `on`, oldest first (so the latest wins)."""
    return EnterpriseFact.objects.filter(checked_on__lte=on).order_by(
        "checked_on", "id"
    )


def _add_fact(inputs: EligibilityInputs, fact: EnterpriseFact, *, on: date) -> None:
    """Keep `fact` as its subject's finding unless it has expired on `on`
    (ELIGIBILITY_FACT_VALID_DAYS); an expired latest check leaves the
    subject unknown again, it does not bring back an older one."""
    from enterprises.eligibility import Finding

    until = fact.valid_until()
    if until is not None and until < on:
        inputs.findings.pop(fact.subject, None)
        return
    inputs.findings[fact.subject] = Finding(met=fact.met, evidence=fact.evidence)


def eligibility_inputs_all(*, on: date) -> dict[int, EligibilityInputs]:
    """EligibilityInputs of every enterprise with any, in eight queries."""
    from collections import defaultdict

    from enterprises.assessment import USABLE_STATUSES
    from enterprises.models import RDInstitution

    inputs: dict[int, EligibilityInputs] = defaultdict(EligibilityInputs)
    for enterprise_id, rank, code in Certification.objects.current(on).values_list(
        "enterprise_id", "tier__rank", "tier__code"
    ):
        inputs[enterprise_id].held_ranks.append(rank)
        inputs[enterprise_id].held_codes.add(code)
        if code == Tier.HNTE:
            inputs[enterprise_id].has_valid_hnte = True
    for enterprise_id, tier_id in Certification.objects.filter(
        status=Certification.Status.REVOKED, revoked_on__year=on.year
    ).values_list("enterprise_id", "tier_id"):
        inputs[enterprise_id].revoked_tier_ids.add(tier_id)
    for r in AnnualReturn.objects.filter(
        year__gte=on.year - 3, year__lt=on.year, status__in=USABLE_STATUSES
    ).iterator(chunk_size=5000):
        inputs[r.enterprise_id].returns.append(r)
    for enterprise_id, level in RDInstitution.objects.values_list(
        "enterprise_id", "level"
    ):
        inputs[enterprise_id].institution_levels.append(level)
    for enterprise_id, items in ip_facts_by_enterprise().items():
        inputs[enterprise_id].ip_items = items
    for enterprise_id, transfers in transfer_facts_by_enterprise().items():
        inputs[enterprise_id].transfers = transfers
    for enterprise_id, rosters in roster_figures_by_enterprise(
        year=on.year - 1
    ).items():
        inputs[enterprise_id].rosters = rosters
    for fact in _facts_valid_on(on).iterator(chunk_size=5000):
        _add_fact(inputs[fact.enterprise_id], fact, on=on)
    return dict(inputs)


def eligibility_inputs(*, enterprise: Enterprise, on: date) -> EligibilityInputs:
    """EligibilityInputs of one enterprise, read as eligibility_inputs_all does."""
    from enterprises.assessment import USABLE_STATUSES
    from enterprises.models import RDInstitution

    inputs = EligibilityInputs()
    for rank, code in (
        Certification.objects.current(on)
        .filter(enterprise=enterprise)
        .values_list("tier__rank", "tier__code")
    ):
        inputs.held_ranks.append(rank)
        inputs.held_codes.add(code)
        inputs.has_valid_hnte = inputs.has_valid_hnte or code == Tier.HNTE
    inputs.revoked_tier_ids = set(
        Certification.objects.filter(
            enterprise=enterprise,
            status=Certification.Status.REVOKED,
            revoked_on__year=on.year,
        ).values_list("tier_id", flat=True)
    )
    inputs.returns = list(
        AnnualReturn.objects.filter(
            enterprise=enterprise,
            year__gte=on.year - 3,
            year__lt=on.year,
            status__in=USABLE_STATUSES,
        )
    )
    inputs.institution_levels = list(
        RDInstitution.objects.filter(enterprise=enterprise).values_list(
            "level", flat=True
        )
    )
    inputs.ip_items = ip_facts_by_enterprise(enterprise).get(enterprise.pk)
    inputs.transfers = transfer_facts_by_enterprise(enterprise).get(enterprise.pk)
    inputs.rosters = roster_figures_by_enterprise(
        year=on.year - 1, enterprise=enterprise
    ).get(enterprise.pk, {})
    for fact in _facts_valid_on(on).filter(enterprise=enterprise):
        _add_fact(inputs, fact, on=on)
    return inputs


def eligibility_with_inputs(
    enterprise: Enterprise,
    tier: Tier,
    inputs: EligibilityInputs,
    *,
    on: date,
    policy: Policy | None = None,
) -> TierAssessment:
    """The pre-check of `enterprise` for `tier` on the given inputs."""
    from enterprises.assessment import assess_tier
    from enterprises.eligibility import policy_from_settings
    from enterprises.register_figures import RegisterFacts

    return assess_tier(
        tier,
        enterprise,
        inputs.returns,
        today=on,
        policy=policy or policy_from_settings(),
        has_valid_hnte=inputs.has_valid_hnte,
        institution_levels=inputs.institution_levels,
        revoked_this_year=tier.pk in inputs.revoked_tier_ids,
        registers=RegisterFacts(inputs.ip_items, inputs.transfers, inputs.rosters),
        findings=inputs.findings,
        held_codes=inputs.held_codes,
    )


def eligibility_for(
    enterprise: Enterprise, tier: Tier, *, on: date | None = None
) -> TierAssessment:
    """The one loader of the tier pre-check on stored data: the enterprise
    page, the call pre-check, the API and the nightly snapshot all judge
    through it (or through eligibility_with_inputs on the same inputs)."""
    on = on or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=on)
    return eligibility_with_inputs(enterprise, tier, inputs, on=on)


def precheck_tiers(tiers: list[Tier], held_rank: int | None) -> list[Tier]:
    """The assessed tiers worth pre-checking for an enterprise whose highest
    tier has `held_rank`: the next rung up first, then the side tiers
    (settings.PRECHECK_SIDE_TIERS, e.g. 新雏鹰) above it. `tiers` are the
    active tiers by rank."""
    from enterprises.assessment import ASSESSED_TIERS

    side = set(getattr(settings, "PRECHECK_SIDE_TIERS", []))
    above = [t for t in tiers if held_rank is None or t.rank > held_rank]
    # The next rung even when local selection decides it (its pre-check
    # then says so); side tiers only when the engine can assess them.
    main = next((t for t in above if t.code not in side), None)
    chosen = [main] if main is not None else []
    chosen += [t for t in above if t.code in side and t.code in ASSESSED_TIERS]
    return chosen


@dataclass
class EnterprisePrecheck:
    """The enterprise page's pre-check: the tier shown and the others that
    may be picked (next rung first)."""

    assessment: TierAssessment | None
    tiers: list[Tier]
    # What it was judged on: the page's registers section reads the IP and
    # transfers from here instead of again.
    inputs: EligibilityInputs | None = None


def enterprise_precheck(
    *, enterprise: Enterprise, tier_code: str | None = None, today: date | None = None
) -> EnterprisePrecheck:
    """The pre-check of the next rung up, or of `tier_code` when the engine
    assesses that tier (any, even one held: the API answers the same), every
    condition passed, failed or pending."""
    from enterprises.assessment import ASSESSED_TIERS

    today = today or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=today)
    active = list(Tier.objects.filter(is_active=True).order_by("rank"))
    tiers = precheck_tiers(active, max(inputs.held_ranks, default=None))
    asked = next(
        (t for t in active if t.code == tier_code and t.code in ASSESSED_TIERS),
        None,
    )
    if asked is not None and asked not in tiers:
        tiers.append(asked)
    if not tiers:
        return EnterprisePrecheck(None, [], inputs)
    tier = asked or tiers[0]
    return EnterprisePrecheck(
        eligibility_with_inputs(enterprise, tier, inputs, on=today), tiers, inputs
    )


def enterprise_next_tier_assessment(
    *, enterprise: Enterprise, today: date | None = None
) -> TierAssessment | None:
    """The enterprise's next tier up and every condition met, missed or
    pending; None for an organisation that is not an enterprise (a
    university is never pre-checked for 高企)."""
    if not enterprise.is_enterprise:
        return None
    return enterprise_precheck(enterprise=enterprise, today=today).assessment


def closest_to_qualifying(*, user: AnyUser, tier_code: str) -> QuerySet:
    """Snapshots of enterprises `user` may see, nearest to `tier_code` first:
    all passed, then nothing missed but something pending, then by how few
    conditions are missed and by how little."""
    from enterprises.models import EligibilitySnapshot

    return (
        EligibilitySnapshot.objects.filter(
            tier__code=tier_code, enterprise__in=enterprises_visible_to(user)
        )
        .select_related("enterprise__org_unit", "tier")
        # All passed has no miss and nothing pending; pending-only next.
        .order_by("failed_count", "gap_score", "pending_count", "enterprise__name")
    )
