"""Recurring deadlines (the yearly calendar: 高企 batches, 科小 by 31 March,
R&D statistics …): saving one with its dates, importing them from Excel,
and reminding the roles each names ahead of every occurrence (the beat
task bureau.reminders_send). Tasks are bureau.services.tasks."""

from __future__ import annotations

import re
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau.audit import audit, snapshot
from bureau.deadlines import reminder_window_open
from bureau.lib.xlsx import (
    CellError,
    ReadColumn,
    WorkbookRefused,
    cell_date,
    read_table,
)
from bureau.models import (
    Deadline,
    DeadlineDate,
    DeadlineReminder,
    LineOfWork,
    User,
)
from bureau.permissions import can_manage_deadlines
from bureau.services.notifications import notification_create_once
from bureau.services.tasks import TaskImportError

# --- Recurring deadlines ----------------------------------------------------

DEADLINE_FIELDS = [
    "name",
    "rule",
    "month",
    "day",
    "line_of_work",
    "remind_roles",
    "remind_sections",
    "lead_days",
    "is_active",
]


@transaction.atomic
def deadline_save(
    *, by: User, deadline: Deadline, dates: list[tuple[int, date]] | None = None
) -> Deadline:
    """Add or change a recurring deadline; `dates` (when given) replaces its
    per-year dates, one per year."""
    before = None
    if deadline.pk:
        old = Deadline.objects.get(pk=deadline.pk)
        before = {
            **snapshot(old, DEADLINE_FIELDS),
            "dates": [d.date.isoformat() for d in old.dates.all()],
        }
    if deadline.rule == Deadline.Rule.PER_YEAR:
        deadline.month = deadline.day = None
    deadline.full_clean()
    deadline.save()
    if dates is not None:
        years = [year for year, _d in dates]
        if len(set(years)) != len(years):
            raise ValidationError({"dates": _("Give one date per year.")})
        for year, day in dates:
            if day.year != year:
                raise ValidationError(
                    {
                        "dates": _("The date %(date)s is not in %(year)d.")
                        % {"date": day.isoformat(), "year": year}
                    }
                )
        deadline.dates.exclude(year__in=years).delete()
        for year, day in dates:
            DeadlineDate.objects.update_or_create(
                deadline=deadline, year=year, defaults={"date": day}
            )
    audit(
        by=by,
        action="deadline.update" if before else "deadline.create",
        target=deadline,
        before=before,
        after={
            **snapshot(deadline, DEADLINE_FIELDS),
            "dates": [d.date.isoformat() for d in deadline.dates.all()],
        },
        message=deadline.name,
    )
    return deadline


# --- Recurring deadlines from Excel -------------------------------------------

DEADLINE_COLUMNS = [
    ReadColumn("name", "事项名称", required=True),
    ReadColumn("rule", "日期规则"),
    ReadColumn("month", "月", required=False),
    ReadColumn("day", "日"),
    ReadColumn("dates", "各年日期"),
    ReadColumn("line_of_work", "业务条线"),
    ReadColumn("remind_sections", "责任科室"),
    ReadColumn("remind_roles", "提醒对象"),
    ReadColumn("lead_days", "提前提醒（天）"),
    ReadColumn("notes", "说明"),
]
DEADLINE_HEADER = {column.key: column.header for column in DEADLINE_COLUMNS}
# What people write in the rule column besides the labels.
RULE_ALIASES = {
    "固定": Deadline.Rule.FIXED,
    "每年固定": Deadline.Rule.FIXED,
    "固定日期": Deadline.Rule.FIXED,
    "另定": Deadline.Rule.PER_YEAR,
    "每年另定": Deadline.Rule.PER_YEAR,
    "逐年确定": Deadline.Rule.PER_YEAR,
}
_LIST_SPLIT = re.compile(r"[\s,，、;；]+")


def _labels(choices: Any) -> dict[str, str]:
    """Each choice by its code, its label in the current language and in
    Chinese."""
    found: dict[str, str] = {}
    for value, label in choices:
        found[str(value)] = value
        found[str(label)] = value
        with translation.override("zh-hans"):
            found[str(label)] = value
    return found


