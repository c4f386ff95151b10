"""Writes of applications: drafting, attachments, duplicate detection."""

from __future__ import annotations

import difflib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.uploads import check_attachment_quota, upload_fields
from bureau.lib.validation import full_clean_item
from bureau.models import Role, User
from projects.models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    ProfessionalField,
    TeamMember,
)
from projects.selectors import call_eligibility

APPLICATION_FIELDS = ("title", "summary", "content", "field", "requested_amount")


def _set_lines(
    app: Application,
    budget_lines: list[dict[str, Any]] | None,
    team_members: list[dict[str, Any]] | None,
) -> None:
    if budget_lines is not None:
        app.budget_lines.all().delete()
        for index, item in enumerate(budget_lines):
            line = BudgetLine(application=app, **item)
            full_clean_item(line, key=f"budget_lines[{index}]")
            line.save()
    if team_members is not None:
        app.team_members.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(application=app, **m) for m in team_members
        )


@transaction.atomic
def application_create(
    *,
    by: User,
    call: Call,
    title: str,
    summary: str,
    requested_amount: Decimal,
    content: str = "",
    field: ProfessionalField | str | None = None,
    budget_lines: list[dict[str, Any]] | None = None,
    team_members: list[dict[str, Any]] | None = None,
) -> Application:
    """An enterprise user starts a draft. One that does not qualify is told
    which condition it misses before it starts (409)."""
    if by.role != Role.ENTERPRISE or not by.enterprise_id:
        raise ApplicationError(
            _("Applications are filed by enterprise users."), code="not_enterprise"
        )
    if not call.is_accepting:
        raise ApplicationError(
            _("The call is not open for applications."), code="call_not_open"
        )
    existing = (
        Application.objects.filter(call=call, enterprise_id=by.enterprise_id)
        .exclude(state=Application.State.WITHDRAWN)
        .first()
    )
    if existing is not None:
        raise ApplicationError(
            _("Your enterprise already has an application in this call: %(title)s.")
            % {"title": existing.title},
            code="already_applied",
            extra={"application": existing.pk},
        )
    eligibility = call_eligibility(call=call, enterprise=by.enterprise)
    if not eligibility.eligible:
        raise ApplicationError(
            _("Your enterprise does not qualify for this call: %(reasons)s")
            % {"reasons": "；".join(eligibility.reasons)},
            code="not_eligible",
            extra={"reasons": eligibility.reasons},
        )
    app = Application(
        call=call,
        enterprise=by.enterprise,
        title=title,
        summary=summary,
        requested_amount=requested_amount,
        content=content,
        field=ProfessionalField.objects.resolve(field),
        created_by=by,
    )
    audited_save(app, by=by, action="application.create", fields=APPLICATION_FIELDS)
    _set_lines(app, budget_lines, team_members)
    return app


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    budget_lines: list[dict[str, Any]] | None = None,
    team_members: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Application:
    if not application.is_editable:
        raise ApplicationError(
            _("Only a draft or a returned application can be changed."),
            code="not_editable",
        )
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"application_update cannot set {sorted(unknown)}")
    before = snapshot(application, APPLICATION_FIELDS)
    if "field" in fields:
        fields["field"] = ProfessionalField.objects.resolve(fields["field"])
    for name, value in fields.items():
        setattr(application, name, value)
    audited_save(
        application,
        by=by,
        action="application.update",
        fields=APPLICATION_FIELDS,
        before=before,
    )
    _set_lines(application, budget_lines, team_members)
    return application


@transaction.atomic
def attachment_add(
    *, application: Application, by: User, kind: str, upload: Any
) -> Attachment:
    """Store a file after checking it by content and size."""
    if not application.is_editable:
        raise ApplicationError(
            _("Attachments can be changed only on a draft or returned application."),
            code="not_editable",
        )
    lock_for_update(application)  # the quota holds under parallel uploads
    check_attachment_quota(application.attachments.all(), adding=upload.size)
    attachment = Attachment(
        application=application,
        kind=kind[:100],
        uploaded_by=by,
        **upload_fields(upload, allow_office=True),
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit(
        by=by,
        action="attachment.add",
        target=attachment,
        after={
            "kind": kind,
            "size": attachment.size,
            "content_type": attachment.content_type,
        },
    )
    return attachment


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


@transaction.atomic
def application_flag_duplicates(*, application: Application) -> list[Application]:
    """多头申报: the same enterprise's applications with a similar title in a
    call whose window overlaps this one's are linked and staff are told."""
    call = application.call
    others = [
        other
        for other in Application.objects.filter(
            enterprise=application.enterprise,
            call__opens_at__lt=call.closes_at,
            call__closes_at__gt=call.opens_at,
        )
        .exclude(pk=application.pk)
        .exclude(call=call)
        .exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .select_related("call")
        if _similar(other.title, application.title)
    ]
    if others:
        application.duplicate_of.add(*others)
        from bureau.services import notification_create

        for user in User.objects.filter(
            role__in=[Role.STAFF, Role.SECTION_HEAD], is_active=True
        ):
            notification_create(
                recipient=user,
                subject=_("Possible duplicate filing: %(title)s")
                % {"title": application.title},
                body=_(
                    "The same enterprise filed similar projects in calls whose "
                    "windows overlap: %(others)s"
                )
                % {"others": "、".join(f"{o.call.title}「{o.title}」" for o in others)},
                url=reverse("application-detail", args=[application.pk]),
            )
        audit(
            by=None,
            action="application.flag_duplicate",
            target=application,
            message="；".join(str(o.pk) for o in others),
        )
    return others


def applications_bulk_transition(
    *, applications: list[Application], to: str, by: User, comment: str = ""
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Move several applications at once (e.g. pass the formal check of the
    ticked ones). Each move is its own transaction and audit event, through
    the one workflow write; one that is refused (its state changed meanwhile)
    is reported with the reason and leaves the others done."""
    from bureau.lib.feedback import error_text
    from projects.services.workflow import application_transition

    done: list[Application] = []
    refused: list[tuple[Application, str]] = []
    for app in applications:
        try:
            application_transition(application=app, to=to, by=by, comment=comment)
        except (ApplicationError, ValidationError) as exc:
            refused.append((app, error_text(exc)))
        else:
            done.append(app)
    return done, refused
