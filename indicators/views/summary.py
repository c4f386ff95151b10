"""The work-summary download: a Word draft of the bureau's summary."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bureau.lib.types import AuthedRequest
from indicators.exports.summary import work_summary_docx
from indicators.permissions import can_download_summary, require
from indicators.selectors.summary import work_summary_facts
from indicators.views.figures import years_and_year

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def work_summary_view(request: AuthedRequest) -> HttpResponse:
    require(can_download_summary(request.user))
    _years, year = years_and_year(request)
    half = request.GET.get("half", "")
    if half not in ("", "1"):
        raise BadRequest(_("Only the first half-year (half=1) can be chosen."))
    facts = work_summary_facts(year=year, half=1 if half else None)
    name = f"工作总结-{year}{'-上半年' if half else ''}.docx"
    response = HttpResponse(work_summary_docx(facts), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
