"""Pages of an expert's reviews."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from projects.permissions import can_list_reviews, get_assignment_for_user
from projects.selectors import assignments_for_expert
from projects.services.review import assignment_declare, review_submit


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


def review_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The application under review; POST `declare` (none or conflict) first,
    then the scores."""
    assignment = get_assignment_for_user(request.user, pk)
    if request.method == "POST":
        with reported(request, _("Saved.")):
            if "declare" in request.POST:
                assignment_declare(
                    assignment=assignment,
                    by=request.user,
                    conflict=request.POST["declare"] == "conflict",
                    reason=request.POST.get("reason", ""),
                )
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
        if assignment.declined_reason:
            return redirect("review-list")
        return redirect("review-detail", pk=pk)
    app = assignment.application
    return render(
        request,
        "projects/review_detail.html",
        {
            "a": assignment,
            "app": app,
            "criteria": app.call.criteria.all(),
            "attachments": app.attachments.all() if assignment.declared_at else [],
        },
    )
