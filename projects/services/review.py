"""Expert review: drawing reviewers, conflict declarations, sealed scores."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from projects.models import (
    Application,
    Expert,
    ExpertConflict,
    ReviewAssignment,
    TeamMember,
)


def expert_candidates(*, application: Application) -> list[Expert]:
    """Active experts in the call's (or the application's) fields, without a
    conflict: the applicant's own organisation, a declared relation, or an
    earlier collaboration (named in one of the applicant's earlier teams)."""
    call = application.call
    fields = set(call.field_list) | (
        {application.field} if application.field else set()
    )
    enterprise = application.enterprise
    related = set(
        ExpertConflict.objects.filter(enterprise=enterprise).values_list(
            "expert_id", flat=True
        )
    )
    collaborators = set(
        TeamMember.objects.filter(application__enterprise=enterprise)
        .exclude(application=application)
        .values_list("name", flat=True)
    )
    taken = set(application.assignments.values_list("expert_id", flat=True))
    result = []
    for expert in Expert.objects.filter(is_active=True, user__isnull=False).order_by(
        "id"
    ):
        if expert.pk in taken or expert.pk in related or expert.name in collaborators:
            continue
        if (
            expert.organisation
            and expert.organisation.strip() == enterprise.name.strip()
        ):
            continue
        if fields and not fields & set(expert.field_list):
            continue
        result.append(expert)
    return result


@transaction.atomic
def reviewers_draw(
    *,
    application: Application,
    by: User,
    count: int | None = None,
    rng: random.Random | None = None,
) -> list[ReviewAssignment]:
    """Draw reviewers at random among the candidates (a system RNG unless
    one is given, for tests)."""
    if application.state != Application.State.UNDER_REVIEW:
        raise ApplicationError(
            _("Reviewers are drawn once the formal check is passed."),
            code="not_under_review",
        )
    wanted = count or application.call.reviewers_per_application
    active = application.assignments.filter(declined_reason="").count()
    needed = max(0, wanted - active)
    candidates = expert_candidates(application=application)
    if needed > len(candidates):
        raise ApplicationError(
            _("Only %(n)d eligible experts remain for %(needed)d places.")
            % {"n": len(candidates), "needed": needed},
            code="not_enough_experts",
        )
    chosen = (rng or random.SystemRandom()).sample(candidates, needed)
    assignments = [
        ReviewAssignment.objects.create(application=application, expert=e)
        for e in chosen
    ]
    audit(
        by=by,
        action="review.draw",
        target=application,
        after={"experts": [e.pk for e in chosen]},
    )
    from bureau.services import notification_create

    for expert in chosen:
        if expert.user is None:  # candidates all have an account
            continue
        notification_create(
            recipient=expert.user,
            subject=_("Review task: %(title)s") % {"title": application.title},
            body=_(
                "Declare first that you have no conflict of interest, then read "
                "the application and score it."
            ),
            url=reverse("review-list"),
            send_email=True,
        )
    return assignments


@transaction.atomic
def assignment_declare(
    *, assignment: ReviewAssignment, by: User, conflict: bool, reason: str = ""
) -> ReviewAssignment:
    """The expert declares no conflict (and may then see the files), or a
    conflict (and leaves the review)."""
    lock_for_update(assignment)
    if assignment.expert.user_id != by.pk:
        raise ApplicationError(_("This review is not yours."), code="not_yours")
    if assignment.declared_at is not None or assignment.declined_reason:
        raise ApplicationError(_("You have already declared."), code="already_declared")
    if conflict:
        if not reason.strip():
            raise ValidationError({"reason": [_("Say what the conflict is.")]})
        assignment.declined_reason = reason.strip()[:200]
        assignment.save(update_fields=["declined_reason"])
        action = "review.declare_conflict"
    else:
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["declared_at"])
        action = "review.declare_no_conflict"
    audit(by=by, action=action, target=assignment, message=reason.strip()[:500])
    return assignment


def weighted_score(criteria: list[Any], scores: dict[str, int]) -> Decimal:
    """Each score as a share of its maximum, weighted, on a 100-point scale."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    value = (
        sum(
            (
                Decimal(scores[str(c.pk)]) / c.max_score * 100 * c.weight
                for c in criteria
            ),
            Decimal(0),
        )
        / total_weight
    )
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(
    *, assignment: ReviewAssignment, by: User, scores: dict[Any, Any], opinion: str = ""
) -> ReviewAssignment:
    lock_for_update(assignment)
    if assignment.expert.user_id != by.pk:
        raise ApplicationError(_("This review is not yours."), code="not_yours")
    if assignment.declared_at is None or assignment.declined_reason:
        raise ApplicationError(
            _("Declare that you have no conflict of interest first."),
            code="not_declared",
        )
    call = assignment.application.call
    if call.panel_closed_at is not None:
        raise ApplicationError(_("The review panel is closed."), code="panel_closed")
    if assignment.application.state != Application.State.UNDER_REVIEW:
        raise ApplicationError(
            _("The application is no longer under review."), code="not_under_review"
        )
    criteria = list(call.criteria.all())
    given = {str(k): v for k, v in scores.items()}
    errors: dict[str, Any] = {}
    clean: dict[str, int] = {}
    for c in criteria:
        raw = given.get(str(c.pk), "")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[f"scores.{c.pk}"] = [_("Score %(name)s.") % {"name": c.name}]
            continue
        if not 0 <= value <= c.max_score:
            errors[f"scores.{c.pk}"] = [
                _("%(name)s is scored from 0 to %(max)d.")
                % {"name": c.name, "max": c.max_score}
            ]
        clean[str(c.pk)] = value
    if errors:
        raise ValidationError(errors)
    assignment.scores = clean
    assignment.weighted_score = weighted_score(criteria, clean)
    assignment.opinion = opinion
    assignment.submitted_at = timezone.now()
    assignment.save(
        update_fields=["scores", "weighted_score", "opinion", "submitted_at"]
    )
    audit(
        by=by,
        action="review.submit",
        target=assignment,
        after={"weighted_score": str(assignment.weighted_score)},
    )
    return assignment
