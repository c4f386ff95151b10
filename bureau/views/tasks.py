"""Pages of tasks (任务督办) and the deadline calendar (工作日历): the task
list with filters, Excel export and import; assigning a task; a task's page
with its progress log and completion; the year's calendar and the form of a
recurring deadline with its per-year dates (a table)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.exports import (
    calendar_xlsx,
    deadline_template_xlsx,
    task_template_xlsx,
    tasks_xlsx,
)
from bureau.forms import (
    CalendarFilterForm,
    DeadlineDateFormSet,
    DeadlineForm,
    TaskCompleteForm,
    TaskFilterForm,
    TaskForm,
    TaskNoteForm,
    TaskUploadForm,
)
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import Deadline, LineOfWork, Role, Task
from bureau.permissions import (
    can_assign_tasks,
    can_manage_deadlines,
    can_view_calendar,
    can_view_tasks,
    can_work_on_task,
    get_task_for_user,
)
from bureau.selectors.tasks import (
    deadline_occurrences,
    deadlines_undated,
    task_figures,
    task_list,
    with_status,
)
from bureau.services.deadlines import (
    DEADLINE_COLUMNS,
    deadline_save,
    deadlines_import,
)
from bureau.services.tasks import (
    TaskImportError,
    task_complete,
    task_create,
    task_note_add,
    tasks_import,
)


def task_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_tasks(request.user):
        raise PermissionDenied
    form = TaskFilterForm(request.GET or None, user=request.user)
    qs = task_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            tasks_xlsx(qs.prefetch_related("notes")),
            headers=xlsx_response_headers(f"任务督办-{stamp}.xlsx"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bureau/tasks/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "figures": task_figures(user=request.user),
            "statuses": Task.Status,
            "can_assign": can_assign_tasks(request.user),
        },
    )


def task_new_view(request: AuthedRequest) -> HttpResponse:
    if not can_assign_tasks(request.user):
        raise PermissionDenied
    form = TaskForm(
        request.POST or None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = task_create(by=request.user, task=form.instance)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field == "owner_enterprise":
                    field = "owner_enterprise_name"
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The task “%(title)s” is assigned to %(owner)s, due %(date)s.")
                % {
                    "title": task.title,
                    "owner": task.owner_display,
                    "date": task.due_on.isoformat(),
                },
            )
            return redirect("task-detail", pk=task.pk)
    return render(request, "bureau/tasks/form.html", {"form": form})


def task_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    task = (
        with_status(Task.objects.filter(pk=task.pk))
        .select_related(
            "owner_unit", "owner_user", "owner_enterprise", "created_by", "completed_by"
        )
        .get()
    )
    may_work = can_work_on_task(request.user, task) and task.state != Task.State.DONE
    return render(
        request,
        "bureau/tasks/detail.html",
        {
            "task": task,
            "notes": task.notes.select_related("created_by"),
            "may_work": may_work,
            "note_form": TaskNoteForm(),
            "complete_form": TaskCompleteForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
def task_note_view(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, work=True)
    form = TaskNoteForm(request.POST)
    if form.is_valid():
        try:
            task_note_add(task=task, by=request.user, text=form.cleaned_data["text"])
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("Progress on “%(title)s” is logged.") % {"title": task.title}
            )
            return redirect("task-detail", pk=pk)
    return _detail_with(request, task, note_form=form)


@require_POST
def task_complete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk, work=True)
    form = TaskCompleteForm(request.POST)
    if form.is_valid():
        try:
            task_complete(task=task, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
            return redirect("task-detail", pk=pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("The task “%(title)s” is completed.") % {"title": task.title}
            )
            return redirect("task-detail", pk=pk)
    return _detail_with(request, task, complete_form=form)


def _detail_with(request: AuthedRequest, task: Task, **forms: Any) -> HttpResponse:
    """The task page again with a failed form kept as typed."""
    task = with_status(Task.objects.filter(pk=task.pk)).get()
    context = {
        "task": task,
        "notes": task.notes.select_related("created_by"),
        "may_work": task.state != Task.State.DONE,
        "note_form": TaskNoteForm(),
        "complete_form": TaskCompleteForm(),
        "today": timezone.localdate(),
        **forms,
    }
    return render(request, "bureau/tasks/detail.html", context, status=400)


def task_import_view(request: AuthedRequest) -> HttpResponse:
    if not can_assign_tasks(request.user):
        raise PermissionDenied
    form = TaskUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            n = tasks_import(by=request.user, file=form.cleaned_data["file"])
        except TaskImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)d tasks assigned.") % {"n": n})
            return redirect("task-list")
    return render(
        request,
        "bureau/tasks/import.html",
        {
            "form": form,
            "errors": errors,
            "kinds": Task.OwnerKind.choices,
            "lines": LineOfWork.choices,
        },
    )


def task_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_assign_tasks(request.user):
        raise PermissionDenied
    return HttpResponse(
        task_template_xlsx(), headers=xlsx_response_headers("任务导入模板.xlsx")
    )


# --- The calendar -----------------------------------------------------------


def calendar_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise PermissionDenied
    form = CalendarFilterForm(request.GET or None)
    filters = form.to_filters()
    year = filters.pop("year")
    occurrences = deadline_occurrences(year=year, filters=filters)
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            calendar_xlsx(occurrences, year),
            headers=xlsx_response_headers(f"{year}年工作日历.xlsx"),
        )
    today = timezone.localdate()
    roles = dict(Role.choices)
    rows = [
        {
            "deadline": d,
            "date": when,
            "days_left": (when - today).days,
            "roles": "、".join(str(roles.get(r, r)) for r in d.remind_roles),
        }
        for d, when in occurrences
    ]
    query = request.GET.copy()
    return render(
        request,
        "bureau/tasks/calendar.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "undated": deadlines_undated(year=year),
            "query": query.urlencode(),
            "can_manage": can_manage_deadlines(request.user),
        },
    )


def deadline_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not can_manage_deadlines(request.user):
        raise PermissionDenied
    deadline = get_object_or_404(Deadline, pk=pk) if pk else Deadline()
    form = DeadlineForm(request.POST or None, instance=deadline)
    initial = (
        [{"year": d.year, "date": d.date} for d in deadline.dates.all()]
        if deadline.pk
        else []
    )
    dates = DeadlineDateFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="dates",
    )
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        rows = [
            (row.cleaned_data["year"], row.cleaned_data["date"])
            for row in dates
            if row.cleaned_data.get("year") and row.cleaned_data.get("date")
        ]
        try:
            saved = deadline_save(by=request.user, deadline=form.instance, dates=rows)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field == "dates":
                    form.add_error(None, errors)
                else:
                    form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("The deadline “%(name)s” is saved.") % {"name": saved.name}
            )
            return redirect("calendar")
    return render(
        request,
        "bureau/tasks/deadline_form.html",
        {"form": form, "dates": dates, "deadline": deadline},
    )


def deadline_import_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_deadlines(request.user):
        raise PermissionDenied
    form = TaskUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            added, changed = deadlines_import(
                by=request.user, file=form.cleaned_data["file"]
            )
        except TaskImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Deadlines imported: %(added)d added, %(changed)d changed.")
                % {"added": added, "changed": changed},
            )
            return redirect("calendar")
    return render(
        request,
        "bureau/tasks/deadline_import.html",
        {
            "form": form,
            "errors": errors,
            "rules": Deadline.Rule.choices,
            "lines": LineOfWork.choices,
            "roles": [(r.value, r.label) for r in Deadline.REMINDED_ROLES],
        },
    )


def deadline_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_deadlines(request.user):
        raise PermissionDenied
    return HttpResponse(
        deadline_template_xlsx(DEADLINE_COLUMNS),
        headers=xlsx_response_headers("工作日历导入模板.xlsx"),
    )


task_page_patterns = [
    path("tasks/", task_list_view, name="task-list"),
    path("tasks/new/", task_new_view, name="task-new"),
    path("tasks/import/", task_import_view, name="task-import"),
    path("tasks/import/template/", task_template_view, name="task-import-template"),
    path("tasks/<int:pk>/", task_detail_view, name="task-detail"),
    path("tasks/<int:pk>/progress/", task_note_view, name="task-note"),
    path("tasks/<int:pk>/complete/", task_complete_view, name="task-complete"),
    path("calendar/", calendar_view, name="calendar"),
    path("calendar/deadlines/new/", deadline_edit_view, name="deadline-new"),
    path("calendar/deadlines/import/", deadline_import_view, name="deadline-import"),
    path(
        "calendar/deadlines/import/template/",
        deadline_template_view,
        name="deadline-import-template",
    ),
    path("calendar/deadlines/<int:pk>/", deadline_edit_view, name="deadline-edit"),
]
