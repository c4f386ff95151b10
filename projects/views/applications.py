"""Pages of an application: the list, its detail and one view per button."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text, reported
from bureau.lib.money import amount_in_words, wan
from bureau.lib.paging import DeferredJoinPaginator
from bureau.lib.types import AuthedRequest
from bureau.lib.uploads import download_response
from bureau.models import User
from bureau.services.jobs import ExportPlan
from bureau.views.jobs import export_response
from projects.exports import applications_workbook
from projects.forms import (
    ApplicationForm,
    ApprovalForm,
    ContractForm,
    TableFormSet,
    budget_formset,
    form_error_summary,
    milestone_formset,
    team_formset,
)
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
from projects.selectors.application_search import (
    SORTS,
    ApplicationFilters,
    application_filter_choices,
    application_search,
)
from projects.services.applications import (
    application_update,
    applications_bulk_transition,
    attachment_add,
)
from projects.services.money import contract_record
from projects.services.review import reviewers_draw
from projects.services.workflow import application_transition
from projects.workflow import allowed_transitions, check_move, find_move

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
# Moves confirmed on a second page before they happen (cannot be undone).
CONFIRMED = CAUTIOUS | {S.APPROVED}

# What the page says after a move, by the state it led to ("%(title)s" is
# the project's title).
MOVE_DONE: dict[str, StrPromise] = {
    S.SUBMITTED: gettext_lazy("“%(title)s” has been submitted for the formal check."),
    S.WITHDRAWN: gettext_lazy("“%(title)s” has been withdrawn."),
    S.RETURNED: gettext_lazy(
        "“%(title)s” has been returned to %(enterprise)s for revision."
    ),
    S.UNDER_REVIEW: gettext_lazy(
        "“%(title)s” has passed the formal check and goes to expert review."
    ),
    S.REJECTED: gettext_lazy("“%(title)s” has been rejected."),
    S.APPROVED: gettext_lazy("“%(title)s” is approved with %(amount)s."),
    S.CONTRACTED: gettext_lazy("The contract of “%(title)s” is confirmed."),
    S.MIDTERM_PASSED: gettext_lazy("“%(title)s” has passed the mid-term check."),
    S.ACCEPTED: gettext_lazy("“%(title)s” has passed acceptance."),
    S.FAILED_ACCEPTANCE: gettext_lazy("“%(title)s” has failed acceptance."),
    S.CLOSED: gettext_lazy("“%(title)s” is closed."),
    S.TERMINATED: gettext_lazy("“%(title)s” has been terminated."),
}

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

# Bulk actions of the list: the state they lead to, for whoever may.
BULK_ACTIONS: dict[str, str] = {"formal_pass": S.UNDER_REVIEW}
PAGE_SIZE = 50
LIST_QUERY_KEY = "projects.application_list_query"


def _list_filters(request: AuthedRequest) -> ApplicationFilters:
    return _filters_of(request.GET)


def _filters_of(get: QueryDict) -> ApplicationFilters:
    return ApplicationFilters(
        q=get.get("q", "").strip()[:100],
        call=get.get("call", ""),
        state=get.get("state", ""),
        street=get.get("street", ""),
        year=get.get("year", ""),
        sort=get.get("sort", ""),
    )


def application_list_view(request: AuthedRequest) -> HttpResponse:
    """The applications `user` may see: search, filters, sorting, Excel of
    the filtered list and, for staff, the formal check of several at once.
    After an action the list comes back with its filters and page."""
    user = request.user
    if not can_list_applications(user):
        raise PermissionDenied
    filters = _list_filters(request)
    bulk = can_manage_calls(user)
    if request.method == "POST":
        if not bulk:
            raise PermissionDenied
        response = _bulk_action(request)
        if response is not None:
            return response
        return redirect(request.get_full_path())
    if request.GET.get("export") == "xlsx":
        return export_response(request, "projects.applications")
    apps = application_search(user=user, filters=filters)
    # The detail page's "back to the list" returns to these filters and page.
    query = request.GET.urlencode()
    if request.session.get(LIST_QUERY_KEY) != query:
        request.session[LIST_QUERY_KEY] = query
    page = DeferredJoinPaginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    choices = application_filter_choices(user=user)
    return render(
        request,
        "projects/applications.html",
        {
            "applications": page,
            "filters": filters,
            "choices": choices,
            "sorts": SORTS,
            "states": S.choices,
            "bulk": bulk,
            "here": request.get_full_path(),
            "export_query": request.GET.copy().urlencode(),
        },
    )


def application_list_export(user: User, query: QueryDict) -> ExportPlan:
    """The list's Excel as filtered on the page: downloaded at once, or
    written by a background job when it is long (bureau.views.jobs)."""
    if not can_list_applications(user):
        raise PermissionDenied
    apps = application_search(user=user, filters=_filters_of(query))
    return ExportPlan(
        filename=f"项目申报清单-{timezone.localdate():%Y%m%d}.xlsx",
        rows=apps.count(),
        write=lambda: applications_workbook(apps),
    )


def _bulk_action(request: AuthedRequest) -> HttpResponse | None:
    """Pass the formal check of the ticked applications, after one
    confirmation that lists them."""
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        messages.error(request, _("Choose an action."))
        return None
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    chosen = list(
        application_search(user=request.user, filters=ApplicationFilters()).filter(
            pk__in=ids, state=S.SUBMITTED
        )
    )
    if not chosen:
        messages.error(
            request, _("Tick at least one application waiting for the formal check.")
        )
        return None
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Pass the formal check"),
            subject=_(
                "%(n)d applications pass the formal check and go to expert review"
            )
            % {"n": len(chosen)},
            items=[f"《{a.title}》 {a.enterprise.name}" for a in chosen],
            cancel_url=request.get_full_path(),
            danger=False,
        )
    done, refused = applications_bulk_transition(
        applications=chosen,
        to=BULK_ACTIONS[action],
        by=request.user,
        comment=request.POST.get("comment", ""),
    )
    if done:
        messages.success(
            request,
            _("%(n)d applications passed the formal check: %(titles)s")
            % {"n": len(done), "titles": "、".join(f"《{a.title}》" for a in done)},
        )
    for app, reason in refused:
        messages.error(request, f"《{app.title}》：{reason}")
    return None


def _tranche_numbers(disbursements: list[Any]) -> dict[int, int]:
    return {d.pk: number for number, d in enumerate(disbursements, start=1)}


def _detail(
    request: AuthedRequest,
    app: Application,
    *,
    edit_form: ApplicationForm | None = None,
    budget: TableFormSet | None = None,
    team: TableFormSet | None = None,
    contract_form: ContractForm | None = None,
    milestones: TableFormSet | None = None,
    approval_form: ApprovalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The detail page; a form that failed comes back bound, with its
    errors beside the fields and summarised at the top."""
    user = request.user
    can_manage = can_manage_calls(user)
    can_edit = may_edit_application(user, app) and app.is_editable
    bureau = may_see_duplicates(user)
    disbursements = list(app.disbursements.select_related("milestone"))
    numbers = _tranche_numbers(disbursements)
    for d in disbursements:
        d.number = numbers[d.pk]  # type: ignore[attr-defined]
    if can_edit:
        edit_form = edit_form or ApplicationForm(
            initial=ApplicationForm.initial_for(app)
        )
        budget = budget or budget_formset(initial=ApplicationForm.lines_for(app))
        team = team or team_formset(initial=ApplicationForm.team_for(app))
    else:
        edit_form = budget = team = None
    contract_form = contract_form or ContractForm()
    milestones = milestones or milestone_formset()
    context = {
        "app": app,
        "allowed": [
            (s, MOVE_LABELS.get(s, S(s).label), s in CAUTIOUS)
            for s in allowed_transitions(user=user, application=app)
        ],
        "approval_form": approval_form or ApprovalForm(),
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
        "disbursements": disbursements,
        "duplicates": app.duplicate_of.select_related("call") if bureau else [],
        "contract_form": contract_form,
        "milestones": milestones,
        "contract_errors": form_error_summary(contract_form, milestones),
        "edit_form": edit_form,
        "budget": budget,
        "team": team,
        "edit_errors": form_error_summary(edit_form, *(t for t in (budget, team) if t))
        if edit_form is not None
        else [],
        "approval_errors": form_error_summary(approval_form),
        "list_query": request.session.get(LIST_QUERY_KEY, ""),
        "can_list": can_list_applications(user),
    }
    return render(request, "projects/application_detail.html", context, status=status)


