"""Writes of tasks (任务督办) and recurring deadlines (工作日历): assign,
log progress, complete, import from a sheet (all or nothing), save a
deadline with its per-year dates, and the reminders the beat task sends
(once per task or deadline occurrence, person and kind)."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, snapshot
from bureau.deadlines import task_reminder_kind
from bureau.lib.concurrency import lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.xlsx import (
    CellError,
    ReadColumn,
    WorkbookRefused,
    cell_date,
    read_table,
)
from bureau.models import (
    LineOfWork,
    OrgUnit,
    Role,
    Task,
    TaskNote,
    TaskReminder,
    User,
)
from bureau.services.notifications import notification_create, notification_create_once

TASK_FIELDS = [
    "title",
    "document_number",
    "issued_by",
    "received_on",
    "description",
    "line_of_work",
    "owner_kind",
    "owner_section",
    "owner_unit",
    "owner_user",
    "owner_enterprise",
    "due_on",
    "state",
]


def task_recipients(task: Task) -> list[User]:
    """Who a task's notices go to: the person; the street's liaisons; the
    enterprise's users; for a section, its section heads and whoever
    assigned it. Active accounts only."""
    active = User.objects.filter(is_active=True)
    kind = task.owner_kind
    if kind == Task.OwnerKind.USER:
        qs = active.filter(pk=task.owner_user_id or 0)
    elif kind == Task.OwnerKind.STREET:
        qs = active.filter(role=Role.STREET_LIAISON, org_unit_id=task.owner_unit_id)
    elif kind == Task.OwnerKind.ENTERPRISE:
        qs = active.filter(
            role=Role.ENTERPRISE, enterprise_id=task.owner_enterprise_id or 0
        )
    else:
        from django.db.models import Q

        qs = active.filter(Q(role=Role.SECTION_HEAD) | Q(pk=task.created_by_id))
    return list(qs.order_by("pk"))


def _task_url(task: Task) -> str:
    return reverse("task-detail", args=[task.pk])


@transaction.atomic
def task_create(*, by: User, task: Task, notify: bool = True) -> Task:
    """Assign a task; its owners get an in-app notice."""
    task.created_by = by
    task.state = Task.State.OPEN
    task.full_clean()
    task.save()
    audit(
        by=by,
        action="task.create",
        target=task,
        after=snapshot(task, TASK_FIELDS),
        message=task.title,
    )
    if notify:
        for user in task_recipients(task):
            if user.pk == by.pk:
                continue
            notification_create(
                recipient=user,
                subject=_("New task: %(title)s, due %(date)s")
                % {"title": task.title, "date": task.due_on.isoformat()},
                body=task.description,
                url=_task_url(task),
            )
    return task


def _still_open(task: Task) -> None:
    lock_for_update(task)
    if task.state == Task.State.DONE:
        raise ApplicationError(_("This task is already completed."), code="done")


@transaction.atomic
def task_note_add(*, task: Task, by: User, text: str) -> TaskNote:
    """Log progress on an unfinished task; the first entry starts it."""
    _still_open(task)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Say what was done.")})
    note = TaskNote.objects.create(task=task, text=text, created_by=by)
    if task.state == Task.State.OPEN:
        task.state = Task.State.IN_PROGRESS
        task.save(update_fields=["state"])
    audit(
        by=by,
        action="task.progress",
        target=task,
        after={"text": text, "state": task.state},
        message=task.title,
    )
    return note


@transaction.atomic
def task_complete(
    *,
    task: Task,
    by: User,
    result: str,
    attachment_name: str = "",
    attachment_text: str = "",
) -> Task:
    """Complete an unfinished task with its result (and the name and text
    of what was sent back, e.g. a report)."""
    _still_open(task)
    result = result.strip()
    if not result:
        raise ValidationError({"result": _("Say what the result is.")})
    before = snapshot(task, ["state", "result"])
    task.state = Task.State.DONE
    task.result = result
    task.attachment_name = attachment_name.strip()
    task.attachment_text = attachment_text.strip()
    task.completed_at = timezone.now()
    task.completed_by = by
    task.save(
        update_fields=[
            "state",
            "result",
            "attachment_name",
            "attachment_text",
            "completed_at",
            "completed_by",
        ]
    )
    audit(
        by=by,
        action="task.complete",
        target=task,
        before=before,
        after={
            "state": task.state,
            "result": result,
            "attachment_name": task.attachment_name,
        },
        message=task.title,
    )
    if task.created_by_id != by.pk:
        notification_create(
            recipient=task.created_by,
            subject=_("Task completed: %(title)s") % {"title": task.title},
            body=result,
            url=_task_url(task),
        )
    return task


@transaction.atomic
def task_status_update(
    *, task: Task, by: User, status: str, text: str = "", **completion: str
) -> Task:
    """The API's status change: "in_progress" logs `text` as progress,
    "done" completes with `text` as the result."""
    if status == Task.State.IN_PROGRESS:
        task_note_add(task=task, by=by, text=text)
    elif status == Task.State.DONE:
        task_complete(task=task, by=by, result=text, **completion)
    else:
        raise ValidationError({"status": _("Set the task in progress or done.")})
    task.refresh_from_db()
    return task


# --- Excel import -----------------------------------------------------------

TASK_COLUMNS = [
    ReadColumn("title", "任务名称", required=True),
    ReadColumn("document_number", "来文文号"),
    ReadColumn("issued_by", "来文单位"),
    ReadColumn("received_on", "收文日期", required=True),
    ReadColumn("owner_kind", "责任主体类型", required=True),
    ReadColumn("owner", "责任主体", required=True),
    ReadColumn("due_on", "完成时限", required=True),
    ReadColumn("line_of_work", "业务条线"),
    ReadColumn("description", "任务要求"),
]
TASK_HEADER = {column.key: column.header for column in TASK_COLUMNS}


# What people write in the owner type column besides the labels.
OWNER_ALIASES = {
    "科室": Task.OwnerKind.SECTION,
    "街道": Task.OwnerKind.STREET,
    "园区": Task.OwnerKind.STREET,
    "街道或园区": Task.OwnerKind.STREET,
    "个人": Task.OwnerKind.USER,
    "责任人": Task.OwnerKind.USER,
    "企业": Task.OwnerKind.ENTERPRISE,
}


class TaskImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def enterprise_named(text: str) -> Any:
    """The enterprise whose credit code or exact name is `text`, or None
    (read through the task's own relation: bureau does not import the
    enterprises app)."""
    from django.db.models import Q

    model = Task._meta.get_field("owner_enterprise").related_model
    text = text.strip()
    if not text:
        return None
    return (
        model._default_manager.filter(Q(credit_code=text.upper()) | Q(name=text))  # type: ignore[union-attr]
        .order_by("pk")
        .first()
    )


def _owner(kind: str, text: str) -> dict[str, Any] | str:
    """The owner fields for `kind` named by `text` (a section's name, a
    street's name or code, a username, an enterprise's credit code or
    name), or the error message."""
    if kind == Task.OwnerKind.SECTION:
        return {"owner_section": text}
    if kind == Task.OwnerKind.STREET:
        unit = (
            OrgUnit.objects.filter(level__in=["street", "park"])
            .filter(code=text)
            .first()
            or OrgUnit.objects.filter(level__in=["street", "park"], name=text).first()
        )
        return (
            {"owner_unit": unit}
            if unit
            else _("No street or park is called %(name)s.") % {"name": text}
        )
    if kind == Task.OwnerKind.USER:
        user = User.objects.filter(is_active=True, username=text).first()
        return (
            {"owner_user": user}
            if user
            else _("No active account %(name)s.") % {"name": text}
        )
    enterprise = enterprise_named(text)
    if enterprise is None:
        return _("No enterprise has the credit code or name %(name)s.") % {"name": text}
    return {"owner_enterprise": enterprise}


def tasks_import(*, by: User, file: File | IO[bytes]) -> int:
    """Assign tasks from a filled-in template, all or nothing: any bad cell
    raises TaskImportError listing every one (row, Chinese header, message)
    and nothing is written. Returns how many tasks were assigned."""
    try:
        table = read_table(file, TASK_COLUMNS)
    except WorkbookRefused as exc:
        raise TaskImportError(list(exc.errors)) from None
    kinds = {
        **OWNER_ALIASES,
        **{str(label): key for key, label in Task.OwnerKind.choices},
    }
    lines = {str(label): key for key, label in LineOfWork.choices}
    errors: list[CellError] = []
    parsed: list[Task] = []
    for number, values in table.rows:
        row_errors = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(CellError(number, TASK_HEADER[key], message))  # noqa: B023

        kind = kinds.get(str(values.get("owner_kind") or "").strip())
        owner: dict[str, Any] | str = {}
        if kind is None:
            error(
                "owner_kind",
                _("Unknown owner type; write one of: %(kinds)s.")
                % {"kinds": "、".join(str(label) for label in Task.OwnerKind.labels)},
            )
        else:
            owner = _owner(kind, str(values.get("owner") or "").strip())
            if isinstance(owner, str):
                error("owner", owner)
        line = LineOfWork.GENERAL
        if text := str(values.get("line_of_work") or "").strip():
            if text not in lines:
                error(
                    "line_of_work",
                    _("Unknown line of work; write one of: %(lines)s.")
                    % {"lines": "、".join(lines)},
                )
            else:
                line = lines[text]  # type: ignore[assignment]
        dates: dict[str, date] = {}
        for key in ("received_on", "due_on"):
            value = cell_date(values.get(key))
            if isinstance(value, date):
                dates[key] = value
            else:
                error(key, _("Not a date (write 2026-05-20)."))
        if len(errors) > row_errors or not isinstance(owner, dict):
            continue
        task = Task(
            title=str(values.get("title") or "").strip(),
            document_number=str(values.get("document_number") or "").strip(),
            issued_by=str(values.get("issued_by") or "").strip(),
            description=str(values.get("description") or "").strip(),
            owner_kind=str(kind),
            line_of_work=line,
            created_by=by,
            **dates,
            **owner,
        )
        try:
            task.full_clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = TASK_HEADER.get(
                    {"owner_section": "owner", "owner_unit": "owner"}.get(name, name),
                    TASK_HEADER["title"],
                )
                errors.extend(CellError(number, header, m) for m in messages)
            continue
        parsed.append(task)
    if not table.rows:
        errors.append(CellError(0, "", _("The sheet has no rows.")))
    if errors:
        raise TaskImportError(errors)
    with transaction.atomic():
        for task in parsed:
            task_create(by=by, task=task)
    return len(parsed)


# --- Reminders (the beat task bureau.reminders_send) --------------------------


def task_reminders_send(*, today: date | None = None) -> int:
    """Remind the owners of every unfinished task that is due within
    TASK_REMINDER_DAYS days, due today or overdue; each person gets each
    kind of reminder about a task once, however often this runs. Returns how
    many reminders were sent."""
    today = today or timezone.localdate()
    lead = settings.TASK_REMINDER_DAYS
    sent = 0
    tasks = Task.objects.exclude(state=Task.State.DONE).filter(
        due_on__lte=today + _days(lead)
    )
    subjects = {
        TaskReminder.Kind.AHEAD: _("Task due on %(date)s: %(title)s"),
        TaskReminder.Kind.DUE: _("Task due today: %(title)s"),
        TaskReminder.Kind.OVERDUE: _("Task overdue since %(date)s: %(title)s"),
    }
    for task in tasks.select_related("owner_unit", "owner_enterprise"):
        kind = task_reminder_kind(task.due_on, today, lead)
        if kind is None:
            continue
        sent += notification_create_once(
            reminders=TaskReminder,
            key={"task": task, "kind": kind},
            users=task_recipients(task),
            subject=subjects[kind]  # type: ignore[index]
            % {"title": task.title, "date": task.due_on.isoformat()},
            body=task.description,
            url=_task_url(task),
        )
    return sent


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)
