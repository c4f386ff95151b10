"""The reserve (储备库): projects enterprises plan to apply for upward."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from projects.models import Application, Call, ReserveProject
from projects.selectors.calls import call_eligibility
from projects.selectors.upward import open_calls_for_reserve

# --- 储备库 -------------------------------------------------------------------

RESERVE_FIELDS = [
    "enterprise",
    "title",
    "target_level",
    "target_programme",
    "expected_year",
    "planned_amount",
]


@transaction.atomic
def reserve_save(*, by: User, reserve: ReserveProject) -> ReserveProject:
    """Add a project to the reserve, or change one still in it (409 once
    promoted or dropped)."""
    before = None
    if reserve.pk:
        current = lock_for_update(ReserveProject.objects.get(pk=reserve.pk))
        if current.status != ReserveProject.Status.RESERVE:
            raise ApplicationError(
                _("“%(title)s” has left the reserve and is no longer changed here.")
                % {"title": current.title},
                code="not_in_reserve",
            )
        before = snapshot(current, RESERVE_FIELDS)
    else:
        reserve.created_by = by
    if (
        reserve.target_programme is not None
        and reserve.target_programme.level != reserve.target_level
    ):
        raise ValidationError(
            {"target_programme": _("The programme is not of the target level.")}
        )
    return audited_save(
        reserve,
        by=by,
        action="reserve.update" if before else "reserve.create",
        fields=RESERVE_FIELDS,
        before=before,
        message=str(reserve.enterprise),
    )


@transaction.atomic
def reserve_promote(*, by: User, reserve: ReserveProject, call: Call) -> Application:
    """The call has opened: turn the reserve project into a draft
    application of its enterprise, which completes and submits it. 409 when
    it left the reserve, the call is not open or not of its target, the
    enterprise already applied or does not qualify."""
    lock_for_update(reserve)
    if reserve.status != ReserveProject.Status.RESERVE:
        raise ApplicationError(
            _("“%(title)s” is no longer in the reserve.") % {"title": reserve.title},
            code="not_in_reserve",
        )
    if not open_calls_for_reserve(reserve=reserve).filter(pk=call.pk).exists():
        raise ApplicationError(
            _("“%(call)s” is not an open call of the reserve's target.")
            % {"call": call.title},
            code="call_not_open",
        )
    existing = (
        Application.objects.filter(call=call, enterprise=reserve.enterprise)
        .exclude(state=Application.State.WITHDRAWN)
        .first()
    )
    if existing is not None:
        raise ApplicationError(
            _("%(enterprise)s already has an application in this call: %(title)s.")
            % {"enterprise": reserve.enterprise.name, "title": existing.title},
            code="already_applied",
        )
    eligibility = call_eligibility(call=call, enterprise=reserve.enterprise)
    if not eligibility.eligible:
        raise ApplicationError(
            _("%(enterprise)s does not qualify for this call: %(reasons)s")
            % {
                "enterprise": reserve.enterprise.name,
                "reasons": "；".join(eligibility.reasons),
            },
            code="not_eligible",
        )
    if reserve.planned_amount <= 0:
        raise ValidationError(
            {"planned_amount": _("Give the planned request before promoting.")}
        )
    app = Application(
        call=call,
        enterprise=reserve.enterprise,
        title=reserve.title,
        summary=reserve.summary,
        requested_amount=reserve.planned_amount,
        created_by=by,
    )
    app.full_clean()
    app.save()
    before = snapshot(reserve, ["status"])
    reserve.status = ReserveProject.Status.PROMOTED
    reserve.application = app
    audited_save(
        reserve,
        by=by,
        action="reserve.promote",
        fields=["status", "application"],
        before=before,
        message=call.title,
        validate=False,
        update_fields=["status", "application"],
    )
    audit(
        by=by,
        action="application.create",
        target=app,
        after={"title": app.title, "from_reserve": reserve.pk},
        message=str(reserve.enterprise),
    )
    return app


@transaction.atomic
def reserve_drop(*, by: User, reserve: ReserveProject) -> ReserveProject:
    lock_for_update(reserve)
    if reserve.status != ReserveProject.Status.RESERVE:
        raise ApplicationError(
            _("“%(title)s” is no longer in the reserve.") % {"title": reserve.title},
            code="not_in_reserve",
        )
    before = snapshot(reserve, ["status"])
    reserve.status = ReserveProject.Status.DROPPED
    return audited_save(
        reserve,
        by=by,
        action="reserve.drop",
        fields=["status"],
        before=before,
        validate=False,
        update_fields=["status"],
    )
