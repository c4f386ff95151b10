"""The application workflow: every allowed move, who may make it, and what
it needs, in one table (DESIGN §5 states).

`application_transition` is the only way an application changes state. A
move not allowed from the current state is an ApplicationError (409); a move
the caller's role may not make is PermissionDenied (403); a move whose
business rule fails (deadline, missing contract, …) is a 409 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import Role, User
from projects.models import Application, Transition

S = Application.State
ENTERPRISE = (Role.ENTERPRISE,)
STAFF = (Role.STAFF, Role.SECTION_HEAD)
HEAD = (Role.SECTION_HEAD,)


@dataclass(frozen=True)
class Move:
    name: str  # what the move is called, for messages and the audit log
    sources: frozenset[str]
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False
    check: Callable[[Application, dict[str, Any]], None] | None = None
    apply: Callable[[Application, dict[str, Any]], None] | None = None


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


def _apply_approve(app: Application, data: dict[str, Any]) -> None:
    from bureau.signals import business_data_changed

    app.approved_amount = Decimal(data["approved_amount"])
    # 上级项目资金 counts approved amounts
    business_data_changed.send(
        sender=Application, year=app.call.year, subject="application"
    )


def _check_contract(app: Application, data: dict[str, Any]) -> None:
    contract = getattr(app, "contract", None)
    if contract is None or not contract.milestones.exists():
        raise ApplicationError(
            _("Record the contract (任务书) with its milestones first."),
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


def _apply_rectified(app: Application, data: dict[str, Any]) -> None:
    app.rectification_used = True


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
        apply=_apply_approve,
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
        apply=_apply_rectified,
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


@transaction.atomic
def application_transition(
    *, application: Application, to: str, by: User, comment: str = "", **data: Any
) -> Application:
    """Move the application to state `to`, recording who, when and why."""
    if to not in S.values:
        raise ValidationError({"to": [_("Unknown state: %(state)s") % {"state": to}]})
    app = (
        Application.objects.select_for_update()
        .select_related("call__programme", "enterprise")
        .get(pk=application.pk)
    )
    move = next((m for m in _moves_from(app.state) if m.target == to), None)
    if move is None:
        raise ApplicationError(
            _("An application that is %(state)s cannot move to %(to)s.")
            % {"state": app.get_state_display(), "to": S(to).label},
            code="invalid_transition",
            extra={
                "state": app.state,
                "allowed_transitions": allowed_transitions(user=by, application=app),
            },
        )
    if not _may_act(by, move, app):
        raise PermissionDenied
    if move.needs_comment and not comment.strip():
        raise ValidationError({"comment": [_("Give the reason.")]})
    if move.check:
        move.check(app, data)
    before = app.state
    if move.apply:
        move.apply(app, data)
    now = timezone.now()
    app.state = to
    app.state_changed_at = now
    if to == S.SUBMITTED:
        app.submitted_at = now
    app.save()
    Transition.objects.create(
        application=app,
        from_state=before,
        to_state=to,
        actor=by,
        comment=comment.strip(),
    )
    audit(
        by=by,
        action=f"application.{move.name}",
        target=app,
        before={"state": before},
        after={
            "state": to,
            **(
                {"approved_amount": str(app.approved_amount)}
                if move.name == "approve"
                else {}
            ),
        },
        message=comment.strip()[:500],
    )
    if to == S.SUBMITTED:
        from projects.services.applications import application_flag_duplicates

        application_flag_duplicates(application=app)
    _notify_next(app, move, by, comment)
    application.refresh_from_db()
    return application


def _notify_next(app: Application, move: Move, by: User, comment: str) -> None:
    """Tell whoever must act next (in-app; e-mail through Celery)."""
    from bureau.services import notification_create

    url = f"/projects/applications/{app.pk}/"
    subject = f"「{app.title}」{S(app.state).label}"
    if app.state in (S.SUBMITTED, S.WITHDRAWN):
        recipients = User.objects.filter(role__in=STAFF, is_active=True)
    elif app.state == S.UNDER_REVIEW:
        recipients = User.objects.filter(role__in=HEAD, is_active=True)
    else:
        recipients = app.enterprise.users.filter(is_active=True)
    for user in recipients:
        if user.pk != by.pk:
            notification_create(
                recipient=user, subject=subject, body=comment, url=url, send_email=True
            )
