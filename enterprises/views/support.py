"""Visits and their follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from enterprises.forms import VisitForm
from enterprises.permissions import (
    can_record_visit,
    get_enterprise_for_user,
    get_follow_up_for_user,
)
from enterprises.services import follow_up_close, visit_record


@require_POST
def visit_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_record_visit(request.user):
        raise PermissionDenied
    form = VisitForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        follow_ups = []
        if data["follow_up_action"]:
            follow_ups.append(
                {
                    "action": data["follow_up_action"],
                    "owner": data["follow_up_owner"] or request.user,
                    "due_on": data["follow_up_due_on"],
                }
            )
        with reported(request, _("The visit is recorded.")):
            visit_record(
                enterprise=enterprise,
                by=request.user,
                visited_on=data["visited_on"],
                issues_raised=data["issues_raised"],
                follow_ups=follow_ups,
            )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("enterprise-detail", pk=pk)


@require_POST
def follow_up_close_view(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = get_follow_up_for_user(request.user, pk)
    with reported(request, _("Saved.")):
        follow_up_close(
            follow_up=follow_up, by=request.user, result=request.POST.get("result", "")
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    return redirect(next_url or "home")
