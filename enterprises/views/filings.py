"""Annual returns and quarterly reports: the review list (filters, sorting,
bulk approval, Excel), the form, the detail beside last year's, the review."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import report_error
from bureau.lib.money import wan_with_unit
from bureau.lib.paging import DeferredJoinPaginator
from bureau.lib.types import AuthedRequest
from bureau.models import User
from bureau.services.jobs import ExportPlan
from bureau.views.jobs import export_response
from enterprises.exports import filings_export
from enterprises.forms import (
    AnnualReturnForm,
    FilingFilterForm,
    QuarterlyReportForm,
    ReviewForm,
    add_service_errors,
)
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, QuarterlyReport
from enterprises.permissions import (
    can_export_filings,
    can_file_for,
    can_list_filings,
    can_review_filings,
    can_start_filing,
    filings_visible_to,
    get_enterprise_for_user,
    get_filing_for_user,
)
from enterprises.selectors.filings import (
    DEFAULT_SORT,
    FILING_STATE_LABELS,
    SORTS,
    AnyFiling,
    filing_figures,
    filing_list,
    filing_period,
    filing_title,
    parse_period,
    period_choices,
    previous_filing,
    state_label,
)
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    filing_review,
    filing_submit,
    filing_update,
    filings_accept,
    quarterly_report_create,
)

FILING_KINDS: dict[str, dict[str, Any]] = {
    "annual": {
        "model": AnnualReturn,
        "form": AnnualReturnForm,
        "fields": ANNUAL_RETURN_FIELDS,
        "title": gettext_lazy("Annual returns"),
        "one": gettext_lazy("annual return"),
    },
    "quarterly": {
        "model": QuarterlyReport,
        "form": QuarterlyReportForm,
        "fields": QUARTERLY_FIELDS,
        "title": gettext_lazy("Quarterly reports"),
        "one": gettext_lazy("quarterly report"),
    },
}
PAGE_SIZE = 50


def _list_url(kind: str) -> str:
    return reverse("filing-list", kwargs={"kind": kind})


def _next_url(request: AuthedRequest, kind: str, default: str = "") -> str:
    """Where to go back to after an action: the `next` the page sent, when it
    is one of this kind's filing pages on this site (filters and page kept);
    else `default`, else the list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
        and target.startswith(_list_url(kind))
        and ".." not in target
    ):
        return target
    return default or _list_url(kind)


# --- The list -----------------------------------------------------------------


