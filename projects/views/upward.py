"""Pages of the projects won from higher levels (向上争取项目): the list with
its Excel export and outcome import, recommending a call's applications
upward, a recommendation list with its outcome table, one project with its
mid-term check and acceptance, and the reserve (储备库) with its Excel export
and import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text, reported
from bureau.lib.money import wan_with_unit
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import OrgUnit, Role
from bureau.permissions import has_role
from projects.exports_upward import (
    reserve_export,
    reserve_import_template,
    upward_projects_export,
)
from projects.forms_upward import (
    AcceptanceForm,
    MidtermForm,
    OutcomeFormSet,
    OutcomeUploadForm,
    PromoteForm,
    RecommendForm,
    ReserveFilterForm,
    ReserveForm,
    UpwardFilterForm,
)
from projects.models import ReserveProject, UpwardProject
from projects.permissions import (
    can_manage_upward,
    can_view_upward,
    get_call_for_user,
    get_recommendation_for_user,
    get_reserve_for_user,
    get_upward_project_for_user,
    is_bureau_reader,
    upward_projects_visible_to,
)
from projects.selectors import reserve_list, upward_figures, upward_project_list
from projects.selectors.upward import (
    higher_level_calls,
    open_calls_for_reserve,
    recommendation_list,
)
from projects.services.upward import (
    OutcomeImportError,
    ReserveImportError,
    recommendation_create,
    reserve_drop,
    reserve_import,
    reserve_promote,
    reserve_save,
    upward_acceptance_record,
    upward_midterm_record,
    upward_outcomes_import,
    upward_outcomes_record,
)


def _need_view(request: AuthedRequest) -> None:
    if not can_view_upward(request.user):
        raise PermissionDenied


def _need_manage(request: AuthedRequest) -> None:
    if not can_manage_upward(request.user):
        raise PermissionDenied


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def upward_list_view(request: AuthedRequest) -> HttpResponse:
    _need_view(request)
    units = OrgUnit.objects.filter(level__in=["street", "park"], parent__is_home=True)
    if has_role(request.user, Role.STREET_LIAISON):
        units = units.filter(pk=request.user.org_unit_id or 0)
    form = UpwardFilterForm(request.GET or None, units=units)
    qs = upward_project_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            upward_projects_export(qs),
            headers=xlsx_response_headers(f"向上争取项目-{stamp}.xlsx"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    year = form.to_filters().get("year") or timezone.localdate().year
    manage = can_manage_upward(request.user)
    return render(
        request,
        "projects/upward/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "figures": upward_figures(year) if is_bureau_reader(request.user) else None,
            "can_manage": manage,
            "calls": higher_level_calls()[:20] if manage else [],
            "recommendations": recommendation_list()[:10] if manage else [],
        },
    )


def upward_recommend_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """推荐上报: choose the call's applications and give the document."""
    call = get_call_for_user(request.user, pk)
    _need_manage(request)
    form = RecommendForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = recommendation_create(
                by=request.user,
                call=call,
                applications=list(data["applications"]),
                document_number=data["document_number"],
                recommended_on=data["recommended_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(n)d applications recommended upward under %(doc)s.")
                % {"n": len(data["applications"]), "doc": batch.document_number},
            )
            return redirect("upward-recommendation", pk=batch.pk)
    return render(
        request, "projects/upward/recommend.html", {"form": form, "call": call}
    )


def _outcome_rows(formset: Any, projects: dict[int, UpwardProject]) -> list[Any]:
    rows = []
    for form in formset:
        data = form.cleaned_data
        project = projects.get(data.get("project"))
        if project is None or not data.get("outcome"):
            continue
        rows.append((form, project, data))
    return rows


