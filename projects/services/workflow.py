"""The one write that moves an application from state to state. The table of
moves, who may make them and their rules is `projects.workflow` (pure); the
effects of a move (the approved amount, the used rectification) are here."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau.audit import audit
from bureau.models import User
from bureau.signals import business_data_changed
from projects.models import Application, Transition
from projects.services.applications import application_flag_duplicates
from projects.workflow import Move, check_move, find_move, recipients_roles

S = Application.State


def _apply_approve(app: Application, data: dict[str, Any]) -> None:
    app.approved_amount = Decimal(data["approved_amount"])


def _apply_rectified(app: Application, data: dict[str, Any]) -> None:
    app.rectification_used = True


# What a move changes besides the state, by the move's name.
EFFECTS: dict[str, Callable[[Application, dict[str, Any]], None]] = {
    "approve": _apply_approve,
    "accept_after_rectification": _apply_rectified,
}


@transaction.atomic
def application_transition(
    *, application: Application, to: str, by: User, comment: str = "", **data: Any
) -> Application:
    """Move the application to state `to`, recording who, when and why."""
    app = (
        Application.objects.select_for_update()
        .select_related("call__programme", "enterprise")
        .get(pk=application.pk)
    )
    move = find_move(user=by, application=app, to=to)
    check_move(move, app, comment, data)
    before = app.state
    effect = EFFECTS.get(move.name)
    if effect:
        effect(app, data)
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
    if move.name == "approve":
        # 上级项目资金 counts approved amounts; indicators recompute on commit.
        business_data_changed.send(
            sender=Application, year=app.call.year, subject="application"
        )
    if to == S.SUBMITTED:
        application_flag_duplicates(application=app)
    _notify_next(app, move, by, comment)
    application.refresh_from_db()
    return application


def _notify_next(app: Application, move: Move, by: User, comment: str) -> None:
    """Tell whoever must act next (in-app; e-mail through Celery)."""
    from bureau.services import notification_create

    url = reverse("application-detail", args=[app.pk])
    subject = f"「{app.title}」{S(app.state).label}"
    roles = recipients_roles(app.state)
    if roles is not None:
        recipients = User.objects.filter(role__in=roles, is_active=True)
    else:
        recipients = app.enterprise.users.filter(is_active=True)
    for user in recipients:
        if user.pk != by.pk:
            notification_create(
                recipient=user, subject=subject, body=comment, url=url, send_email=True
            )