def _filings_export(user: User, query: QueryDict, kind: str) -> ExportPlan:
    """The filing list's Excel as filtered on the page: downloaded at once,
    or written by a background job when it is long (bureau.views.jobs)."""
    if not can_export_filings(user):
        raise PermissionDenied
    spec = FILING_KINDS[kind]
    form = FilingFilterForm(
        query, user=user, periods=period_choices(user=user, model=spec["model"])
    )
    qs = filing_list(user=user, model=spec["model"], filters=form.to_filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = "季度报表" if kind == "quarterly" else "年度报表"
    return ExportPlan(
        filename=f"{name}-{stamp}.xlsx",
        rows=qs.count(),
        write=lambda: filings_export(
            qs, quarterly=kind == "quarterly", state_labels=FILING_STATE_LABELS
        ),
    )


def annual_filings_export(user: User, query: QueryDict) -> ExportPlan:
    return _filings_export(user, query, "annual")


def quarterly_filings_export(user: User, query: QueryDict) -> ExportPlan:
    return _filings_export(user, query, "quarterly")


def filing_list_view(request: AuthedRequest, kind: str) -> HttpResponse:
    if not can_list_filings(request.user):
        raise PermissionDenied
    spec = FILING_KINDS[kind]
    form = FilingFilterForm(
        request.GET,
        user=request.user,
        periods=period_choices(user=request.user, model=spec["model"]),
    )
    if request.GET.get("export") == "xlsx":
        if not can_export_filings(request.user):
            raise PermissionDenied
        return export_response(request, f"enterprises.filings.{kind}")
    filters = form.to_filters()
    qs = filing_list(user=request.user, model=spec["model"], filters=filters)
    page = DeferredJoinPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    page.object_list = list(page.object_list)
    for filing in page.object_list:
        filing.state_text = state_label(filing.status)
    current = filters.sort if filters.sort.lstrip("-") in SORTS else DEFAULT_SORT
    sort_links = {}
    for key in SORTS:
        ordered = query.copy()
        # A click sorts by the column; a second click on it reverses.
        ordered["sort"] = f"-{key}" if current == key else key
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        sort_links[key] = {"url": "?" + ordered.urlencode(), "arrow": arrow}
    return render(
        request,
        "enterprises/filing_list.html",
        {
            "kind": kind,
            "title": spec["title"],
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sort_links": sort_links,
            "here": request.get_full_path(),
            "state_labels": FILING_STATE_LABELS,
            "submitted": FilingStatus.SUBMITTED,
            "can_file": can_start_filing(request.user),
            "can_review": can_review_filings(request.user),
            "can_export": can_export_filings(request.user),
        },
    )


@require_POST
def filing_bulk_approve_view(request: AuthedRequest, kind: str) -> HttpResponse:
    """通过 the ticked rows, or every filing awaiting review that the list's
    filters find (`scope=filtered`), after one confirmation that lists them."""
    spec = FILING_KINDS[kind]
    if not can_review_filings(request.user):
        raise PermissionDenied
    back = _next_url(request, kind)
    if request.POST.get("scope") == "filtered" and needs_confirmation(request):
        _tick_what_the_filters_find(request, spec["model"])
    ids = {
        int(v)
        for v in request.POST.getlist("ids")
        if v.isascii() and v.isdigit() and len(v) <= 9
    }
    chosen = list(
        filings_visible_to(request.user, spec["model"])
        .filter(pk__in=ids)
        .order_by("enterprise__name", "pk")
    )
    waiting = [f for f in chosen if f.status == FilingStatus.SUBMITTED]
    if not waiting:
        messages.error(
            request, _("Tick at least one filing awaiting review, then approve.")
        )
        return redirect(back)
    skipped = [f for f in chosen if f.status != FilingStatus.SUBMITTED]
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Approve %(kind)s in bulk") % {"kind": spec["one"]},
            subject=ngettext(
                "%(n)d %(kind)s will be approved:",
                "%(n)d %(kind)ss will be approved:",
                len(waiting),
            )
            % {"n": len(waiting), "kind": spec["one"]},
            items=[filing_title(f) for f in waiting],
            warnings=[
                _("Not awaiting review, left as they are: %(names)s")
                % {"names": "、".join(filing_title(f) for f in skipped)}
            ]
            if skipped
            else [],
            cancel_url=back,
            danger=False,
        )
    try:
        done = filings_accept(
            model=spec["model"], ids=[f.pk for f in waiting], by=request.user
        )
    except (ApplicationError, ValidationError) as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "Approved %(n)d %(kind)s: %(names)s",
                "Approved %(n)d %(kind)ss: %(names)s",
                len(done),
            )
            % {
                "n": len(done),
                "kind": spec["one"],
                "names": "、".join(filing_title(f) for f in done),
            },
        )
    return redirect(back)


def _tick_what_the_filters_find(request: AuthedRequest, model: Any) -> None:
    """Turn "approve all the filters find" into the ids it means now, so the
    confirmation lists them and its second step approves exactly those (not
    whatever the filters would find a minute later)."""
    form = FilingFilterForm(
        QueryDict(request.POST.get("filters", "")), user=request.user, periods=[]
    )
    filters = form.to_filters()
    period = QueryDict(request.POST.get("filters", "")).get("period", "")
    filters.period = period if parse_period(period) else ""
    filters.state = FilingStatus.SUBMITTED
    found = filing_list(user=request.user, model=model, filters=filters)
    post = request.POST.copy()
    post.setlist("ids", [str(pk) for pk in found.values_list("pk", flat=True)])
    for key in ("scope", "filters"):
        post.pop(key, None)
    post._mutable = False
    # The confirmation page re-posts request.POST: hand it the ids.
    request.POST = post  # type: ignore[assignment]


# --- One filing: the form or the detail -----------------------------------------


def _enterprise_to_file_for(request: AuthedRequest) -> Enterprise:
    """Enterprise users file for themselves; staff name the enterprise."""
    target = request.user.enterprise_id or request.GET.get("enterprise")
    if not target or not str(target).isdigit():
        raise PermissionDenied
    enterprise = get_enterprise_for_user(request.user, int(target))
    if not can_file_for(request.user, enterprise):
        raise PermissionDenied
    return enterprise


