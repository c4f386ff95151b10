"""Pages of people: the list, registration, the person's page. Only masked
ID numbers and phones ever reach a page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from bureau.lib.types import AuthedRequest
from talent.forms import TalentForm
from talent.permissions import (
    can_manage_talent,
    can_open_case_documents,
    can_view_talent,
    get_talent_for_user,
    require_talent_lister,
    require_talent_manager,
)
from talent.selectors import talent_list
from talent.services import talent_create, team_warnings


@sensitive_variables("id_number")
@sensitive_post_parameters("id_number")
def talent_list_view(request: AuthedRequest) -> HttpResponse:
    """The list, searched by name (GET) or by ID number (POST, so the number
    never appears in a URL or an access log)."""
    require_talent_lister(request.user)
    id_number = (
        request.POST.get("id_number", "").strip() if request.method == "POST" else ""
    )
    q = request.GET.get("q", "").strip()
    page = Paginator(
        talent_list(user=request.user, q=q, id_number=id_number), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/list.html",
        {
            "page": page,
            "q": q,
            "searched_id": bool(id_number),
            "can_create": can_manage_talent(request.user),
            "show_tabs": can_view_talent(request.user),
        },
    )


@sensitive_variables("form")
@sensitive_post_parameters("id_number", "phone")
def talent_create_view(request: AuthedRequest) -> HttpResponse:
    require_talent_manager(request.user)
    form = TalentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            talent = talent_create(by=request.user, **form.values())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("%(name)s is registered in the talent pool.") % {"name": talent.name},
            )
            return redirect("talent-detail", pk=talent.pk)
    # Never send the typed ID number or phone back in the page.
    if form.is_bound:
        blanked = request.POST.copy()
        blanked["id_number"] = blanked["phone"] = ""
        form.data = blanked
    return render(request, "talent/create.html", {"form": form})


def talent_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = get_talent_for_user(request.user, pk)
    teams = list(talent.teams.select_related("leader", "programme")) + list(
        talent.led_teams.select_related("leader", "programme")
    )
    return render(
        request,
        "talent/detail.html",
        {
            "talent": talent,
            "awards": talent.awards.select_related("programme"),
            "teams": [(team, team_warnings(team)) for team in teams],
            "allowances": talent.allowances.prefetch_related("payments"),
            "cases": talent.permit_cases.prefetch_related("documents"),
            "can_manage": can_manage_talent(request.user),
            "can_open_documents": can_open_case_documents(request.user),
        },
    )
