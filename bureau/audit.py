"""Writing audit events from services: one call per business action.

audit(by=user, action="enterprise.update", target=enterprise,
      before=before, after=snapshot(enterprise, fields))
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Required, TypedDict, TypeVar, Unpack

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.audit_chain import append
from bureau.lib import pii
from bureau.lib.fields import EncryptedTextField
from bureau.lib.request_context import current_ip
from bureau.models import AuditEvent, User

M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-ready values of `fields` on `instance`; foreign keys by id."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(instance, attname)
        if isinstance(field, EncryptedTextField):
            # Personal data reaches the audit trail masked, never in clear.
            value = pii.mask_phone(value or "")
        values[name] = _plain(value)
    return values


def changes_between(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """{"field": [before, after]} for every field whose value differs."""
    before, after = before or {}, after or {}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


class AuditEntry(TypedDict, total=False):
    """The keyword arguments of `audit()`: `by` is the acting user (None for
    the system or an anonymous caller, whose claimed `username` may be given
    instead), `before`/`after` are snapshots whose differences are kept."""

    by: Required[User | None]
    action: Required[str]
    target: models.Model | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    message: str
    username: str


def _event(entry: AuditEntry) -> AuditEvent:
    by, target = entry["by"], entry.get("target")
    actor = by if getattr(by, "pk", None) else None
    username = actor.get_username() if actor else entry.get("username", "")
    return AuditEvent(
        actor=actor,
        actor_username=username[:150],
        action=entry["action"],
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=changes_between(entry.get("before"), entry.get("after")),
        message=entry.get("message", "")[:500],
        ip_address=current_ip.get(),
    )


def audit(**entry: Unpack[AuditEntry]) -> AuditEvent:
    """Append one audit event (see AuditEntry for the arguments)."""
    return append([_event(entry)])[0]


def audit_many(entries: Iterable[AuditEntry]) -> list[AuditEvent]:
    """Append many audit events in one INSERT; each entry holds the keyword
    arguments of `audit()`."""
    return append([_event(entry) for entry in entries])


def audited_save(
    obj: M,
    *,
    by: User | None,
    action: str,
    fields: Iterable[str],
    before: dict[str, Any] | None = None,
    message: str = "",
    validate: bool = True,
    only_if_changed: bool = False,
    update_fields: Iterable[str] | None = None,
) -> M:
    """The last steps of a create or update service: validate `obj` (unless
    the caller did with its own options), save it and audit `action` with
    the values of `fields` `before` (a snapshot taken before the change; None
    for a new row) and as saved. With `only_if_changed`, no event is written
    when none of `fields` changed. `update_fields` saves only those columns
    (a state change of a locked row). Call inside the service's transaction."""
    fields = tuple(fields)
    if validate:
        obj.full_clean()
    obj.save(update_fields=update_fields)
    after = snapshot(obj, fields)
    if not only_if_changed or before != after:
        audit(
            by=by,
            action=action,
            target=obj,
            before=before,
            after=after,
            message=message,
        )
    return obj


# --- Reading events ---------------------------------------------------------

# Labels of actions. Every action code written anywhere has one (a test checks
# the codes used in the source); apps add theirs with
# register_action_labels({...}) in their AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {
    "login.success": _("Logged in"),
    "login.failure": _("Failed login"),
    "login.locked": _("Account locked"),
    "login.unlock": _("Account unlocked"),
    "api_token.create": _("API token issued"),
    "api_token.revoke": _("API token revoked"),
    "api_token.revoke_all": _("All API tokens revoked"),
    "user.create": _("User created"),
    "user.update": _("User changed"),
    "user.set_password": _("Password set"),
    "user.password_change": _("Password changed"),
    "user.password_reset": _("Password reset by e-mail link"),
    "user.dormant_disable": _("Dormant account disabled"),
    "org_unit.create": _("Org unit created"),
    "org_unit.update": _("Org unit changed"),
    "audit.export": _("Audit log exported"),
    "audit.archive": _("Audit events archived"),
    "pii.reencrypt": _("Personal data re-encrypted"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


# Labels of recorded values that are not fields of the audited model (e.g. a
# panel closing records which applications lacked reviews).
CHANGE_LABELS: dict[str, Any] = {}


def register_change_labels(labels: dict[str, Any]) -> None:
    CHANGE_LABELS.update(labels)


def action_label(code: str) -> str:
    """The Chinese label of an action code. Configuration saves in the admin
    (`config.<model>.create|update`) are labelled from the model's name."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    prefix, _dot, rest = code.partition(".")
    model_name, _dot, verb = rest.partition(".")
    if prefix == "config" and verb in ("create", "update"):
        for model in apps.get_models():
            if model._meta.model_name == model_name:
                template = (
                    _("Setting added: %(model)s")
                    if verb == "create"
                    else _("Setting changed: %(model)s")
                )
                return str(template % {"model": model._meta.verbose_name})
    return code


@dataclass
class AuditRow:
    event: AuditEvent
    action_label: str
    object_type_label: str
    changes: list[tuple[str, str, str]]
    # The actor's name (full name), "" for the system or an unknown caller;
    # the page shows the username beside it.
    actor_name: str = ""


def _display(value: Any, choices: dict[Any, Any] | None = None) -> str:
    """A recorded value for reading; a stored choice shows its label."""
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if value is None or value == "":
        return str(_("(empty)"))
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)


def _field_choices(model: type[models.Model] | None, name: str) -> dict[Any, Any]:
    """{stored value: label} of a field with choices; {} otherwise."""
    if model is None:
        return {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    return dict(getattr(field, "flatchoices", None) or ())


def _field_label(model: type[models.Model] | None, name: str) -> str:
    """A changed field's Chinese name; a reverse relation (e.g. a contract's
    milestones) is named by the related model."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(CHANGE_LABELS.get(name, name))
    if isinstance(field, models.ForeignObjectRel):
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def _actor_names(events: list[AuditEvent]) -> dict[int, str]:
    """{user id: display name} of the events' actors, when the events were
    loaded with their actors (audit_event_list does); never a query, so a
    page's query count does not depend on it."""
    return {
        event.actor_id: event.actor.display_name
        for event in events
        if event.actor_id is not None
        and AuditEvent.actor.is_cached(event)  # type: ignore[attr-defined]
        and event.actor is not None
    }


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Events with Chinese labels for the action, the object type and the
    changed fields, and the actors' names, for pages (no queries: labels come
    from model metadata, names from actors loaded with the events)."""
    events = list(events)
    actor_names = _actor_names(events)
    rows = []
    for event in events:
        model = None
        if event.object_type:
            try:
                model = apps.get_model(event.object_type)
            except (LookupError, ValueError):
                model = None
        changes = []
        for name, pair in event.changes.items():
            label = _field_label(model, name)
            before, after = (
                (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            )
            choices = _field_choices(model, name)
            changes.append((label, _display(before, choices), _display(after, choices)))
        rows.append(
            AuditRow(
                event=event,
                action_label=action_label(event.action),
                object_type_label=str(model._meta.verbose_name)
                if model
                else event.object_type,
                changes=changes,
                actor_name=actor_names.get(event.actor_id or 0, ""),
            )
        )
    return rows
