"""Writes of foreign experts' work-permit cases and their documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.uploads import upload_fields
from bureau.models import User
from talent.models import (
    CaseDocument,
    ForeignExpertCase,
    Talent,
)
from talent.points import PointsInput, permit_points


@transaction.atomic
def permit_case_create(
    *, by: User, talent: Talent, points_input: PointsInput, permit_class: str = ""
) -> ForeignExpertCase:
    if talent.nationality.upper() == "CN":
        raise ValidationError(
            {"talent": _("A work-permit case is for a foreign national.")}
        )
    result = permit_points(points_input)
    case = ForeignExpertCase(
        talent=talent,
        permit_class=permit_class or result.suggested_class,
        points=result.total,
        points_breakdown=result.as_dict(),
    )
    return audited_save(
        case, by=by, action="permit_case.create", fields=["permit_class", "points"]
    )


CASE_MOVES = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
}


@transaction.atomic
def permit_case_move(
    *,
    by: User,
    case: ForeignExpertCase,
    move: str,
    on: date | None = None,
    valid_until: date | None = None,
) -> ForeignExpertCase:
    lock_for_update(case)
    if move not in CASE_MOVES:
        raise ValidationError({"move": _("Unknown move.")})
    sources, target = CASE_MOVES[move]
    if case.status not in sources:
        raise ApplicationError(
            _("A %(status)s case cannot be moved that way.")
            % {"status": case.get_status_display()},
            code="invalid_transition",
        )
    before = {"status": case.status}
    on = on or timezone.localdate()
    case.status = target
    if move == "submit":
        case.applied_on = on
    else:
        case.decided_on = on
        if move == "approve":
            case.valid_until = valid_until
    case.save()
    audit(
        by=by,
        action=f"permit_case.{move}",
        target=case,
        before=before,
        after={"status": target},
    )
    return case


@transaction.atomic
def case_document_add(
    *, by: User, case: ForeignExpertCase, title: str, upload: Any
) -> CaseDocument:
    """Store an upload after checking what it is by its content (a renamed
    executable is refused) and its size."""
    document = CaseDocument(
        case=case, title=title, uploaded_by=by, **upload_fields(upload)
    )
    document.file.save("upload", upload, save=False)
    document.save()
    audit(
        by=by,
        action="case_document.add",
        target=document,
        after={
            "title": title,
            "content_type": document.content_type,
            "size": document.size,
        },
    )
    return document