def application_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, get_application_for_user(request.user, pk))


@require_POST
def application_transition_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The workflow buttons: POST `to`, `comment` and, to approve, the amount
    in 万元. Approving, rejecting and the other moves that cannot be undone
    are confirmed on a second page that restates the project and the sum."""
    app = get_application_for_user(request.user, pk)
    post = request.POST
    to = post.get("to", "")
    comment = post.get("comment", "")
    extra: dict[str, Any] = {}
    try:
        # Role (403) and state (409) first, as the service would check them.
        move = find_move(user=request.user, application=app, to=to)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("application-detail", pk=pk)
    if to == S.APPROVED:
        form = ApprovalForm(post)
        if not form.is_valid():
            return _detail(request, app, approval_form=form, status=400)
        extra["approved_amount"] = form.cleaned_data["approved_amount"]
    if to in CONFIRMED and needs_confirmation(request):
        try:
            # Ask only for what would be done: a missing reason or a broken
            # rule is said now, not after the confirmation.
            check_move(move, app, comment, extra)
        except ValidationError as exc:
            if to == S.APPROVED:
                # The amount stays as typed, the reason beside it.
                fields = getattr(exc, "error_dict", {})
                field = "approved_amount" if "approved_amount" in fields else None
                form.add_error(field, error_text(exc))
                return _detail(request, app, approval_form=form, status=400)
            messages.error(request, error_text(exc))
            return redirect("application-detail", pk=pk)
        except ApplicationError as exc:
            if to == S.APPROVED:
                form.add_error(None, error_text(exc))
                return _detail(request, app, approval_form=form, status=409)
            messages.error(request, error_text(exc))
            return redirect("application-detail", pk=pk)
        details: list[tuple[Any, Any]] = [
            (_("enterprise"), app.enterprise.name),
            (_("call"), app.call.title),
            (_("requested amount"), f"{wan(app.requested_amount)}万元"),
        ]
        if post.get("comment", "").strip():
            details.append((_("Remarks or reason"), post["comment"].strip()))
        return confirmation_page(
            request,
            title=MOVE_LABELS.get(to, S(to).label if to in S.values else to),
            subject=f"《{app.title}》 {app.enterprise.name}",
            amount_yuan=extra.get("approved_amount"),
            details=details,
            cancel_url=reverse("application-detail", args=[app.pk]),
            danger=to != S.APPROVED,
        )
    with reported(request):
        application_transition(
            application=app,
            to=to,
            by=request.user,
            comment=comment,
            **extra,
        )
        done = MOVE_DONE.get(to)
        if done is not None:
            messages.success(
                request,
                done
                % {
                    "title": app.title,
                    "enterprise": app.enterprise.name,
                    "amount": _("%(wan)s (%(words)s)")
                    % {
                        "wan": f"{wan(app.approved_amount)}万元",
                        "words": amount_in_words(app.approved_amount),
                    },
                },
            )
    return redirect("application-detail", pk=pk)


@require_POST
def application_attach_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "")[:100] or "其他"
    with reported(request):
        if upload is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        attachment_add(application=app, by=request.user, kind=kind, upload=upload)
        messages.success(
            request,
            _("%(name)s is attached to “%(title)s” as %(kind)s.")
            % {"name": upload.name, "title": app.title, "kind": kind},
        )
    return redirect("application-detail", pk=pk)


@require_POST
def application_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    form = ApplicationForm(request.POST)
    budget = budget_formset(request.POST)
    team = team_formset(request.POST)
    if not (form.is_valid() and budget.is_valid() and team.is_valid()):
        return _detail(
            request, app, edit_form=form, budget=budget, team=team, status=400
        )
    try:
        application_update(
            application=app,
            by=request.user,
            budget_lines=budget.rows_or_none(),
            team_members=team.rows_or_none(),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
        return _detail(
            request, app, edit_form=form, budget=budget, team=team, status=400
        )
    except ApplicationError as exc:  # the state forbids it
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("“%(title)s” is saved.") % {"title": form.cleaned_data["title"]}
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
    """Record the 任务书: its terms and, in a table, the milestones with the
    tranche paid after each (adding up to the approved amount)."""
    app = get_application_for_user(request.user, pk, manage=True)
    form = ContractForm(request.POST)
    milestones = milestone_formset(request.POST)
    if not (form.is_valid() and milestones.is_valid()):
        return _detail(
            request, app, contract_form=form, milestones=milestones, status=400
        )
    try:
        contract_record(
            application=app,
            by=request.user,
            milestones=milestones.rows(),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    if field == "milestones":
                        milestones.add_table_error(error)
                    else:
                        form.add_error(target, error)
        else:
            form.add_error(None, error_text(exc))
        return _detail(
            request, app, contract_form=form, milestones=milestones, status=400
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        rows = milestones.rows()
        messages.success(
            request,
            _(
                "The contract of “%(title)s” is recorded: %(n)d milestones, "
                "tranches totalling %(total)s."
            )
            % {
                "title": app.title,
                "n": len(rows),
                "total": f"{wan(sum(r['amount'] for r in rows))}万元",
            },
        )
    return redirect("application-detail", pk=pk)


def attachment_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk)
    return download_response(
        attachment.file,
        content_type=attachment.content_type,
        name=attachment.original_name or "attachment",
    )
