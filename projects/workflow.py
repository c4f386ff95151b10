"""The application workflow: every allowed move, who may make it, and what
it needs, in one table (DESIGN §5 states).

Pure: this module reads but never writes. The write is
`projects.services.workflow.application_transition`, the only way an
application changes state; it asks this table in one order: a move the
caller's role may never make is PermissionDenied (403, `role_may_reach`); a
move not allowed from the current state is an ApplicationError (409); a move
whose business rule fails (deadline, missing contract, …) is a 409 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.lib.exceptions import ApplicationError
from bureau.models import Role, User
from bureau.permissions import BUREAU_WRITERS, DECIDERS
from projects.models import Application

S = Application.State
ENTERPRISE: tuple[str, ...] = (Role.ENTERPRISE,)
STAFF = BUREAU_WRITERS
HEAD = DECIDERS


@dataclass(frozen=True)
class Move:
    name: str  # what the move is called, for messages and the audit log
    sources: frozenset[str]
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False
    check: Callable[[Application, dict[str, Any]], None] | None = None


def _midterm_needed(app: Application) -> bool:
    threshold = app.call.programme.midterm_threshold
    return threshold is not None and (app.approved_amount or Decimal(0)) > threshold


# --- Checks: raise ApplicationError (409) naming the broken rule ------------


def _check_submit(app: Application, data: dict[str, Any]) -> None:
    call = app.call
    now = timezone.now()
    if call.published_at is None or now < call.opens_at:
        raise ApplicationError(_("The call is not open yet."), code="call_not_open")
    if now >= call.closes_at:
        deadline = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
        raise ApplicationError(
            _("The call closed at %(deadline)s; submissions are no longer accepted.")
            % {"deadline": deadline},
            code="call_closed",
            extra={"deadline": call.closes_at.isoformat()},
        )
    kinds = set(app.attachments.values_list("kind", flat=True))
    missing = [k for k in call.required_attachments if k not in kinds]
    if missing:
        raise ApplicationError(
            _("Required attachments are missing: %(kinds)s.")
            % {"kinds": "、".join(missing)},
            code="attachments_missing",
        )
    if call.max_request is not None and app.requested_amount > call.max_request:
        raise ApplicationError(
            _("The requested amount is above the call's limit of %(max)s yuan.")
            % {"max": call.max_request},
            code="over_limit",
        )
    lines = sum((line.amount for line in app.budget_lines.all()), Decimal(0))
    if lines and lines != app.requested_amount:
        raise ApplicationError(
            _(
                "The budget lines add up to %(lines)s yuan, not the requested %(requested)s."
            )
            % {"lines": lines, "requested": app.requested_amount},
            code="budget_mismatch",
        )


def _check_approve(app: Application, data: dict[str, Any]) -> None:
    amount = data.get("approved_amount")
    if amount is None:
        raise ValidationError({"approved_amount": [_("Give the approved amount.")]})
    if not Decimal(0) < Decimal(amount) <= app.requested_amount:
        raise ValidationError(
            {
                "approved_amount": [
                    _("The approved amount must be above zero and at most the request.")
                ]
            }
        )
    if not app.assignments.filter(submitted_at__isnull=False).exists():
        raise ApplicationError(
            _("No expert has reviewed this application yet."), code="not_reviewed"
        )
    call = app.call
    if call.panel_closed_at is not None:
        return
    if settings.APPROVAL_REQUIRES_CLOSED_PANEL:
        raise ApplicationError(
            _("Close the call's review panel before deciding: the scores are sealed."),
            code="panel_open",
        )
    # An open panel is still waiting for reviews: the decision waits for all
    # the reviews the call asks for (closing the panel records the missing
    # ones and lets the decision go ahead on what is in).
    reviews_in = app.assignments.filter(submitted_at__isnull=False).count()
    if reviews_in < call.reviewers_per_application:
        raise ApplicationError(
            _(
                "The review panel is still open and only %(in)d of the %(needed)d "
                "reviews this call requires are in: wait for the others or close "
                "the panel first."
            )
            % {"in": reviews_in, "needed": call.reviewers_per_application},
            code="reviews_missing",
            extra={"reviews_in": reviews_in, "needed": call.reviewers_per_application},
        )


def _check_contract(app: Application, data: dict[str, Any]) -> None:
    contract = getattr(app, "contract", None)
    if contract is None or not contract.milestones.exists():
        raise ApplicationError(
            _("Record the task contract with its milestones first."),
            code="no_contract",
        )


def _check_midterm(app: Application, data: dict[str, Any]) -> None:
    if not _midterm_needed(app):
        raise ApplicationError(
            _(
                "This project is below the programme's mid-term threshold: no mid-term check."
            ),
            code="no_midterm",
        )


def _check_accept_from_contracted(app: Application, data: dict[str, Any]) -> None:
    if _midterm_needed(app):
        raise ApplicationError(
            _("This project must pass its mid-term check before acceptance."),
            code="midterm_required",
        )


def _check_rectified(app: Application, data: dict[str, Any]) -> None:
    if app.rectification_used:
        raise ApplicationError(
            _("The one rectification period has been used."), code="rectification_used"
        )


def _check_close(app: Application, data: dict[str, Any]) -> None:
    if app.disbursements.filter(status="planned").exists():
        raise ApplicationError(
            _("Planned disbursements remain: pay or withhold them first."),
            code="open_disbursements",
        )


MOVES: tuple[Move, ...] = (
    # The enterprise files, withdraws, and resubmits after a return.
    Move(
        "submit",
        frozenset({S.DRAFT, S.RETURNED}),
        S.SUBMITTED,
        ENTERPRISE,
        check=_check_submit,
    ),
    Move(
        "withdraw",
        frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED}),
        S.WITHDRAWN,
        ENTERPRISE,
    ),
    # Staff: the formal check (形式审查).
    Move("return", frozenset({S.SUBMITTED}), S.RETURNED, STAFF, needs_comment=True),
    Move("formal_pass", frozenset({S.SUBMITTED}), S.UNDER_REVIEW, STAFF),
    Move(
        "formal_fail", frozenset({S.SUBMITTED}), S.REJECTED, STAFF, needs_comment=True
    ),
    # The section head decides after expert review.
    Move(
        "approve",
        frozenset({S.UNDER_REVIEW}),
        S.APPROVED,
        HEAD,
        check=_check_approve,
    ),
    Move("reject", frozenset({S.UNDER_REVIEW}), S.REJECTED, HEAD, needs_comment=True),
    # Contract, mid-term check, acceptance, closing.
    Move(
        "contract", frozenset({S.APPROVED}), S.CONTRACTED, STAFF, check=_check_contract
    ),
    Move(
        "midterm_pass",
        frozenset({S.CONTRACTED}),
        S.MIDTERM_PASSED,
        STAFF,
        check=_check_midterm,
    ),
    Move(
        "accept",
        frozenset({S.CONTRACTED}),
        S.ACCEPTED,
        STAFF,
        check=_check_accept_from_contracted,
    ),
    Move("accept", frozenset({S.MIDTERM_PASSED}), S.ACCEPTED, STAFF),
    Move(
        "fail_acceptance",
        frozenset({S.CONTRACTED}),
        S.FAILED_ACCEPTANCE,
        STAFF,
        needs_comment=True,
        check=_check_accept_from_contracted,
    ),
    Move(
        "fail_acceptance",
        frozenset({S.MIDTERM_PASSED}),
        S.FAILED_ACCEPTANCE,
        STAFF,
        needs_comment=True,
    ),
    Move(
        "accept_after_rectification",
        frozenset({S.FAILED_ACCEPTANCE}),
        S.ACCEPTED,
        STAFF,
        check=_check_rectified,
    ),
    Move(
        "close",
        frozenset({S.ACCEPTED, S.FAILED_ACCEPTANCE}),
        S.CLOSED,
        STAFF,
        check=_check_close,
    ),
    Move(
        "terminate",
        frozenset({S.APPROVED, S.CONTRACTED, S.MIDTERM_PASSED}),
        S.TERMINATED,
        HEAD,
        needs_comment=True,
    ),
)


def _moves_from(state: str) -> list[Move]:
    return [m for m in MOVES if state in m.sources]


def _may_act(user: User, move: Move, app: Application) -> bool:
    if user.role not in move.roles:
        return False
    if user.role == Role.ENTERPRISE:
        return app.enterprise_id == user.enterprise_id
    return True


def allowed_transitions(*, user: User, application: Application) -> list[str]:
    """The states `user` may move the application to from where it is (the
    business checks run when the move is made)."""
    targets = []
    for move in _moves_from(application.state):
        if _may_act(user, move, application) and move.target not in targets:
            targets.append(move.target)
    return targets


def role_may_reach(user: User, to: str) -> bool:
    """Whether `user`'s role makes any move that leads to `to`, from any
    state: when not, asking for it is a 403 whatever the state."""
    return any(user.role in m.roles for m in MOVES if m.target == to)


def find_move(*, user: User, application: Application, to: str) -> Move:
    """The move to `to` from where the application is, checked in order:
    unknown state → 400, role may never → 403, state forbids → 409, not
    this user's application → 403, missing reason → 400, broken rule → 409."""
    if to not in S.values:
        raise ValidationError({"to": [_("Unknown state: %(state)s") % {"state": to}]})
    if not role_may_reach(user, to):
        raise PermissionDenied
    move = next((m for m in _moves_from(application.state) if m.target == to), None)
    if move is None:
        raise ApplicationError(
            _("An application that is %(state)s cannot move to %(to)s.")
            % {"state": application.get_state_display(), "to": S(to).label},
            code="invalid_transition",
            extra={
                "state": application.state,
                "allowed_transitions": allowed_transitions(
                    user=user, application=application
                ),
            },
        )
    if not _may_act(user, move, application):
        raise PermissionDenied
    return move


def check_move(
    move: Move, application: Application, comment: str, data: dict[str, Any]
) -> None:
    """The move's own conditions: a reason where one is needed, then its rule."""
    if move.needs_comment and not comment.strip():
        raise ValidationError({"comment": [_("Give the reason.")]})
    if move.check:
        move.check(application, data)


def recipients_roles(state: str) -> tuple[str, ...] | None:
    """Who acts next once the application is in `state`: bureau roles, or
    None for the enterprise that filed it."""
    if state in (S.SUBMITTED, S.WITHDRAWN):
        return STAFF
    if state == S.UNDER_REVIEW:
        return HEAD
    return None
