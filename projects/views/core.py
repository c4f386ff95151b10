"""Pages of the projects app."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.exceptions import ApplicationError
from bureau.models import Role
from bureau.permissions import has_role
from projects.forms import ApplicationForm, CallForm, ContractForm
from projects.models import Application, Disbursement, Milestone
from projects.permissions import (
    BUREAU,
    calls_visible_to,
    can_manage_calls,
    get_application_for_user,
    may_see_files,
)
from projects.selectors import (
    application_list,
    assignments_for_expert,
    call_eligibility,
    call_ranking,
    ledger,
    work_queue,
)
from projects.services.applications import (
    application_create,
    application_update,
    attachment_add,
)
from projects.services.calls import call_create, call_panel_close, call_publish
from projects.services.money import (
    contract_record,
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)
from projects.services.review import assignment_declare, review_submit, reviewers_draw
from projects.workflow import allowed_transitions, application_transition

S = Application.State


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def projects_home_view(request: HttpRequest) -> HttpResponse:
    """Each role's view of the programmes: staff their queue and the calls,
    enterprises the open calls and their applications, experts their reviews,
    leaders a summary."""
    user = request.user
    if user.role == Role.EXPERT:
        return redirect("review-list")
    context: dict[str, Any] = {"can_manage": can_manage_calls(user)}
    if user.role == Role.ENTERPRISE:
        calls = [
            c
            for c in calls_visible_to(user).prefetch_related("eligible_tiers")
            if c.is_accepting
        ]
        context["mine"] = application_list(user=user)
        applied = {a.call_id for a in context["mine"] if a.state != S.WITHDRAWN}
        context["open_calls"] = [
            (c, call_eligibility(call=c, enterprise=user.enterprise), c.pk in applied)
            for c in calls
        ]
        context["next_steps"] = NEXT_STEP
        return render(request, "projects/home_enterprise.html", context)
    if not has_role(user, *BUREAU):
        raise PermissionDenied
    context["calls"] = calls_visible_to(user).annotate(n=Count("applications"))
    context["queue"] = work_queue(user=user)[:50]
    context["by_state"] = (
        Application.objects.values("state").annotate(n=Count("id")).order_by("state")
    )
    context["state_labels"] = dict(S.choices)
    return render(request, "projects/home_staff.html", context)


# What each move is called on its button, by the state it leads to.
MOVE_LABELS = {
    S.SUBMITTED: _("Submit"),
    S.WITHDRAWN: _("Withdraw"),
    S.RETURNED: _("Return for revision"),
    S.UNDER_REVIEW: _("Pass the formal check"),
    S.REJECTED: _("Reject"),
    S.APPROVED: _("Approve the project"),
    S.CONTRACTED: _("Confirm the contract"),
    S.MIDTERM_PASSED: _("Pass the mid-term check"),
    S.ACCEPTED: _("Pass acceptance"),
    S.FAILED_ACCEPTANCE: _("Fail acceptance"),
    S.CLOSED: _("Close the project"),
    S.TERMINATED: _("Terminate"),
}
# Moves that end or undo something: secondary style and a confirmation.
CAUTIOUS = {S.WITHDRAWN, S.REJECTED, S.TERMINATED, S.FAILED_ACCEPTANCE}

NEXT_STEP = {
    S.DRAFT: "完善材料并提交",
    S.RETURNED: "按退回意见修改后重新提交",
    S.SUBMITTED: "等待形式审查",
    S.UNDER_REVIEW: "专家评审中",
    S.APPROVED: "等待签订任务书",
    S.CONTRACTED: "按任务书实施，等待节点拨款",
    S.MIDTERM_PASSED: "继续实施，准备验收",
    S.FAILED_ACCEPTANCE: "按意见整改",
}


def call_new_view(request: HttpRequest) -> HttpResponse:
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
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The call is saved as a draft."))
            return redirect("call-detail", pk=call.pk)
    return render(request, "projects/call_form.html", {"form": form})


def call_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(
        calls_visible_to(request.user).prefetch_related("criteria"), pk=pk
    )
    context: dict[str, Any] = {
        "call": call,
        "can_manage": can_manage_calls(request.user),
    }
    if has_role(request.user, *BUREAU):
        context["applications"] = application_list(
            user=request.user, filters={"call": call.pk}
        )
        context["ranking"] = call_ranking(call=call)
    if request.user.role == Role.ENTERPRISE:
        context["eligibility"] = call_eligibility(
            call=call, enterprise=request.user.enterprise
        )
    return render(request, "projects/call_detail.html", context)


@require_POST
def call_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    call = get_object_or_404(calls_visible_to(request.user), pk=pk)
    if not can_manage_calls(request.user):
        raise PermissionDenied
    try:
        if action == "publish":
            call_publish(call=call, by=request.user)
        elif action == "close-panel":
            call_panel_close(call=call, by=request.user)
        else:
            raise PermissionDenied
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("call-detail", pk=pk)


def apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise starts an application; it is told first what it misses."""
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    call = get_object_or_404(calls_visible_to(request.user), pk=pk)
    eligibility = call_eligibility(call=call, enterprise=request.user.enterprise)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = application_create(
                by=request.user,
                call=call,
                budget_lines=data.pop("budget_lines"),
                team_members=data.pop("team_members"),
                **data,
            )
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request, _("The draft is saved. Upload the attachments, then submit.")
            )
            return redirect("application-detail", pk=app.pk)
    return render(
        request,
        "projects/apply.html",
        {"call": call, "form": form, "eligibility": eligibility},
    )


