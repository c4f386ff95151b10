"""Writes of programmes and calls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.validation import full_clean_item
from bureau.models import User
from projects.models import Call, ProfessionalField, Programme, RubricCriterion

CALL_FIELDS = (
    "programme",
    "title",
    "year",
    "description",
    "opens_at",
    "closes_at",
    "precheck_tier",
    "field",
    "required_attachments",
    "budget_ceiling",
    "max_request",
    "reviewers_per_application",
)


@transaction.atomic
def programme_create(*, by: User, **fields: Any) -> Programme:
    return audited_save(
        Programme(**fields),
        by=by,
        action="programme.create",
        fields=["name", "level", "kind", "midterm_threshold"],
    )


@transaction.atomic
def call_create(
    *,
    by: User,
    criteria: list[dict[str, Any]],
    eligible_tiers: list[Any] | None = None,
    **fields: Any,
) -> Call:
    """A draft call with its review rubric (name, weight, max_score). The
    professional field may be given by code or name; the old free-text
    `fields` is read as that field when it names one."""
    if "fields" in fields:  # callers written before the list existed
        legacy = str(fields.pop("fields") or "").split(",")
        fields["field"] = legacy[0] if len(legacy) == 1 else None
    if "field" in fields:
        fields["field"] = ProfessionalField.objects.resolve(fields["field"])
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"call_create cannot set {sorted(unknown)}")
    if not criteria:
        raise ValidationError(
            {"criteria": [_("A call needs at least one review criterion.")]}
        )
    call = audited_save(
        Call(created_by=by, **fields), by=by, action="call.create", fields=CALL_FIELDS
    )
    if eligible_tiers:
        call.eligible_tiers.set(eligible_tiers)
    for order, item in enumerate(criteria):
        criterion = RubricCriterion(call=call, order=order, **item)
        full_clean_item(criterion, key=f"criteria[{order}]")
        criterion.save()
    return call


@transaction.atomic
def call_publish(*, call: Call, by: User) -> Call:
    lock_for_update(call)
    if call.published_at is not None:
        raise ApplicationError(
            _("The call is already published."), code="already_published"
        )
    if call.closes_at <= timezone.now():
        raise ApplicationError(
            _("The call's closing time has passed."), code="call_closed"
        )
    call.published_at = timezone.now()
    call.save(update_fields=["published_at"])
    audit(
        by=by,
        action="call.publish",
        target=call,
        after={"published_at": call.published_at.isoformat()},
    )
    return call
