"""Pages of policy rewards (奖补兑现).

Mount `reward_page_patterns` at the site root. Money is typed and shown in
万元; whatever cannot be undone (approve a batch, mark a reward paid) asks
once more through bureau.lib.confirm; list actions come back to the list as
it was (filters and page, `next`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import report_error, reported
from bureau.lib.money import wan_with_unit
from bureau.lib.types import AuthedRequest
from projects.exports_rewards import (
    entitlement_list_workbook,
    reward_batch_workbook,
)
from projects.forms import form_error_summary
from projects.forms_rewards import (
    BuildForm,
    EntitlementFilterForm,
    ExcludeForm,
    RewardRuleForm,
    rank_band_formset,
)
from projects.models import Entitlement, RewardBatch, RewardRule
from projects.permissions import (
    can_approve_reward_batch,
    can_export_reward_batch,
    can_manage_reward_rules,
    can_manage_rewards,
    can_read_rewards,
    can_view_rewards,
    get_entitlement_for_user,
    get_reward_batch_for_user,
    get_reward_rule_for_user,
)
from projects.selectors.rewards import (
    entitlement_list,
    entitlement_list_total,
    reward_batch_enterprise_count,
    reward_batch_export_rows,
    reward_batch_list,
    reward_batch_totals,
    reward_rule_list,
    reward_years,
)
from projects.services.rewards import (
    entitlement_exclude,
    entitlement_restore,
    entitlements_pay,
    reward_batch_approve,
    reward_batch_build,
    reward_rule_create,
    reward_rule_update,
)
from projects.views.bulk import PER_PAGE, _export_query, _ids, _names, _next, _xlsx

# --- Rewards ----------------------------------------------------------------


def _index(request: AuthedRequest, build_form: BuildForm, status: int = 200) -> Any:
    return render(
        request,
        "projects/rewards/index.html",
        {
            "batches": reward_batch_list(user=request.user),
            "can_manage": can_manage_rewards(request.user),
            "build_form": build_form,
        },
        status=status,
    )


def reward_index_view(request: AuthedRequest) -> HttpResponse:
    """The bureau's batches by year; an enterprise's own approved rewards."""
    if not can_view_rewards(request.user):
        raise PermissionDenied
    if can_read_rewards(request.user):
        last_year = timezone.localdate().year - 1
        return _index(request, BuildForm(initial={"year": last_year}))
    return render(
        request,
        "projects/rewards/mine.html",
        {"entitlements": entitlement_list(user=request.user)},
    )


def _entitlement_page(
    request: AuthedRequest, *, batch: Any = None
) -> tuple[dict[str, Any], Any]:
    """The review list's context (filters, page, totals) and its queryset,
    for the batch page (`batch`) or across years."""
    years = [batch.year] if batch is not None else reward_years(user=request.user)
    form = EntitlementFilterForm(request.GET or None, years=years)
    filters = form.filters()
    rows = entitlement_list(user=request.user, batch=batch, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page": page,
        "list_total": entitlement_list_total(rows),
        "can_manage": can_manage_rewards(request.user),
        "can_pay": can_manage_rewards(request.user),
        "can_export": can_export_reward_batch(request.user),
        "next": request.get_full_path(),
        "export_query": _export_query(request),
    }
    return context, rows


def reward_batch_view(request: AuthedRequest, year: int) -> HttpResponse:
    """The batch, its totals and its entitlements as a review list; an
    enterprise sees its own rows of an approved batch (as the API gives
    them)."""
    batch = get_reward_batch_for_user(request.user, year)
    is_draft = batch.status == batch.Status.DRAFT
    context, _rows = _entitlement_page(request, batch=batch)
    context.update(
        {
            "batch": batch,
            "totals": reward_batch_totals(batch=batch, user=request.user),
            "can_edit": is_draft and can_manage_rewards(request.user),
            "can_pay": not is_draft and can_manage_rewards(request.user),
            "can_approve": is_draft
            and batch.built_at is not None
            and can_approve_reward_batch(request.user),
            "build_form": BuildForm(initial={"year": batch.year}),
        }
    )
    return render(request, "projects/rewards/batch.html", context)


def entitlement_list_view(request: AuthedRequest) -> HttpResponse:
    """Every entitlement of every batch, to search, filter, sort, pay in bulk
    and export as filtered (`?export=xlsx`). An enterprise's list is its own
    rewards page."""
    if not can_view_rewards(request.user):
        raise PermissionDenied
    if not can_read_rewards(request.user):
        return redirect("reward-index")
    context, rows = _entitlement_page(request)
    if request.GET.get("export") == "xlsx":
        if not can_export_reward_batch(request.user):
            raise PermissionDenied
        return _xlsx(entitlement_list_workbook(rows), "奖补兑现审核清单.xlsx")
    return render(request, "projects/rewards/entitlements.html", context)


@require_POST
def reward_batch_build_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_rewards(request.user):
        raise PermissionDenied
    form = BuildForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    year = form.cleaned_data["year"]
    try:
        batch = reward_batch_build(year=year, by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _index(request, form, status=400)
    except ApplicationError as exc:
        report_error(request, exc)
        return redirect("reward-batch", year=year)
    totals = reward_batch_totals(batch=batch)
    messages.success(
        request,
        _(
            "Built the %(year)s reward batch: %(n)d entitlements to pay, "
            "%(amount)s in all."
        )
        % {"year": year, "n": totals.count, "amount": wan_with_unit(totals.amount)},
    )
    return redirect("reward-batch", year=year)


@require_POST
def reward_batch_approve_view(request: AuthedRequest, year: int) -> HttpResponse:
    batch = get_reward_batch_for_user(request.user, year)
    if not can_approve_reward_batch(request.user):
        raise PermissionDenied
    back = reverse("reward-batch", args=[year])
    totals = reward_batch_totals(batch=batch)
    enterprises = reward_batch_enterprise_count(batch=batch)
    if needs_confirmation(request):
        warnings = []
        if totals.excluded_count:
            warnings.append(
                _(
                    "%(n)d excluded entitlements (%(amount)s) are left out "
                    "and will not be paid."
                )
                % {
                    "n": totals.excluded_count,
                    "amount": wan_with_unit(totals.excluded_amount),
                }
            )
        return confirmation_page(
            request,
            title=_("Approve the reward batch"),
            subject=_("%(year)s policy rewards") % {"year": year},
            amount_yuan=totals.amount,
            details=[
                (_("Enterprises"), enterprises),
                (_("Entitlements to pay"), totals.count),
                *(
                    (r.name, f"{r.count} · {wan_with_unit(r.amount)}")
                    for r in totals.by_rule
                ),
            ],
            warnings=warnings,
            cancel_url=back,
        )
    with reported(
        request,
        _(
            "Approved the %(year)s reward batch: %(enterprises)d enterprises, "
            "%(n)d entitlements, %(amount)s."
        )
        % {
            "year": year,
            "enterprises": enterprises,
            "n": totals.count,
            "amount": wan_with_unit(totals.amount),
        },
    ):
        reward_batch_approve(batch=batch, by=request.user)
    return redirect(back)


def reward_batch_export_view(request: AuthedRequest, year: int) -> HttpResponse:
    batch = get_reward_batch_for_user(request.user, year)
    if not can_export_reward_batch(request.user):
        raise PermissionDenied
    content = reward_batch_workbook(
        batch=batch, entitlements=reward_batch_export_rows(batch=batch)
    )
    return _xlsx(content, f"奖补兑现清单-{batch.year}.xlsx")


def entitlement_exclude_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A page that restates the entitlement and asks why it is excluded."""
    entitlement = get_entitlement_for_user(request.user, pk, write=True)
    back = _next(request, reverse("reward-batch", args=[entitlement.batch.year]))
    if entitlement.batch.status != RewardBatch.Status.DRAFT:
        messages.error(
            request,
            _("The %(year)s reward batch is approved and can no longer change.")
            % {"year": entitlement.batch.year},
        )
        return redirect(back)
    form = ExcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entitlement_exclude(
                entitlement=entitlement,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except ApplicationError as exc:
            report_error(request, exc)
            return redirect(back)
        else:
            messages.success(
                request,
                _(
                    "Excluded %(enterprise)s's %(rule)s (%(amount)s) from the "
                    "%(year)s batch."
                )
                % _entitlement_words(entitlement),
            )
            return redirect(back)
    return render(
        request,
        "projects/rewards/exclude.html",
        {"entitlement": entitlement, "form": form, "next": back},
        status=400 if form.errors else 200,
    )


def _entitlement_words(e: Entitlement) -> dict[str, Any]:
    return {
        "enterprise": e.enterprise.name,
        "rule": e.rule.name,
        "amount": wan_with_unit(e.amount),
        "year": e.batch.year,
    }


@require_POST
def entitlement_restore_view(request: AuthedRequest, pk: int) -> HttpResponse:
    entitlement = get_entitlement_for_user(request.user, pk, write=True)
    with reported(
        request,
        _(
            "Included %(enterprise)s's %(rule)s (%(amount)s) in the %(year)s batch again."
        )
        % _entitlement_words(entitlement),
    ):
        entitlement_restore(entitlement=entitlement, by=request.user)
    return redirect(
        _next(request, reverse("reward-batch", args=[entitlement.batch.year]))
    )


@require_POST
def entitlement_pay_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one entitlement paid (已发放), after a confirmation."""
    entitlement = get_entitlement_for_user(request.user, pk, write=True)
    back = _next(request, reverse("reward-batch", args=[entitlement.batch.year]))
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Mark the reward paid"),
            subject=f"{entitlement.enterprise.name} · {entitlement.rule.name}",
            amount_yuan=entitlement.amount,
            details=[
                (_("year"), entitlement.batch.year),
                (_("unified social credit code"), entitlement.enterprise.credit_code),
                (_("reason"), entitlement.reason),
            ],
            cancel_url=back,
        )
    with reported(
        request,
        _("Paid %(enterprise)s the %(rule)s of %(year)s: %(amount)s.")
        % _entitlement_words(entitlement),
    ):
        entitlements_pay(ids=[entitlement.pk], by=request.user)
    return redirect(back)


@require_POST
def entitlements_pay_view(request: AuthedRequest) -> HttpResponse:
    """Mark the chosen entitlements paid, after one confirmation listing
    them and their total."""
    if not can_manage_rewards(request.user):
        raise PermissionDenied
    back = _next(request, reverse("entitlement-list"))
    chosen = list(
        entitlement_list(user=request.user)
        .filter(pk__in=_ids(request))
        .order_by("enterprise__name", "id")
    )
    if not chosen:
        messages.error(request, _("Choose at least one entitlement to pay."))
        return redirect(back)
    total = sum((e.amount for e in chosen), Decimal(0))
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Mark the chosen rewards paid"),
            subject=_("%(n)d entitlements") % {"n": len(chosen)},
            amount_yuan=total,
            items=[
                f"{e.enterprise.name} · {e.batch.year}年{e.rule.name} · "
                f"{wan_with_unit(e.amount)}"
                for e in chosen
            ],
            cancel_url=back,
        )
    with reported(
        request,
        _("Paid %(n)d rewards, %(amount)s in all: %(names)s.")
        % {
            "n": len(chosen),
            "amount": wan_with_unit(total),
            "names": _names([e.enterprise.name for e in chosen]),
        },
    ):
        entitlements_pay(ids=[e.pk for e in chosen], by=request.user)
    return redirect(back)


# --- Reward rules -------------------------------------------------------------


def reward_rule_list_view(request: AuthedRequest) -> HttpResponse:
    """The district's reward rules and what each pays."""
    if not can_read_rewards(request.user):
        raise PermissionDenied
    return render(
        request,
        "projects/rewards/rules.html",
        {
            "rows": reward_rule_list(user=request.user),
            "can_manage_rules": can_manage_reward_rules(request.user),
        },
    )


def _rule_form_page(request: AuthedRequest, *, rule: RewardRule | None) -> HttpResponse:
    """Create (`rule` None) or edit a rule: the form and its rank bands; a
    refusal keeps what was typed and says why beside the field."""
    if request.method == "POST":
        form = RewardRuleForm(request.POST)
        bands = rank_band_formset(data=request.POST)
    else:
        initial = RewardRuleForm.initial_for(rule) if rule else None
        form = RewardRuleForm(initial=initial)
        bands = rank_band_formset(initial=list(rule.tiers) if rule else None)
    if request.method == "POST" and form.is_valid():
        is_ranking = form.cleaned_data["kind"] == RewardRule.Kind.RANKING
        if not is_ranking or bands.is_valid():
            values = form.values(bands.rows() if is_ranking else [])
            try:
                if rule is None:
                    saved = reward_rule_create(by=request.user, **values)
                else:
                    saved = reward_rule_update(rule=rule, by=request.user, **values)
            except ValidationError as exc:
                _rule_errors(form, bands, exc, values["kind"])
            else:
                messages.success(
                    request,
                    _(
                        "Saved the reward rule “%(name)s”. The next build of a "
                        "draft batch follows it."
                    )
                    % {"name": saved.name},
                )
                return redirect("reward-rule-list")
    return render(
        request,
        "projects/rewards/rule_form.html",
        {
            "form": form,
            "bands": bands,
            "rule": rule,
            "error_summary": form_error_summary(form, bands),
        },
        status=400 if request.method == "POST" else 200,
    )


def _rule_errors(
    form: RewardRuleForm, bands: Any, exc: ValidationError, kind: str
) -> None:
    """Put the service's errors beside the fields they concern."""
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        target = form.field_for(name, kind) if name != "__all__" else None
        for error in errors:
            if name == "tiers":
                bands.add_table_error(error)
            else:
                form.add_error(target, error)


def reward_rule_create_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_rewards(request.user) or not can_manage_reward_rules(request.user):
        raise PermissionDenied
    return _rule_form_page(request, rule=None)


def reward_rule_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_reward_rule_for_user(request.user, pk, write=True)
    return _rule_form_page(request, rule=rule)


reward_page_patterns = [
    # /rewards/
    path("rewards/", reward_index_view, name="reward-index"),
    path("rewards/rules/", reward_rule_list_view, name="reward-rule-list"),
    path("rewards/rules/new/", reward_rule_create_view, name="reward-rule-create"),
    path(
        "rewards/rules/<int:pk>/edit/", reward_rule_edit_view, name="reward-rule-edit"
    ),
    path("rewards/build/", reward_batch_build_view, name="reward-batch-build"),
    path("rewards/entitlements/", entitlement_list_view, name="entitlement-list"),
    path("rewards/entitlements/pay/", entitlements_pay_view, name="entitlements-pay"),
    path("rewards/<int:year>/", reward_batch_view, name="reward-batch"),
    path(
        "rewards/<int:year>/approve/",
        reward_batch_approve_view,
        name="reward-batch-approve",
    ),
    path(
        "rewards/<int:year>/export/",
        reward_batch_export_view,
        name="reward-batch-export",
    ),
    path(
        "rewards/entitlements/<int:pk>/exclude/",
        entitlement_exclude_view,
        name="entitlement-exclude",
    ),
    path(
        "rewards/entitlements/<int:pk>/restore/",
        entitlement_restore_view,
        name="entitlement-restore",
    ),
    path(
        "rewards/entitlements/<int:pk>/pay/",
        entitlement_pay_view,
        name="entitlement-pay",
    ),
]
