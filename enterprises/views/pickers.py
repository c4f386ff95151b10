"""The search behind the enterprise picker of page forms
(bureau.lib.widgets.SearchPicker, static/js/autocomplete.js)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from bureau.lib.types import AuthedRequest
from enterprises.selectors.pickers import enterprise_search


@require_safe
def enterprise_search_view(request: AuthedRequest) -> JsonResponse:
    """JSON {"results": [{"id", "name", "credit_code"}]}: the enterprises
    the caller may see that match `q`; none for a role that sees none."""
    q = request.GET.get("q", "")[:100]
    return JsonResponse({"results": enterprise_search(user=request.user, q=q)})
