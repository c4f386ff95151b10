"""Pages of an application: its detail and one view per button."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.uploads import download_response
from projects.forms import ApplicationForm, ContractForm
from projects.models import Application
from projects.permissions import (
    can_list_applications,
    can_manage_calls,
    get_application_for_user,
    get_attachment_for_user,
    may_edit_application,
    may_see_duplicates,
    may_see_files,
)
from projects.selectors import application_list
from projects.services.applications import application_update, attachment_add
from projects.services.money import contract_record
from projects.services.review import reviewers_draw
from projects.services.workflow import application_transition
from projects.workflow import allowed_transitions

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

S = Application.State

# What each move is called on its button, by the state it leads to.
MOVE_LABELS: dict[str, StrPromise] = {
    S.SUBMITTED: gettext_lazy("Submit"),
    S.WITHDRAWN: gettext_lazy("Withdraw"),
    S.RETURNED: gettext_lazy("Return for revision"),
    S.UNDER_REVIEW: gettext_lazy("Pass the formal check"),
    S.REJECTED: gettext_lazy("Reject"),
    S.APPROVED: gettext_lazy("Approve the project"),
    S.CONTRACTED: gettext_lazy("Confirm the contract"),
    S.MIDTERM_PASSED: gettext_lazy("Pass the mid-term check"),
    S.ACCEPTED: gettext_lazy("Pass acceptance"),
    S.FAILED_ACCEPTANCE: gettext_lazy("Fail acceptance"),
    S.CLOSED: gettext_lazy("Close the project"),
    S.TERMINATED: gettext_lazy("Terminate"),
}
# Moves that end or undo something: secondary style and a confirmation.
CAUTIOUS = {S.WITHDRAWN, S.REJECTED, S.TERMINATED, S.FAILED_ACCEPTANCE}

# What an enterprise does next, by the state its application is in.
NEXT_STEP: dict[str, StrPromise] = {
    S.DRAFT: gettext_lazy("Complete the materials and submit"),
    S.RETURNED: gettext_lazy("Revise as the return asks, then resubmit"),
    S.SUBMITTED: gettext_lazy("Waiting for the formal check"),
    S.UNDER_REVIEW: gettext_lazy("Under expert review"),
    S.APPROVED: gettext_lazy("Waiting for the task contract"),
    S.CONTRACTED: gettext_lazy(
        "Carry out the contract; tranches follow its milestones"
    ),
    S.MIDTERM_PASSED: gettext_lazy("Carry on and prepare for acceptance"),
    S.FAILED_ACCEPTANCE: gettext_lazy("Rectify as the acceptance asks"),
}


def application_list_view(request: AuthedRequest) -> HttpResponse:
    """The applications `user` may see, newest first, as the API lists them."""
    if not can_list_applications(request.user):
        raise PermissionDenied
    # ?state=submitted, or several: ?state=returned,draft (the home's queues)
    states = [s for s in request.GET.get("state", "").split(",") if s in S.values]
    page = Paginator(
        application_list(user=request.user, filters={"state": states}), 50
    ).get_page(request.GET.get("page"))
    return render(request, "projects/applications.html", {"applications": page})


def application_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    user = request.user
    can_manage = can_manage_calls(user)
    can_edit = may_edit_application(user, app) and app.is_editable
    bureau = may_see_duplicates(user)
    context = {
        "app": app,
        "allowed": [
            (s, MOVE_LABELS.get(s, S(s).label), s in CAUTIOUS)
            for s in allowed_transitions(user=user, application=app)
        ],
        "can_draw": can_manage
        and app.state == S.UNDER_REVIEW
        and app.call.panel_closed_at is None
        and app.assignments.filter(declined_reason="", replaced_at__isnull=True).count()
        < app.call.reviewers_per_application,
        "transitions": app.transitions.select_related("actor"),
        "attachments": app.attachments.all(),
        "see_files": may_see_files(user, app),
        "can_edit": can_edit,
        "can_manage": can_manage,
        "is_bureau": bureau,
        "assignments": app.assignments.select_related("expert") if bureau else [],
        "contract": getattr(app, "contract", None),
        "disbursements": app.disbursements.select_related("milestone"),
        "duplicates": app.duplicate_of.select_related("call") if bureau else [],
        "contract_form": ContractForm(),
        "edit_form": ApplicationForm(initial=ApplicationForm.initial_for(app))
        if can_edit
        else None,
    }
    return render(request, "projects/application_detail.html", context)


@require_POST
def application_transition_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The workflow buttons: POST `to`, `comment` and, to approve, the amount."""
    app = get_application_for_user(request.user, pk)
    post = request.POST
    extra: dict[str, Any] = {}
    with reported(request, _("Done.")):
        if post.get("approved_amount"):
            try:
                extra["approved_amount"] = Decimal(post["approved_amount"])
            except InvalidOperation:
                raise ValidationError(
                    {"approved_amount": [_("Give the amount in yuan.")]}
                ) from None
        application_transition(
            application=app,
            to=post.get("to", ""),
            by=request.user,
            comment=post.get("comment", ""),
            **extra,
        )
    return redirect("application-detail", pk=pk)


@require_POST
def application_attach_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    with reported(request, _("Done.")):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        attachment_add(
            application=app,
            by=request.user,
            kind=request.POST.get("kind", "")[:100] or "其他",
            upload=upload,
        )
    return redirect("application-detail", pk=pk)


@require_POST
def application_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    form = ApplicationForm(request.POST)
    with reported(request, _("Done.")):
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        data = form.cleaned_data
        application_update(
            application=app,
            by=request.user,
            budget_lines=data.pop("budget_lines"),
            team_members=data.pop("team_members"),
            **data,
        )
    return redirect("application-detail", pk=pk)


@require_POST
def application_draw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, manage=True)
    with reported(request):
        drawn = reviewers_draw(application=app, by=request.user)
        messages.success(
            request,
            _("Drew %(n)d experts to review “%(title)s”.")
            % {"n": len(drawn), "title": app.title},
        )
    return redirect("application-detail", pk=pk)


@require_POST
def application_contract_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, manage=True)
    form = ContractForm(request.POST)
    with reported(request, _("Done.")):
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        contract_record(application=app, by=request.user, **form.cleaned_data)
    return redirect("application-detail", pk=pk)


def attachment_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk)
    return download_response(
        attachment.file,
        content_type=attachment.content_type,
        name=attachment.original_name or "attachment",
    )