def application_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    user = request.user
    context = {
        "app": app,
        "allowed": [
            (s, MOVE_LABELS.get(s, S(s).label), s in CAUTIOUS)
            for s in allowed_transitions(user=user, application=app)
        ],
        "can_draw": can_manage_calls(user)
        and app.state == S.UNDER_REVIEW
        and app.call.panel_closed_at is None
        and app.assignments.filter(declined_reason="").count()
        < app.call.reviewers_per_application,
        "transitions": app.transitions.select_related("actor"),
        "attachments": app.attachments.all(),
        "see_files": may_see_files(user, app),
        "can_edit": user.role == Role.ENTERPRISE and app.is_editable,
        "can_manage": can_manage_calls(user),
        "is_bureau": has_role(user, *BUREAU),
        "assignments": app.assignments.select_related("expert")
        if has_role(user, *BUREAU)
        else [],
        "contract": getattr(app, "contract", None),
        "disbursements": app.disbursements.select_related("milestone"),
        "duplicates": app.duplicate_of.select_related("call")
        if has_role(user, *BUREAU)
        else [],
        "contract_form": ContractForm(),
        "edit_form": ApplicationForm(initial=ApplicationForm.initial_for(app))
        if user.role == Role.ENTERPRISE and app.is_editable
        else None,
    }
    return render(request, "projects/application_detail.html", context)


@require_POST
def application_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The buttons of the application page; each calls one service."""
    app = get_application_for_user(request.user, pk)
    post = request.POST
    try:
        if action == "transition":
            extra: dict[str, Any] = {}
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
        elif action == "attach":
            app = get_application_for_user(request.user, pk, write=True)
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError({"file": [_("Choose a file.")]})
            attachment_add(
                application=app,
                by=request.user,
                kind=post.get("kind", "")[:100] or "其他",
                upload=upload,
            )
        elif action == "edit":
            app = get_application_for_user(request.user, pk, write=True)
            form = ApplicationForm(post)
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
        elif action == "draw" and can_manage_calls(request.user):
            reviewers_draw(application=app, by=request.user)
        elif action == "contract" and can_manage_calls(request.user):
            form = ContractForm(post)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            contract_record(application=app, by=request.user, **form.cleaned_data)
        else:
            raise PermissionDenied
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("application-detail", pk=pk)


@require_POST
def money_action_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if not can_manage_calls(request.user):
        raise PermissionDenied
    try:
        if kind == "milestone":
            milestone = get_object_or_404(Milestone, pk=pk)
            milestone_achieve(milestone=milestone, by=request.user)
            target = milestone.contract.application_id
        else:
            d = get_object_or_404(Disbursement, pk=pk)
            target = d.application_id
            if request.POST.get("action") == "pay":
                disbursement_pay(disbursement=d, by=request.user)
            else:
                disbursement_withhold(
                    disbursement=d,
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        target = request.POST.get("application")
    return redirect("application-detail", pk=int(target))


def attachment_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import FileResponse

    from projects.models import Attachment
    from projects.permissions import applications_visible_to

    attachment = get_object_or_404(
        Attachment, pk=pk, application__in=applications_visible_to(request.user)
    )
    if not may_see_files(request.user, attachment.application):
        raise PermissionDenied
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name or "attachment",
    )


def review_list_view(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied
    return render(
        request,
        "projects/reviews.html",
        {"assignments": assignments_for_expert(user=request.user)},
    )


def review_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied
    assignment = get_object_or_404(assignments_for_expert(user=request.user), pk=pk)
    if request.method == "POST":
        try:
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
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect(
            "review-list" if assignment.declined_reason else "review-detail",
            **({} if assignment.declined_reason else {"pk": pk}),
        )
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


def ledger_view(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *BUREAU):
        raise PermissionDenied
    year = request.GET.get("year")
    rows = ledger(year=int(year) if year and year.isdigit() else None)
    if request.GET.get("export") == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("项目资金台账")
        sheet.append(
            [
                "年度",
                "科技计划",
                "申报通知",
                "立项数",
                "立项金额（元）",
                "已拨付（元）",
                "暂缓（元）",
                "待拨付（元）",
                "未安排或不再拨付（元）",
            ]
        )
        for r in rows:
            sheet.append(
                [
                    r["year"],
                    r["programme"],
                    r["call"],
                    r["projects"],
                    float(r["approved"]),
                    float(r["paid"]),
                    float(r["withheld"]),
                    float(r["planned"]),
                    float(r["unscheduled"]),
                ]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
        )
        return response
    return render(request, "projects/ledger.html", {"rows": rows, "year": year or ""})
