"""Visits and their follow-ups."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text, reported
from bureau.lib.types import AuthedRequest
from enterprises.forms import VisitForm
from enterprises.permissions import (
    can_record_visit,
    get_enterprise_for_user,
    get_follow_up_for_user,
)
from enterprises.services import follow_up_close, visit_record


def form_errors_text(form: forms.Form) -> str:
    """A form's errors as one Chinese sentence, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(str(error).rstrip("。.") for error in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


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
        values = {
            "enterprise": enterprise.name,
            "date": data["visited_on"].isoformat(),
        }
        if follow_ups:
            owner = follow_ups[0]["owner"]
            due_on = follow_ups[0]["due_on"]
            success = _(
                "The visit to %(enterprise)s on %(date)s is recorded, with the "
                "follow-up “%(action)s” for %(owner)s%(due)s."
            ) % {
                **values,
                "action": follow_ups[0]["action"],
                "owner": owner.display_name,
                "due": _(", due %(date)s") % {"date": due_on.isoformat()}
                if due_on
                else "",
            }
        else:
            success = _("The visit to %(enterprise)s on %(date)s is recorded.") % values
        with reported(request, success):
            visit_record(
                enterprise=enterprise,
                by=request.user,
                visited_on=data["visited_on"],
                issues_raised=data["issues_raised"],
                follow_ups=follow_ups,
            )
    else:
        messages.error(
            request,
            _("The visit was not recorded: %(errors)s. Correct it and save again.")
            % {"errors": form_errors_text(form)},
        )
    return redirect("enterprise-detail", pk=pk)


@require_POST
def follow_up_close_view(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = get_follow_up_for_user(request.user, pk)
    result = request.POST.get("result", "")
    names = {
        "action": follow_up.action,
        "enterprise": follow_up.visit.enterprise.name,
    }
    try:
        follow_up_close(follow_up=follow_up, by=request.user, result=result)
    except (ApplicationError, ValidationError) as exc:
        messages.error(
            request,
            _("The follow-up “%(action)s” of %(enterprise)s is still open: %(reason)s")
            % {**names, "reason": error_text(exc)},
        )
    else:
        messages.success(
            request,
            _("The follow-up “%(action)s” of %(enterprise)s is done: %(result)s")
            % {**names, "result": result.strip()},
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    return redirect(next_url or "home")
