"""Writes of the projects won from higher levels: recommend upward (推荐上报),
record the higher level's decision (立项/未立项, 文号, 上级资助, 区级配套), the
mid-term check and the acceptance, and keep the reserve (储备库).

Every move checks the project's state and answers 409 (ApplicationError)
when the state forbids it; each is audited. A decision changes the funds
from above, so the computed indicators of the call's year are recounted
(bureau.signals.business_data_changed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audit_many, audited_save, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from bureau.signals import business_data_changed
from projects.models import (
    Application,
    Call,
    Programme,
    Recommendation,
    UpwardProject,
)
from projects.selectors.upward import RECOMMENDABLE_STATES

U = UpwardProject.State


def _changed(project: UpwardProject) -> None:
    business_data_changed.send(
        sender=UpwardProject, year=project.application.call.year, subject="upward"
    )


# --- 推荐上报 -------------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    by: User,
    call: Call,
    applications: list[Application],
    document_number: str,
    recommended_on: date,
    note: str = "",
) -> Recommendation:
    """Recommend `applications` of `call` upward under one document number.
    The call must be of a programme above the district (409), each
    application filed and not decided, withdrawn or recommended already
    (409); all or none are recommended."""
    if call.programme.level == Programme.Level.DISTRICT:
        raise ApplicationError(
            _(
                "The bureau approves district programmes itself; only applications "
                "to city, provincial or national programmes are recommended upward."
            ),
            code="district_programme",
        )
    if not applications:
        raise ValidationError({"applications": _("Choose at least one application.")})
    if recommended_on > timezone.localdate():
        raise ValidationError(
            {"recommended_on": _("The recommendation date cannot be in the future.")}
        )
    batch = Recommendation(
        call=call,
        document_number=document_number.strip(),
        recommended_on=recommended_on,
        note=note.strip(),
        created_by=by,
    )
    batch.full_clean()
    with conflict_on_integrity_error(batch):
        batch.save()
    projects = []
    for app in sorted(applications, key=lambda a: a.pk):
        lock_for_update(app)
        if app.call_id != call.pk:
            raise ValidationError(
                {
                    "applications": _("“%(title)s” is not an application to this call.")
                    % {"title": app.title}
                }
            )
        if app.state not in RECOMMENDABLE_STATES:
            raise ApplicationError(
                _(
                    "“%(title)s” is %(state)s; only filed applications not yet "
                    "decided are recommended upward."
                )
                % {"title": app.title, "state": app.get_state_display()},
                code="not_recommendable",
                extra={"application": app.pk},
            )
        project = UpwardProject(application=app, recommendation=batch)
        with conflict_on_integrity_error(
            error=ApplicationError(
                _("“%(title)s” has already been recommended upward.")
                % {"title": app.title},
                code="already_recommended",
                extra={"application": app.pk},
            )
        ):
            project.save()
        projects.append(project)
    audit(
        by=by,
        action="recommendation.create",
        target=batch,
        after={
            "document_number": batch.document_number,
            "recommended_on": recommended_on.isoformat(),
            "applications": len(projects),
        },
        message=str(call),
    )
    audit_many(
        {
            "by": by,
            "action": "upward.recommend",
            "target": project,
            "after": {"state": U.RECOMMENDED, "recommendation": batch.document_number},
            "message": project.application.title,
        }
        for project in projects
    )
    business_data_changed.send(sender=UpwardProject, year=call.year, subject="upward")
    return batch


# --- The higher level's decision ------------------------------------------------

OUTCOME_FIELDS = [
    "state",
    "decided_on",
    "higher_document_number",
    "funds_from_above",
    "local_match",
]


@transaction.atomic
def upward_outcome_record(
    *,
    by: User,
    project: UpwardProject,
    outcome: str,
    decided_on: date,
    higher_document_number: str = "",
    funds_from_above: Decimal | None = None,
    local_match: Decimal | None = None,
) -> UpwardProject:
    """立项 or 未立项 as the higher level decided. Only a project still
    waiting (recommended) takes a decision (409). An approval needs the
    higher level's document number and the funds from above (0 for a
    project approved without funds); the local match defaults to 0."""
    lock_for_update(project)
    if project.state != U.RECOMMENDED:
        raise ApplicationError(
            _("The outcome of “%(title)s” is already recorded: %(state)s.")
            % {
                "title": project.application.title,
                "state": project.get_state_display(),
            },
            code="already_decided",
        )
    errors: dict[str, str] = {}
    if decided_on < project.recommendation.recommended_on:
        errors["decided_on"] = _("The decision cannot be before the recommendation.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date cannot be in the future.")
    if outcome == UpwardProject.Outcome.APPROVED:
        if not higher_document_number.strip():
            errors["higher_document_number"] = _(
                "Give the higher level's document number."
            )
        if funds_from_above is None:
            errors["funds_from_above"] = _(
                "Give the funds from above (0 when none were granted)."
            )
        state = U.APPROVED
    elif outcome == UpwardProject.Outcome.NOT_APPROVED:
        if funds_from_above or local_match:
            errors["funds_from_above"] = _("A project not approved has no funds.")
        state = U.NOT_APPROVED
        funds_from_above = local_match = None
    else:
        errors["outcome"] = _("Choose approved or not approved.")
        state = U.RECOMMENDED
    for name, value in (
        ("funds_from_above", funds_from_above),
        ("local_match", local_match),
    ):
        if value is not None and value < 0:
            errors[name] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(project, OUTCOME_FIELDS)
    project.state = state
    project.decided_on = decided_on
    project.higher_document_number = higher_document_number.strip()
    project.funds_from_above = funds_from_above
    project.local_match = (
        local_match if local_match is not None or state != U.APPROVED else Decimal(0)
    )
    audited_save(
        project,
        by=by,
        action="upward.approve" if state == U.APPROVED else "upward.not_approved",
        fields=OUTCOME_FIELDS,
        before=before,
        message=project.application.title,
        update_fields=OUTCOME_FIELDS,
    )
    _changed(project)
    return project


@transaction.atomic
def upward_outcomes_record(
    *, by: User, rows: list[tuple[UpwardProject, dict[str, Any]]]
) -> list[UpwardProject]:
    """Several decisions at once (the outcome table, the Excel import): all
    or nothing. Errors are keyed `<index>.<field>` (the row of `rows`)."""
    errors: dict[str, list[str]] = {}
    saved = []
    for index, (project, values) in enumerate(rows):
        try:
            with transaction.atomic():
                saved.append(upward_outcome_record(by=by, project=project, **values))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"{index}.{name}"] = messages
        except ApplicationError as exc:
            errors[f"{index}.outcome"] = [exc.message]
    if errors:
        raise ValidationError(errors)
    return saved


# --- 中期检查 and 验收 ------------------------------------------------------------


def _running(project: UpwardProject, move: str) -> None:
    if project.state != U.APPROVED:
        raise ApplicationError(
            _("“%(title)s” is %(state)s: only a running project takes a %(move)s.")
            % {
                "title": project.application.title,
                "state": project.get_state_display(),
                "move": move,
            },
            code="not_running",
        )


@transaction.atomic
def upward_midterm_record(
    *, by: User, project: UpwardProject, midterm_on: date, midterm_result: str
) -> UpwardProject:
    """中期检查 of a running project. A check that asked for rectification may
    be followed by another; one passed (良好/合格) is final (409)."""
    lock_for_update(project)
    _running(project, _("mid-term check"))
    if project.midterm_result in (
        UpwardProject.MidtermResult.GOOD,
        UpwardProject.MidtermResult.PASS,
    ):
        raise ApplicationError(
            _("The mid-term check of “%(title)s” is already passed.")
            % {"title": project.application.title},
            code="midterm_done",
        )
    if project.decided_on and midterm_on < project.decided_on:
        raise ValidationError(
            {"midterm_on": _("The mid-term check cannot be before the approval.")}
        )
    fields = ["midterm_on", "midterm_result"]
    before = snapshot(project, fields)
    project.midterm_on, project.midterm_result = midterm_on, midterm_result
    return audited_save(
        project,
        by=by,
        action="upward.midterm",
        fields=fields,
        before=before,
        message=project.application.title,
        update_fields=fields,
    )


ACCEPTANCE_FIELDS = [
    "acceptance_on",
    "acceptance_result",
    "new_output_value",
    "new_jobs",
    "patents_filed",
    "patents_granted",
    "other_results",
]


@transaction.atomic
def upward_acceptance_record(
    *,
    by: User,
    project: UpwardProject,
    acceptance_on: date,
    acceptance_result: str,
    new_output_value: Decimal | None = None,
    new_jobs: int | None = None,
    patents_filed: int | None = None,
    patents_granted: int | None = None,
    other_results: str = "",
) -> UpwardProject:
    """验收 of a running project and the results it reports. Passed or not
    passed ends the project; postponed keeps it running for another
    acceptance. A project that needed rectification at mid-term must pass
    a later check first (409)."""
    lock_for_update(project)
    _running(project, _("acceptance"))
    if project.midterm_result == UpwardProject.MidtermResult.RECTIFY:
        raise ApplicationError(
            _(
                "“%(title)s” was asked to rectify at the mid-term check; record "
                "the check it passed after rectification first."
            )
            % {"title": project.application.title},
            code="rectification_pending",
        )
    if project.decided_on and acceptance_on < project.decided_on:
        raise ValidationError(
            {"acceptance_on": _("The acceptance cannot be before the approval.")}
        )
    before = snapshot(project, ["state", *ACCEPTANCE_FIELDS])
    project.acceptance_on = acceptance_on
    project.acceptance_result = acceptance_result
    project.new_output_value = new_output_value
    project.new_jobs = new_jobs
    project.patents_filed = patents_filed
    project.patents_granted = patents_granted
    project.other_results = other_results.strip()
    R = UpwardProject.AcceptanceResult
    project.state = {R.PASSED: U.ACCEPTED, R.FAILED: U.FAILED}.get(
        acceptance_result,  # type: ignore[call-overload]
        U.APPROVED,
    )
    audited_save(
        project,
        by=by,
        action="upward.accept",
        fields=["state", *ACCEPTANCE_FIELDS],
        before=before,
        message=project.application.title,
        update_fields=["state", *ACCEPTANCE_FIELDS],
    )
    return project
