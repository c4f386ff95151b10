"""Pages of the projects home, calls and applying to a call."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text, reported
from bureau.lib.money import wan_with_unit
from bureau.lib.types import AuthedRequest
from projects.forms import (
    ApplicationForm,
    CallForm,
    budget_formset,
    form_error_summary,
    team_formset,
)
from projects.models import Application
from projects.permissions import (
    calls_visible_to,
    can_apply,
    can_check_eligibility,
    can_list_reviews,
    can_manage_calls,
    can_see_applications_of_call,
    get_call_for_user,
    get_panel_call_for_user,
    is_bureau_reader,
)
from projects.selectors import (
    application_list,
    call_eligibility,
    call_ranking,
    open_calls,
    panel_gaps,
    work_queue,
)
from projects.selectors.calls import applications_by_state
from projects.services.applications import application_create
from projects.services.calls import call_create, call_publish
from projects.services.review import call_panel_close, panel_close_check
from projects.views.applications import NEXT_STEP
from projects.views.reviews import panel_context

S = Application.State


def projects_home_view(request: AuthedRequest) -> HttpResponse:
    """Each role's view of the programmes: staff their queue and the calls,
    enterprises the open calls and their applications, experts their reviews,
    leaders a summary."""
    user = request.user
    if can_list_reviews(user):
        return redirect("review-list")
    context: dict[str, Any] = {"can_manage": can_manage_calls(user)}
    if can_apply(user):
        calls = open_calls(
            user=user, not_applied=request.GET.get("open") == "1"
        ).prefetch_related("eligible_tiers")
        context["mine"] = application_list(user=user)
        applied = {a.call_id for a in context["mine"] if a.state != S.WITHDRAWN}
        context["open_calls"] = [
            (c, call_eligibility(call=c, enterprise=user.enterprise), c.pk in applied)
            for c in calls
        ]
        context["next_steps"] = NEXT_STEP
        return render(request, "projects/home_enterprise.html", context)
    if not is_bureau_reader(user):
        raise PermissionDenied
    context["calls"] = calls_visible_to(user).annotate(n=Count("applications"))
    context["queue"] = work_queue(user=user)[:50]
    by_state = applications_by_state(user=user)
    context["by_state"] = by_state
    context["chart"] = {
        "labels": json.dumps(
            [str(row["label"]) for row in by_state], ensure_ascii=False
        ),
        "values": json.dumps([row["n"] for row in by_state]),
    }
    return render(request, "projects/home_staff.html", context)


def call_new_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_calls(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = call_create(
                by=request.user,
                criteria=data.pop("criteria"),
                eligible_tiers=list(data.pop("eligible_tiers")),
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("The call “%(title)s” is saved as a draft.") % {"title": call.title},
            )
            return redirect("call-detail", pk=call.pk)
    return render(
        request,
        "projects/call_form.html",
        {"form": form, "errors": form_error_summary(form)},
    )


def call_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk)
    context: dict[str, Any] = {
        "call": call,
        "can_manage": can_manage_calls(request.user),
    }
    if can_see_applications_of_call(request.user):
        context["applications"] = application_list(
            user=request.user, filters={"call": call.pk}
        )
        context["ranking"] = call_ranking(call=call)
    context.update(panel_context(request.user, call))
    if can_check_eligibility(request.user):
        context["eligibility"] = call_eligibility(
            call=call, enterprise=request.user.enterprise
        )
    return render(request, "projects/call_detail.html", context)


@require_POST
def call_publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk, manage=True)
    with reported(request):
        call_publish(call=call, by=request.user)
        messages.success(
            request,
            _(
                "The call “%(title)s” is published; enterprises may apply until %(closes)s."
            )
            % {
                "title": call.title,
                "closes": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return redirect("call-detail", pk=pk)


@require_POST
def call_close_panel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """结束评审, in two steps: refused at once while the call still accepts
    applications (unless forced with a reason); otherwise a confirmation that
    names the applications still missing a review, then the closing."""
    call = get_panel_call_for_user(request.user, pk, action="close")
    force = request.POST.get("force") == "1"
    reason = request.POST.get("reason", "")
    try:
        panel_close_check(call=call, force=force, reason=reason)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("call-detail", pk=pk)
    gaps = panel_gaps(call=call)
    if needs_confirmation(request):
        warnings = []
        if gaps:
            warnings.append(
                _(
                    "%(n)d applications still miss a review; they stay under "
                    "review, and the section head decides on the scores in."
                )
                % {"n": len(gaps)}
            )
        if timezone.now() < call.closes_at:
            warnings.append(
                _("The call still accepts applications; reason given: %(reason)s")
                % {"reason": reason.strip()}
            )
        return confirmation_page(
            request,
            title=_("Close the review panel"),
            subject=call.title,
            details=[
                (
                    _("closes at"),
                    timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"),
                ),
                (_("reviewers per application"), call.reviewers_per_application),
            ],
            items=[
                _("%(title)s (%(enterprise)s): %(submitted)d of %(wanted)d reviews in")
                % {
                    "title": g.application.title,
                    "enterprise": g.application.enterprise.name,
                    "submitted": g.submitted,
                    "wanted": g.wanted,
                }
                for g in gaps
            ],
            warnings=warnings,
            cancel_url=reverse("call-detail", args=[call.pk]),
        )
    with reported(request):
        call_panel_close(call=call, by=request.user, force=force, reason=reason)
        if gaps:
            messages.success(
                request,
                _("Closed the review of “%(title)s”; %(n)d applications miss a review.")
                % {"title": call.title, "n": len(gaps)},
            )
        else:
            messages.success(
                request,
                _(
                    "Closed the review of “%(title)s”; every application has its reviews."
                )
                % {"title": call.title},
            )
    return redirect("call-detail", pk=pk)


def apply_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An enterprise starts an application; it is told first what it misses.
    Budget lines and team members are table editors beside the form."""
    call = get_call_for_user(request.user, pk)
    if not can_apply(request.user):
        raise PermissionDenied
    eligibility = call_eligibility(call=call, enterprise=request.user.enterprise)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data)
    budget = budget_formset(data)
    team = team_formset(data)
    if data is not None and form.is_valid() and budget.is_valid() and team.is_valid():
        fields = form.cleaned_data
        if call.max_request and fields["requested_amount"] > call.max_request:
            form.add_error(
                "requested_amount",
                _("At most %(max)s may be requested in this call.")
                % {"max": wan_with_unit(call.max_request, places=6)},
            )
        else:
            try:
                app = application_create(
                    by=request.user,
                    call=call,
                    budget_lines=budget.rows_or_none(),
                    team_members=team.rows_or_none(),
                    **fields,
                )
            except (ApplicationError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request,
                    _(
                        "The draft “%(title)s” is saved. Upload the attachments, "
                        "then submit."
                    )
                    % {"title": app.title},
                )
                return redirect("application-detail", pk=app.pk)
    return render(
        request,
        "projects/apply.html",
        {
            "call": call,
            "form": form,
            "budget": budget,
            "team": team,
            "errors": form_error_summary(form, budget, team) if data else [],
            "eligibility": eligibility,
        },
        status=400 if data is not None else 200,
    )