def _detail(
    request: AuthedRequest,
    kind: str,
    filing: AnyFiling,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    """The filing read-only: figures in 万元 beside last year's, and the
    review buttons for staff when it awaits review."""
    previous = previous_filing(filing)
    may_review = (
        can_review_filings(request.user) and filing.status == FilingStatus.SUBMITTED
    )
    return render(
        request,
        "enterprises/filing_detail.html",
        {
            "kind": kind,
            "title": FILING_KINDS[kind]["title"],
            "filing": filing,
            "heading": filing_title(filing),
            "period": filing_period(filing),
            "previous": previous,
            "previous_period": filing_period(previous) if previous else "",
            "state": state_label(filing.status),
            "groups": filing_figures(filing, previous),
            "may_review": may_review,
            "review_form": review_form or ReviewForm(),
            "next": _next_url(request, kind),
        },
    )


def filing_edit_view(
    request: AuthedRequest, kind: str, pk: int | None = None
) -> HttpResponse:
    """Start a filing (an enterprise for itself, staff for any), or open one:
    whoever may file for it and finds it editable gets the form, everyone
    else who may see it (a liaison, the leader) reads the detail."""
    spec = FILING_KINDS[kind]
    filing = None
    if pk is None:
        enterprise = _enterprise_to_file_for(request)
    else:
        filing = get_filing_for_user(
            request.user, spec["model"], pk, write=request.method == "POST"
        )
        enterprise = filing.enterprise
        if not (can_file_for(request.user, enterprise) and filing.is_editable):
            if request.method == "POST":
                return _refuse_edit(request, kind, filing)
            return _detail(request, kind, filing)
    form = spec["form"](request.POST or None, instance=filing)
    if filing is not None:
        for name in ("year", "quarter"):
            if name in form.fields:
                form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in spec["fields"]}
        try:
            if filing is not None:
                filing = filing_update(filing=filing, by=request.user, **figures)
            elif kind == "annual":
                filing = annual_return_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    by=request.user,
                    **figures,
                )
            else:
                filing = quarterly_report_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                    **figures,
                )
            if "submit" in request.POST:
                filing = filing_submit(filing=filing, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            title = filing_title(filing)
            for warning in getattr(filing, "warnings", []):
                messages.warning(request, warning)
            if filing.status == FilingStatus.SUBMITTED:
                messages.success(
                    request,
                    _("Submitted %(filing)s; the bureau will review it.")
                    % {"filing": title},
                )
            else:
                messages.success(
                    request, _("Saved %(filing)s as a draft.") % {"filing": title}
                )
            return redirect(_next_url(request, kind))
    return render(
        request,
        "enterprises/filing_form.html",
        {
            "kind": kind,
            "title": spec["title"],
            "form": form,
            "filing": filing,
            "state": state_label(filing.status) if filing else "",
            "enterprise": enterprise,
            "next": _next_url(request, kind, default=""),
        },
    )


def _refuse_edit(request: AuthedRequest, kind: str, filing: AnyFiling) -> HttpResponse:
    """A filer posting figures to a filing its state closes: say why (409)."""
    messages.error(
        request,
        _("%(filing)s is %(state)s and can no longer be changed.")
        % {"filing": filing_title(filing), "state": state_label(filing.status)},
    )
    response = _detail(request, kind, filing)
    response.status_code = 409
    return response


@require_POST
def filing_review_view(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """通过 (after a confirmation) or 退回 (with a reason) one filing."""
    spec = FILING_KINDS[kind]
    filing = get_filing_for_user(request.user, spec["model"], pk)
    if not can_review_filings(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, kind, filing, review_form=form)
    accept = form.cleaned_data["accept"]
    title = filing_title(filing)
    if accept and needs_confirmation(request):
        amount = (
            filing.revenue_ytd
            if isinstance(filing, QuarterlyReport)
            else filing.sales_revenue
        )
        return confirmation_page(
            request,
            title=_("Approve %(kind)s") % {"kind": spec["one"]},
            subject=title,
            details=[
                (_("Period"), filing_period(filing)),
                (_("Street or park"), filing.enterprise.org_unit.name),
                (
                    _("Revenue, year to date")
                    if isinstance(filing, QuarterlyReport)
                    else _("Sales revenue"),
                    wan_with_unit(amount),
                ),
            ],
            cancel_url=reverse("filing-edit", args=[kind, filing.pk])
            + "?"
            + urlencode({"next": _next_url(request, kind)}),
            danger=False,
        )
    try:
        filing_review(
            filing=filing,
            by=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail(request, kind, filing, review_form=form)
    except ApplicationError as exc:
        report_error(request, exc)
    else:
        if accept:
            messages.success(request, _("Approved %(filing)s.") % {"filing": title})
        else:
            messages.success(
                request,
                _("Returned %(filing)s for correction: %(reason)s")
                % {"filing": title, "reason": form.cleaned_data["reason"].strip()},
            )
    query = "?state=" + FilingStatus.SUBMITTED
    return redirect(_next_url(request, kind, default=_list_url(kind) + query))
