"""Pages of an expert's reviews, and the bureau's side of a call's review
panel: who reviews what, replacing a declined or overdue reviewer, and
re-opening a closed panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.models import User
from projects.models import Call, ReviewAssignment
from projects.permissions import (
    can_close_panel,
    can_list_reviews,
    can_reopen_panel,
    can_replace_reviewer,
    can_see_applications_of_call,
    get_assignment_for_user,
    get_assignment_to_replace,
    get_panel_call_for_user,
)
from projects.selectors import (
    assignments_for_expert,
    panel_assignments,
    panel_events,
    panel_gaps,
)
from projects.services.review import (
    assignment_declare,
    assignment_replace,
    call_panel_reopen,
    review_submit,
)


def review_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_list_reviews(request.user):
        raise PermissionDenied
    return render(
        request,
        "projects/reviews.html",
        {
            "assignments": assignments_for_expert(
                user=request.user, open_only=request.GET.get("open") == "1"
            )
        },
    )


def _submitted_scores(assignment: ReviewAssignment) -> list[dict[str, Any]]:
    """The criteria with the score the expert gave each, for the read-only
    view of a submitted review."""
    return [
        {"criterion": c, "score": assignment.scores.get(str(c.pk))}
        for c in assignment.application.call.criteria.all()
    ]


def review_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The application under review; POST `declare` (none or conflict) first,
    then the scores. Once submitted, the scores are shown read-only."""
    assignment = get_assignment_for_user(request.user, pk)
    app = assignment.application
    if request.method == "POST":
        with reported(request):
            if "declare" in request.POST:
                conflict = request.POST["declare"] == "conflict"
                assignment_declare(
                    assignment=assignment,
                    by=request.user,
                    conflict=conflict,
                    reason=request.POST.get("reason", ""),
                )
                done = (
                    _("You recused yourself from reviewing “%(title)s”.")
                    if conflict
                    else _(
                        "You declared no conflict of interest with “%(title)s”; "
                        "the files are open to you."
                    )
                )
                messages.success(request, done % {"title": app.title})
            else:
                scores = {
                    k.removeprefix("score_"): v
                    for k, v in request.POST.items()
                    if k.startswith("score_")
                }
                review_submit(
                    assignment=assignment,
                    by=request.user,
                    scores=scores,
                    opinion=request.POST.get("opinion", ""),
                )
                messages.success(
                    request,
                    _("Submitted your scores for “%(title)s”: %(score)s points.")
                    % {"title": app.title, "score": assignment.weighted_score},
                )
        if assignment.declined_reason:
            return redirect("review-list")
        return redirect("review-detail", pk=pk)
    return render(
        request,
        "projects/review_detail.html",
        {
            "a": assignment,
            "app": app,
            "criteria": app.call.criteria.all(),
            "submitted": _submitted_scores(assignment)
            if assignment.submitted_at
            else None,
            "attachments": app.attachments.all() if assignment.declared_at else [],
        },
    )


# --- The bureau's side of a panel ---------------------------------------------


def panel_context(user: User, call: Call) -> dict[str, Any]:
    """What templates/projects/_panel.html shows on the call page: the
    bureau's view of the panel (empty for anyone else)."""
    if not can_see_applications_of_call(user) or call.published_at is None:
        return {}
    gaps = panel_gaps(call=call)
    may_replace = can_replace_reviewer(user) and call.panel_closed_at is None
    assignments = [
        {"a": a, "replaceable": may_replace and a.is_replaceable}
        for a in panel_assignments(call=call)
    ]
    return {
        "panel": {
            "closed": call.panel_closed_at is not None,
            "call_open": timezone.now() < call.closes_at,
            "gaps": gaps,
            "assignments": assignments,
            "events": list(panel_events(call=call)[:10]),
            "can_close": can_close_panel(user) and call.panel_closed_at is None,
            "can_reopen": can_reopen_panel(user) and call.panel_closed_at is not None,
        }
    }


@require_POST
def panel_reopen_view(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_panel_call_for_user(request.user, pk, action="reopen")
    with reported(request):
        call_panel_reopen(
            call=call, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(
            request,
            _("Re-opened the review of “%(title)s”; experts may score again.")
            % {"title": call.title},
        )
    return redirect("call-detail", pk=pk)


@require_POST
def assignment_replace_view(request: AuthedRequest, pk: int) -> HttpResponse:
    old = get_assignment_to_replace(request.user, pk)
    app = old.application
    with reported(request):
        new = assignment_replace(assignment=old, by=request.user)
        messages.success(
            request,
            _("Drew %(new)s to review “%(title)s” in place of %(old)s.")
            % {"new": new.expert.name, "title": app.title, "old": old.expert.name},
        )
    return redirect("call-detail", pk=app.call_id)
