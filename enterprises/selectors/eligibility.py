"""The tier pre-check on stored data: its inputs, loaded the same way for
one enterprise (pages, call pre-check) or all (nightly), and the one loader
`eligibility_for`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from bureau.permissions import AnyUser
from enterprises.models import AnnualReturn, Certification, Enterprise, Tier
from enterprises.permissions import enterprises_visible_to
from enterprises.selectors.registry import next_tier

if TYPE_CHECKING:
    from enterprises.assessment import TierAssessment
    from enterprises.eligibility import Policy


@dataclass
class EligibilityInputs:
    """What the pre-check of one enterprise reads from stored data, loaded the
    same way for one enterprise (pages, call pre-check) or all (nightly)."""

    returns: list[AnnualReturn] = field(default_factory=list)
    held_ranks: list[int] = field(default_factory=list)
    has_valid_hnte: bool = False
    institution_levels: list[str] = field(default_factory=list)
    revoked_tier_ids: set[int] = field(default_factory=set)


def eligibility_inputs_all(*, on: date) -> dict[int, EligibilityInputs]:
    """EligibilityInputs of every enterprise with any, in four queries."""
    from collections import defaultdict

    from enterprises.assessment import USABLE_STATUSES
    from enterprises.models import RDInstitution

    inputs: dict[int, EligibilityInputs] = defaultdict(EligibilityInputs)
    for enterprise_id, rank, code in Certification.objects.current(on).values_list(
        "enterprise_id", "tier__rank", "tier__code"
    ):
        inputs[enterprise_id].held_ranks.append(rank)
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

    return assess_tier(
        tier,
        enterprise,
        inputs.returns,
        today=on,
        policy=policy or policy_from_settings(),
        has_valid_hnte=inputs.has_valid_hnte,
        institution_levels=inputs.institution_levels,
        revoked_this_year=tier.pk in inputs.revoked_tier_ids,
    )


def eligibility_for(
    enterprise: Enterprise, tier: Tier, *, on: date | None = None
) -> TierAssessment:
    """The one loader of the tier pre-check on stored data: the enterprise
    page, the call pre-check and the nightly snapshot all judge through it."""
    on = on or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=on)
    return eligibility_with_inputs(enterprise, tier, inputs, on=on)


def enterprise_next_tier_assessment(
    *, enterprise: Enterprise, today: date | None = None
) -> TierAssessment | None:
    """The enterprise's next tier up and every condition met or missed; None
    when there is none, or for an organisation that is not an enterprise (a
    university is never pre-checked for 高企)."""
    if not enterprise.is_enterprise:
        return None
    today = today or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=today)
    tier = next_tier(max(inputs.held_ranks, default=None))
    if tier is None:
        return None
    return eligibility_with_inputs(enterprise, tier, inputs, on=today)


def closest_to_qualifying(*, user: AnyUser, tier_code: str) -> QuerySet:
    """Snapshots of enterprises `user` may see, nearest to `tier_code` first."""
    from enterprises.models import EligibilitySnapshot

    return (
        EligibilitySnapshot.objects.filter(
            tier__code=tier_code, enterprise__in=enterprises_visible_to(user)
        )
        .select_related("enterprise__org_unit", "tier")
        .order_by("-eligible", "failed_count", "gap_score", "enterprise__name")
    )
