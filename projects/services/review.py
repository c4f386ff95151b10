"""Expert review: drawing reviewers (and replacements), conflict
declarations, sealed scores, and closing and re-opening the panel."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from projects.models import (
    Application,
    Call,
    Expert,
    ExpertConflict,
    PanelEvent,
    ReviewAssignment,
    TeamMember,
)
from projects.selectors.reviews import panel_gaps


def expert_candidates(*, application: Application) -> list[Expert]:
    """Active experts of the application's professional field (or, when it
    has none, the call's), without a conflict: the applicant's own
    organisation, a declared relation, or an earlier collaboration (named in
    one of the applicant's earlier teams). An expert matches when one of
    their fields is the wanted field, its parent (a whole 高新技术领域), or a
    sub-field of it; with no field wanted, every expert matches."""
    wanted = application.field or application.call.field
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
    experts = Expert.objects.filter(is_active=True, user__isnull=False)
    if wanted is not None:
        matches = Q(fields=wanted) | Q(fields__parent=wanted)
        if wanted.parent_id is not None:
            matches |= Q(fields=wanted.parent_id)
        experts = experts.filter(matches).distinct()
    result = []
    for expert in experts.order_by("id"):
        if expert.pk in taken or expert.pk in related or expert.name in collaborators:
            continue
        if (
            expert.organisation
            and expert.organisation.strip() == enterprise.name.strip()
        ):
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
    active = application.assignments.filter(
        declined_reason="", replaced_at__isnull=True
    ).count()
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
    for expert in chosen:
        _notify_drawn(expert, application)
    return assignments


def _notify_drawn(expert: Expert, application: Application) -> None:
    from bureau.services import notification_create

    if expert.user is None:  # candidates all have an account
        return
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


@transaction.atomic
def assignment_replace(
    *, assignment: ReviewAssignment, by: User, rng: random.Random | None = None
) -> ReviewAssignment:
    """Give a declined or overdue review to another expert, drawn at random
    among the candidates (the same conflict and avoidance rules as the first
    draw). The old assignment is kept, marked replaced: its expert loses it."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    application = assignment.application
    if application.call.panel_closed_at is not None:
        raise ApplicationError(_("The review panel is closed."), code="panel_closed")
    if application.state != Application.State.UNDER_REVIEW:
        raise ApplicationError(
            _("The application is no longer under review."), code="not_under_review"
        )
    if assignment.replaced_at is not None:
        raise ApplicationError(
            _("This review has already been given to another expert."),
            code="already_replaced",
        )
    if assignment.submitted_at is not None:
        raise ApplicationError(
            _("This expert has already scored the application."),
            code="already_submitted",
        )
    if not assignment.is_replaceable:
        raise ApplicationError(
            _(
                "Only a review the expert declined, or one not scored within "
                "%(days)d days of the draw, can be given to another expert."
            )
            % {"days": settings.REVIEW_DUE_DAYS},
            code="not_replaceable",
        )
    candidates = expert_candidates(application=application)
    if not candidates:
        raise ApplicationError(
            _("No other eligible expert remains for this application."),
            code="not_enough_experts",
        )
    expert = (rng or random.SystemRandom()).choice(candidates)
    assignment.replaced_at = timezone.now()
    assignment.save(update_fields=["replaced_at"])
    replacement = ReviewAssignment.objects.create(
        application=application, expert=expert
    )
    why = "declined" if assignment.declined_reason else "overdue"
    audit(
        by=by,
        action="review.replace",
        target=application,
        before={"expert": assignment.expert_id, "assignment": assignment.pk},
        after={"expert": expert.pk, "assignment": replacement.pk, "why": why},
        message=f"{assignment.expert.name} → {expert.name}",
    )
    _notify_drawn(expert, application)
    return replacement


def panel_close_check(*, call: Call, force: bool = False, reason: str = "") -> None:
    """Raise what `call_panel_close` would refuse (409, or 400 for a forced
    close without a reason), so a page can say it before asking to confirm."""
    if call.panel_closed_at is not None:
        raise ApplicationError(_("The panel is already closed."), code="panel_closed")
    if call.published_at is None:
        raise ApplicationError(
            _("The call is not published: it has no panel to close."),
            code="not_published",
        )
    if timezone.now() >= call.closes_at:
        return
    if not force:
        deadline = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
        raise ApplicationError(
            _(
                "The call accepts applications until %(deadline)s: close the panel "
                "after that, or close it now giving the reason."
            )
            % {"deadline": deadline},
            code="call_still_open",
            extra={"closes_at": call.closes_at.isoformat()},
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": [_("Give the reason for closing the panel early.")]}
        )


@transaction.atomic
def call_panel_close(
    *, call: Call, by: User, force: bool = False, reason: str = ""
) -> Call:
    """Close the review panel: scores become visible to all the call's
    experts, and experts lose access to the applications. Refused while the
    call still accepts applications, unless forced with a reason. The
    applications still missing a review are recorded with the closing."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    panel_close_check(call=call, force=force, reason=reason)
    reason = reason.strip()
    still_open = timezone.now() < call.closes_at
    missing = panel_gaps(call=call)
    call.panel_closed_at = timezone.now()
    call.save(update_fields=["panel_closed_at"])
    PanelEvent.objects.create(
        call=call,
        kind=PanelEvent.Kind.FORCED_CLOSE if still_open else PanelEvent.Kind.CLOSE,
        reason=reason[:500],
        missing_reviews=[g.application.title for g in missing],
        by=by,
    )
    audit(
        by=by,
        action="call.close_panel",
        target=call,
        after={
            "forced": still_open,
            "missing_reviews": "、".join(f"《{g.application.title}》" for g in missing),
        },
        message=reason[:500],
    )
    return call


@transaction.atomic
def call_panel_reopen(*, call: Call, by: User, reason: str) -> Call:
    """Re-open a closed panel (a section head, with the reason): experts
    regain their open reviews and staff may draw replacements again."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.panel_closed_at is None:
        raise ApplicationError(_("The panel is open."), code="panel_open")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for re-opening.")]})
    closed_at = call.panel_closed_at
    call.panel_closed_at = None
    call.save(update_fields=["panel_closed_at"])
    PanelEvent.objects.create(
        call=call, kind=PanelEvent.Kind.REOPEN, reason=reason[:500], by=by
    )
    audit(
        by=by,
        action="call.reopen_panel",
        target=call,
        before={"panel_closed_at": closed_at.isoformat()},
        message=reason[:500],
    )
    _notify_reopened(call)
    return call


def _notify_reopened(call: Call) -> None:
    """Tell the experts whose review is still to be done that they may go on."""
    from bureau.services import notification_create

    waiting = ReviewAssignment.objects.filter(
        application__call=call,
        application__state=Application.State.UNDER_REVIEW,
        submitted_at__isnull=True,
        declined_reason="",
        replaced_at__isnull=True,
        expert__user__isnull=False,
    ).select_related("expert__user", "application")
    for assignment in waiting:
        user = assignment.expert.user
        if user is None:  # filtered out above
            continue
        notification_create(
            recipient=user,
            subject=_("The review of “%(title)s” is open again")
            % {"title": assignment.application.title},
            body=_("The review panel was re-opened: you may score the application."),
            url=reverse("review-detail", args=[assignment.pk]),
            send_email=True,
        )


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
    if assignment.replaced_at is not None:
        raise ApplicationError(
            _("This review has been given to another expert."), code="replaced"
        )
    if assignment.declared_at is None or assignment.declined_reason:
        raise ApplicationError(
            _("Declare that you have no conflict of interest first."),
            code="not_declared",
        )
    if assignment.submitted_at is not None:
        raise ApplicationError(
            _("You have already submitted this review."), code="already_submitted"
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