def recommendation_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A recommendation list and, for staff, the table of the decisions
    still to record (立项/未立项, 文号, 上级资助, 区级配套 in 万元)."""
    batch = get_recommendation_for_user(request.user, pk)
    projects = list(
        batch.projects.select_related("application__enterprise__org_unit").order_by(
            "application__enterprise__name", "id"
        )
    )
    waiting = {p.pk: p for p in projects if p.state == UpwardProject.State.RECOMMENDED}
    manage = can_manage_upward(request.user)
    initial = [{"project": pk} for pk in waiting]
    formset = OutcomeFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="outcome",
    )
    if request.method == "POST":
        _need_manage(request)
        if formset.is_valid():
            rows = _outcome_rows(formset, waiting)
            if not rows:
                messages.error(request, _("Choose an outcome in at least one row."))
            elif needs_confirmation(request):
                total = sum(
                    (d.get("funds_from_above") or Decimal(0) for _f, _p, d in rows),
                    Decimal(0),
                )
                match = sum(
                    (d.get("local_match") or Decimal(0) for _f, _p, d in rows),
                    Decimal(0),
                )
                return confirmation_page(
                    request,
                    title=_("Record the higher level's decisions"),
                    subject=_("Recommendation list %(doc)s: %(n)d decisions")
                    % {"doc": batch.document_number, "n": len(rows)},
                    amount_yuan=total,
                    details=[
                        (_("funds from above"), wan_with_unit(total, places=6)),
                        (_("district matching funds"), wan_with_unit(match, places=6)),
                    ],
                    items=[
                        _(
                            "%(title)s: %(outcome)s, %(doc)s, funds %(funds)s, match %(match)s"
                        )
                        % {
                            "title": p.application.title,
                            "outcome": UpwardProject.Outcome(d["outcome"]).label,
                            "doc": d.get("higher_document_number") or "—",
                            "funds": wan_with_unit(d.get("funds_from_above"), places=6),
                            "match": wan_with_unit(d.get("local_match"), places=6),
                        }
                        for _f, p, d in rows
                    ],
                    cancel_url=reverse("upward-recommendation", args=[batch.pk]),
                )
            else:
                values = [
                    (
                        p,
                        {
                            "outcome": d["outcome"],
                            "decided_on": d["decided_on"],
                            "higher_document_number": d["higher_document_number"],
                            "funds_from_above": d.get("funds_from_above"),
                            "local_match": d.get("local_match"),
                        },
                    )
                    for _f, p, d in rows
                ]
                try:
                    upward_outcomes_record(by=request.user, rows=values)
                except ValidationError as exc:
                    for key, errors in exc.message_dict.items():
                        index, _dot, name = key.partition(".")
                        form = rows[int(index)][0]
                        form.add_error(name if name in form.fields else None, errors)
                    messages.error(
                        request, _("Nothing was recorded: correct the marked rows.")
                    )
                else:
                    messages.success(
                        request,
                        _("%(n)d decisions recorded.") % {"n": len(values)},
                    )
                    return redirect("upward-recommendation", pk=batch.pk)
    forms_by_project = {
        form.initial.get("project") or form["project"].value(): form for form in formset
    }
    rows = [(p, forms_by_project.get(p.pk) if manage else None) for p in projects]
    return render(
        request,
        "projects/upward/recommendation.html",
        {
            "batch": batch,
            "rows": rows,
            "formset": formset,
            "can_manage": manage and bool(waiting),
        },
    )


def upward_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_upward_project_for_user(request.user, pk)
    manage = can_manage_upward(request.user) and project.is_running
    return render(
        request,
        "projects/upward/detail.html",
        {
            "project": project,
            "app": project.application,
            "can_manage": manage,
            "can_open_batch": is_bureau_reader(request.user),
            "midterm_form": MidtermForm(),
            "acceptance_form": AcceptanceForm(),
        },
    )


def _project_move(
    request: AuthedRequest, pk: int, form_class: Any, service: Any, done: str
) -> HttpResponse:
    project = get_upward_project_for_user(request.user, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(by=request.user, project=project, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            if isinstance(exc, ValidationError):
                _add_errors(form, exc)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, done % {"title": project.application.title})
            return redirect("upward-detail", pk=pk)
    forms = {"midterm_form": MidtermForm(), "acceptance_form": AcceptanceForm()}
    forms["midterm_form" if form_class is MidtermForm else "acceptance_form"] = form
    return render(
        request,
        "projects/upward/detail.html",
        {
            "project": project,
            "app": project.application,
            "can_manage": project.is_running,
            "can_open_batch": True,
            **forms,
        },
        status=400,
    )


@require_POST
def upward_midterm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _project_move(
        request,
        pk,
        MidtermForm,
        upward_midterm_record,
        _("The mid-term check of “%(title)s” is recorded."),
    )


@require_POST
def upward_acceptance_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _project_move(
        request,
        pk,
        AcceptanceForm,
        upward_acceptance_record,
        _("The acceptance of “%(title)s” is recorded."),
    )


def upward_import_view(request: AuthedRequest) -> HttpResponse:
    """Import the decisions from the exported list, filled in."""
    _need_manage(request)
    form = OutcomeUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = upward_outcomes_import(
                by=request.user,
                file=form.cleaned_data["file"],
                visible=upward_projects_visible_to(request.user),
            )
        except OutcomeImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported: %(approved)d approved, %(not_approved)d not approved.")
                % {"approved": result.approved, "not_approved": result.not_approved},
            )
            return redirect("upward-list")
    return render(
        request, "projects/upward/import.html", {"form": form, "errors": errors}
    )


# --- 储备库 -------------------------------------------------------------------


def reserve_list_view(request: AuthedRequest) -> HttpResponse:
    _need_view(request)
    form = ReserveFilterForm(request.GET or None)
    qs = reserve_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            reserve_export(qs),
            headers=xlsx_response_headers(f"项目储备库-{stamp}.xlsx"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/upward/reserve.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": can_manage_upward(request.user),
        },
    )


def reserve_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    _need_manage(request)
    reserve = get_reserve_for_user(request.user, pk, write=True) if pk else None
    form = ReserveForm(request.POST or None, instance=reserve)
    if request.method == "POST" and form.is_valid():
        try:
            saved = reserve_save(by=request.user, reserve=form.instance)
        except ValidationError as exc:
            _add_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("“%(title)s” is in the reserve.") % {"title": saved.title}
            )
            return redirect("upward-reserve")
    calls = open_calls_for_reserve(reserve=reserve) if reserve else None
    return render(
        request,
        "projects/upward/reserve_form.html",
        {
            "form": form,
            "reserve": reserve,
            "promote_form": PromoteForm(calls=calls) if calls is not None else None,
            "can_promote": bool(
                reserve
                and reserve.status == ReserveProject.Status.RESERVE
                and calls is not None
                and calls.exists()
            ),
        },
    )


class ReserveUploadForm(forms.Form):
    file = forms.FileField(label=_lazy("Reserve projects (.xlsx)"))


def reserve_import_view(request: AuthedRequest) -> HttpResponse:
    """Add or update reserve projects from the bureau's list (the export's
    columns), all or nothing."""
    _need_manage(request)
    form = ReserveUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = reserve_import(by=request.user, file=form.cleaned_data["file"])
        except ReserveImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("upward-reserve")
    return render(
        request,
        "projects/upward/reserve_import.html",
        {"form": form, "errors": errors},
    )


def reserve_template_view(request: AuthedRequest) -> HttpResponse:
    _need_manage(request)
    return HttpResponse(
        reserve_import_template(),
        headers=xlsx_response_headers("项目储备库-导入模板.xlsx"),
    )


@require_POST
def reserve_promote_view(request: AuthedRequest, pk: int) -> HttpResponse:
    reserve = get_reserve_for_user(request.user, pk, write=True)
    form = PromoteForm(request.POST, calls=open_calls_for_reserve(reserve=reserve))
    if not form.is_valid():
        messages.error(request, _("Choose an open call of the reserve's target."))
        return redirect("upward-reserve-edit", pk=pk)
    try:
        app = reserve_promote(
            by=request.user, reserve=reserve, call=form.cleaned_data["call"]
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("upward-reserve-edit", pk=pk)
    messages.success(
        request,
        _(
            "“%(title)s” is now a draft application of %(enterprise)s in "
            "“%(call)s”; the enterprise completes and submits it."
        )
        % {
            "title": app.title,
            "enterprise": reserve.enterprise.name,
            "call": app.call.title,
        },
    )
    return redirect("upward-reserve")


@require_POST
def reserve_drop_view(request: AuthedRequest, pk: int) -> HttpResponse:
    reserve = get_reserve_for_user(request.user, pk, write=True)
    with reported(
        request, _("“%(title)s” left the reserve.") % {"title": reserve.title}
    ):
        reserve_drop(by=request.user, reserve=reserve)
    return redirect("upward-reserve")


upward_page_patterns = [
    path("projects/upward/", upward_list_view, name="upward-list"),
    path("projects/upward/import/", upward_import_view, name="upward-import"),
    path("projects/upward/<int:pk>/", upward_detail_view, name="upward-detail"),
    path(
        "projects/upward/<int:pk>/midterm/",
        upward_midterm_view,
        name="upward-midterm",
    ),
    path(
        "projects/upward/<int:pk>/acceptance/",
        upward_acceptance_view,
        name="upward-acceptance",
    ),
    path(
        "projects/upward/calls/<int:pk>/recommend/",
        upward_recommend_view,
        name="upward-recommend",
    ),
    path(
        "projects/upward/recommendations/<int:pk>/",
        recommendation_view,
        name="upward-recommendation",
    ),
    path("projects/upward/reserve/", reserve_list_view, name="upward-reserve"),
    path("projects/upward/reserve/new/", reserve_edit_view, name="upward-reserve-new"),
    path(
        "projects/upward/reserve/import/",
        reserve_import_view,
        name="upward-reserve-import",
    ),
    path(
        "projects/upward/reserve/import/template/",
        reserve_template_view,
        name="upward-reserve-import-template",
    ),
    path(
        "projects/upward/reserve/<int:pk>/",
        reserve_edit_view,
        name="upward-reserve-edit",
    ),
    path(
        "projects/upward/reserve/<int:pk>/promote/",
        reserve_promote_view,
        name="upward-reserve-promote",
    ),
    path(
        "projects/upward/reserve/<int:pk>/drop/",
        reserve_drop_view,
        name="upward-reserve-drop",
    ),
]
