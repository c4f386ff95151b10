"""规上 confirmation: staff confirm what the revenue proposes (RULES §5.1)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from enterprises.models import Enterprise
from enterprises.selectors.scale import above_scale_proposal


@transaction.atomic
def above_scale_confirm(*, enterprise: Enterprise, by: User) -> Enterprise:
    """Mark `enterprise` above designated size (规上) on its revenue proposal.
    409 when it is already marked or no longer proposed."""
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if locked.is_above_scale:
        raise ApplicationError(
            _("%(name)s is already marked above designated size.")
            % {"name": locked.name},
            code="already_above_scale",
        )
    proposal = above_scale_proposal(locked)
    if proposal is None:
        raise ApplicationError(
            _("%(name)s is not proposed: its latest return is below the threshold.")
            % {"name": locked.name},
            code="not_proposed",
        )
    locked.is_above_scale = True
    locked.save(update_fields=["is_above_scale", "updated_at"])
    audit(
        by=by,
        action="enterprise.above_scale_confirm",
        target=locked,
        before={"is_above_scale": False},
        after={
            "is_above_scale": True,
            "year": getattr(proposal, "proposal_year", None),
            "main_business_revenue": str(
                Decimal(getattr(proposal, "proposal_revenue", 0)).quantize(
                    Decimal("0.01")
                )
            ),
        },
        message=str(locked),
    )
    enterprise.is_above_scale = True
    return locked
