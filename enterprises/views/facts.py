"""Facts recorded for the pre-check: the history of an enterprise's checks
and the staff form that records one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bureau.lib.types import AuthedRequest
from enterprises.forms import EnterpriseFactForm, add_service_errors
from enterprises.permissions import (
    can_record_facts,
    get_enterprise_for_facts,
    get_enterprise_for_user,
)
from enterprises.services import enterprise_fact_record


@require_http_methods(["GET", "POST"])
def enterprise_facts_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: every recorded check, newest first. POST (staff): record one."""
    if request.method == "POST":
        enterprise = get_enterprise_for_facts(request.user, pk)
    else:
        enterprise = get_enterprise_for_user(request.user, pk)
    form = EnterpriseFactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fact = enterprise_fact_record(
                enterprise=enterprise, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded for %(name)s: %(subject)s, %(verdict)s (%(evidence)s).")
                % {
                    "name": enterprise.name,
                    "subject": fact.get_subject_display(),
                    "verdict": fact.get_met_display(),
                    "evidence": fact.evidence,
                },
            )
            return redirect("enterprise-detail", pk=pk)
    facts = enterprise.facts.select_related("recorded_by")
    return render(
        request,
        "enterprises/facts.html",
        {
            "enterprise": enterprise,
            "page": Paginator(facts, 50).get_page(request.GET.get("page")),
            "form": form,
            "can_record": can_record_facts(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