def _whole(value: Any) -> int | None:
    """A whole number from a cell (3, 3.0 or "3"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def deadlines_import(*, by: User, file: File | IO[bytes]) -> tuple[int, int]:
    """Add or change recurring deadlines (by name) from a filled-in template,
    all or nothing: any bad cell raises TaskImportError listing every one
    (row, Chinese header, message) and nothing is written. A per-year
    deadline's dates, when given, replace its dates. Returns (added,
    changed)."""
    if not can_manage_deadlines(by):
        raise PermissionDenied
    try:
        table = read_table(file, DEADLINE_COLUMNS)
    except WorkbookRefused as exc:
        raise TaskImportError(list(exc.errors)) from None
    rules = {**RULE_ALIASES, **_labels(Deadline.Rule.choices)}
    lines = _labels(LineOfWork.choices)
    roles = _labels((r.value, r.label) for r in Deadline.REMINDED_ROLES)
    existing = {d.name: d for d in Deadline.objects.all()}
    errors: list[CellError] = []
    parsed: list[tuple[int, Deadline, list[tuple[int, date]] | None]] = []
    seen: dict[str, int] = {}
    for number, values in table.rows:
        row_errors = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(CellError(number, DEADLINE_HEADER[key], message))  # noqa: B023

        def text(key: str, row: dict[str, Any] = values) -> str:
            value = row.get(key)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return "" if value is None else str(value).strip()

        name = text("name")
        if name in seen:
            error(
                "name",
                _("The same as row %(row)d: give each deadline once.")
                % {"row": seen[name]},
            )
        elif name:
            seen[name] = number
        numbers: dict[str, int | None] = {}
        for key in ("month", "day", "lead_days"):
            numbers[key] = None
            if text(key):
                numbers[key] = _whole(values.get(key))
                if numbers[key] is None:
                    error(key, _("Write a whole number."))
        for key, top in (("month", 12), ("day", 31)):
            given = numbers[key]
            if given is not None and not 1 <= given <= top:
                error(key, _("Write a number from 1 to %(top)d.") % {"top": top})
                numbers[key] = None
        rule = rules.get(text("rule")) if text("rule") else None
        if text("rule") and rule is None:
            error(
                "rule",
                _("Unknown date rule; write one of: %(rules)s.")
                % {"rules": "、".join(str(label) for label in Deadline.Rule.labels)},
            )
        elif rule is None:
            fixed = numbers["month"] is not None or numbers["day"] is not None
            rule = Deadline.Rule.FIXED if fixed else Deadline.Rule.PER_YEAR
        line = LineOfWork.GENERAL
        if text("line_of_work"):
            if text("line_of_work") not in lines:
                error(
                    "line_of_work",
                    _("Unknown line of work; write one of: %(lines)s.")
                    % {"lines": "、".join(str(x) for x in LineOfWork.labels)},
                )
            else:
                line = lines[text("line_of_work")]  # type: ignore[assignment]
        reminded: list[str] = []
        for part in _LIST_SPLIT.split(text("remind_roles")):
            if not part:
                continue
            if part not in roles:
                error(
                    "remind_roles",
                    _("Unknown role %(role)s; write some of: %(roles)s.")
                    % {
                        "role": part,
                        "roles": "、".join(
                            str(r.label) for r in Deadline.REMINDED_ROLES
                        ),
                    },
                )
            elif roles[part] not in reminded:
                reminded.append(roles[part])
        dates: list[tuple[int, date]] | None = None
        if text("dates"):
            dates = []
            raw = values.get("dates")
            parts = [raw] if isinstance(raw, date) else _LIST_SPLIT.split(text("dates"))
            for part in parts:
                day = _date_of(part)
                if day is None:
                    error("dates", _("Not a date (write 2026-05-20)."))
                else:
                    dates.append((day.year, day))
        if len(errors) > row_errors:
            continue
        deadline = existing.get(name) or Deadline()
        deadline.name = name
        deadline.rule = str(rule)
        deadline.month, deadline.day = numbers["month"], numbers["day"]
        deadline.line_of_work = line
        deadline.remind_roles = reminded
        deadline.remind_sections = text("remind_sections")
        deadline.lead_days = (
            14 if numbers["lead_days"] is None else numbers["lead_days"]
        )
        deadline.notes = text("notes")
        if deadline.rule == Deadline.Rule.PER_YEAR:
            deadline.month = deadline.day = None
        try:
            deadline.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                header = DEADLINE_HEADER.get(field, DEADLINE_HEADER["name"])
                errors.extend(CellError(number, header, m) for m in messages)
            continue
        parsed.append((number, deadline, dates))
    if not table.rows:
        errors.append(CellError(0, "", _("The sheet has no rows.")))
    if errors:
        raise TaskImportError(errors)
    added = changed = 0
    with transaction.atomic():
        for number, deadline, dates in parsed:
            is_new = deadline.pk is None
            try:
                deadline_save(by=by, deadline=deadline, dates=dates)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    header = DEADLINE_HEADER.get(field, DEADLINE_HEADER["name"])
                    errors.extend(CellError(number, header, m) for m in messages)
                continue
            added, changed = added + is_new, changed + (not is_new)
        if errors:
            raise TaskImportError(errors)  # rolls back what was written
        audit(
            by=by,
            action="deadline.import",
            message=_("%(added)d added, %(changed)d changed")
            % {"added": added, "changed": changed},
        )
    return added, changed


def _date_of(value: Any) -> date | None:
    value = cell_date(value)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        return None


# --- Reminders (the beat task bureau.reminders_send) --------------------------


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the users of each active deadline's roles from its lead days
    before each occurrence up to the day; once per occurrence and person,
    however often this runs. Returns how many reminders were sent."""
    from bureau.selectors.tasks import deadline_occurrences

    today = today or timezone.localdate()
    sent = 0
    occurrences = [
        o
        for year in (today.year, today.year + 1)
        for o in deadline_occurrences(year=year)
    ]
    for deadline, occurs_on in occurrences:
        if not reminder_window_open(occurs_on, deadline.lead_days, today):
            continue
        sent += notification_create_once(
            reminders=DeadlineReminder,
            key={"deadline": deadline, "occurs_on": occurs_on},
            users=User.objects.filter(
                is_active=True, role__in=deadline.remind_roles or []
            ).order_by("pk"),
            subject=_("%(name)s: %(date)s, in %(days)d days")
            % {
                "name": deadline.name,
                "date": occurs_on.isoformat(),
                "days": (occurs_on - today).days,
            }
            if occurs_on > today
            else _("%(name)s: today") % {"name": deadline.name},
            body=deadline.notes,
            url=reverse("calendar") + f"?year={occurs_on.year}",
        )
    return sent
