"""Pages of events (活动) and 科普 bases: lists with filters, Excel export
and import, the event form with the enterprises attending (a table of
searchable pickers), the base form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import User
from bureau.permissions import BUREAU_READERS, has_role
from bureau.services.jobs import ExportPlan
from bureau.views.jobs import export_response
from enterprises.exports import event_template, events_export, science_bases_export
from enterprises.exports.cooperation import import_template
from enterprises.exports.events import (
    SCIENCE_BASE_EXAMPLE,
    SCIENCE_BASE_IMPORT_COLUMNS,
)
from enterprises.forms import (
    AttendeeFormSet,
    EventFilterForm,
    EventForm,
    EventUploadForm,
    ScienceBaseForm,
    add_service_errors,
)
from enterprises.models import Event, ScienceBase
from enterprises.permissions import (
    can_edit_event,
    can_manage_science_bases,
    can_record_events,
    can_view_events,
    enterprises_visible_to,
    get_event_for_user,
    get_science_base_for_user,
)
from enterprises.selectors import event_figures, event_list, science_base_list
from enterprises.services import (
    EventImportError,
    event_save,
    events_import,
    science_base_save,
    science_bases_import,
)
from enterprises.views.cooperation import import_page


def _need_view(request: AuthedRequest) -> None:
    if not can_view_events(request.user):
        raise PermissionDenied


def event_list_export(user: User, query: QueryDict) -> ExportPlan:
    """The event list's Excel as filtered on the page, at once or written
    by a background job when long (bureau.views.jobs)."""
    if not can_view_events(user):
        raise PermissionDenied
    form = EventFilterForm(query or None, user=user)
    qs = event_list(user=user, filters=form.to_filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportPlan(
        filename=f"活动-{stamp}.xlsx",
        rows=qs.count(),
        write=lambda: events_export(qs.prefetch_related("enterprises")),
    )


def event_list_view(request: AuthedRequest) -> HttpResponse:
    _need_view(request)
    form = EventFilterForm(request.GET or None, user=request.user)
    if request.GET.get("export") == "xlsx":
        return export_response(request, "enterprises.events")
    qs = event_list(user=request.user, filters=form.to_filters())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    year = form.to_filters().get("year") or timezone.localdate().year
    return render(
        request,
        "enterprises/events/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record": can_record_events(request.user),
            "figures": event_figures(year)
            if has_role(request.user, *BUREAU_READERS)
            else None,
        },
    )


def event_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not can_record_events(request.user):
            raise PermissionDenied
        event = Event()
    else:
        event = get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    visible = enterprises_visible_to(request.user)
    initial = (
        [{"enterprise": e.pk} for e in event.enterprises.filter(pk__in=visible)]
        if event.pk
        else []
    )
    attendees = AttendeeFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="attendee",
    )
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        chosen = [
            row.cleaned_data["enterprise"]
            for row in attendees
            if row.cleaned_data.get("enterprise")
        ]
        if event.pk:
            # Attendees of other streets the liaison does not see stay.
            hidden = list(event.enterprises.exclude(pk__in=visible))
            chosen = hidden + chosen
        try:
            saved = event_save(by=request.user, event=form.instance, enterprises=chosen)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The event “%(title)s” is saved with %(n)d enterprises attending.")
                % {"title": saved.title, "n": len(chosen)},
            )
            return redirect("event-list")
    return render(
        request,
        "enterprises/events/form.html",
        {"form": form, "attendees": attendees, "event": event},
    )


def event_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    attendees = event.enterprises.filter(
        pk__in=enterprises_visible_to(request.user)
    ).select_related("org_unit")
    return render(
        request,
        "enterprises/events/detail.html",
        {
            "event": event,
            "attendees": attendees,
            "can_edit": can_edit_event(request.user, event),
        },
    )


def event_import_view(request: AuthedRequest) -> HttpResponse:
    if not can_record_events(request.user):
        raise PermissionDenied
    form = EventUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            n = events_import(by=request.user, file=form.cleaned_data["file"])
        except EventImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)d events imported.") % {"n": n})
            return redirect("event-list")
    return render(
        request,
        "enterprises/events/import.html",
        {"form": form, "errors": errors, "kinds": Event.Kind.choices},
    )


def event_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_record_events(request.user):
        raise PermissionDenied
    return HttpResponse(
        event_template(), headers=xlsx_response_headers("活动导入模板.xlsx")
    )


def science_base_list_view(request: AuthedRequest) -> HttpResponse:
    _need_view(request)
    qs = science_base_list(
        user=request.user,
        filters={"q": request.GET.get("q", ""), "level": request.GET.get("level")},
    )
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            science_bases_export(qs), headers=xlsx_response_headers("科普基地.xlsx")
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/events/bases.html",
        {
            "page": page,
            "query": query.urlencode(),
            "q": request.GET.get("q", ""),
            "level": request.GET.get("level", ""),
            "levels": ScienceBase.Level.choices,
            "can_manage": can_manage_science_bases(request.user),
        },
    )


def science_base_edit_view(
    request: AuthedRequest, pk: int | None = None
) -> HttpResponse:
    if pk is None:
        if not can_manage_science_bases(request.user):
            raise PermissionDenied
        base = ScienceBase()
    else:
        base = get_science_base_for_user(request.user, pk, write=True)
    form = ScienceBaseForm(request.POST or None, instance=base)
    if request.method == "POST" and form.is_valid():
        try:
            saved = science_base_save(by=request.user, base=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The base “%(name)s” is saved.") % {"name": saved.name}
            )
            return redirect("science-base-list")
    return render(
        request, "enterprises/events/base_form.html", {"form": form, "base": base}
    )


def science_base_import_view(request: AuthedRequest) -> HttpResponse:
    return import_page(
        request,
        title=_("Import science popularisation bases"),
        run=science_bases_import,
        template_url=reverse("science-base-import-template"),
        back="science-base-list",
        allowed=can_manage_science_bases(request.user),
    )


def science_base_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_science_bases(request.user):
        raise PermissionDenied
    return HttpResponse(
        import_template(SCIENCE_BASE_IMPORT_COLUMNS, SCIENCE_BASE_EXAMPLE),
        headers=xlsx_response_headers("科普基地导入模板.xlsx"),
    )


event_page_patterns = [
    path("events/", event_list_view, name="event-list"),
    path("events/new/", event_edit_view, name="event-new"),
    path("events/import/", event_import_view, name="event-import"),
    path("events/import/template/", event_template_view, name="event-import-template"),
    path("events/<int:pk>/", event_detail_view, name="event-detail"),
    path("events/<int:pk>/edit/", event_edit_view, name="event-edit"),
    path("events/science-bases/", science_base_list_view, name="science-base-list"),
    path("events/science-bases/new/", science_base_edit_view, name="science-base-new"),
    path(
        "events/science-bases/import/",
        science_base_import_view,
        name="science-base-import",
    ),
    path(
        "events/science-bases/import/template/",
        science_base_template_view,
        name="science-base-import-template",
    ),
    path(
        "events/science-bases/<int:pk>/",
        science_base_edit_view,
        name="science-base-edit",
    ),
]
