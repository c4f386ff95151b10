"""The work-summary download: a Word draft of the bureau's summary, written
by a background job (queue "exports") while the page shows its progress."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bureau.lib.types import AuthedRequest
from bureau.models import User
from bureau.services.jobs import DOCX_TYPE, ExportPlan
from bureau.views.jobs import export_response
from indicators.exports.summary import work_summary_docx
from indicators.permissions import can_download_summary, require
from indicators.selectors.summary import work_summary_facts
from indicators.views.figures import years_and_year


@require_safe
def work_summary_view(request: AuthedRequest) -> HttpResponse:
    require(can_download_summary(request.user))
    _years, year = years_and_year(request)
    half = request.GET.get("half", "")
    if half not in ("", "1"):
        raise BadRequest(_("Only the first half-year (half=1) can be chosen."))
    title = (
        _("Work summary of the first half of %(year)s (Word)")
        if half
        else _("Work summary of %(year)s (Word)")
    ) % {"year": year}
    return export_response(
        request,
        "indicators.work_summary",
        params={"year": [str(year)], "half": [half]},
        title=title,
        background=True,
    )


def work_summary_export(user: User, query: QueryDict) -> ExportPlan:
    """The Word draft for the year (and half) the page chose."""
    require(can_download_summary(user))
    year, half = int(str(query.get("year"))), query.get("half", "")
    return ExportPlan(
        filename=f"工作总结-{year}{'-上半年' if half else ''}.docx",
        rows=0,
        write=lambda: work_summary_docx(
            work_summary_facts(year=year, half=1 if half else None)
        ),
        content_type=DOCX_TYPE,
    )
