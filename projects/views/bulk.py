"""What the reward and voucher review lists share: the page size, the ticked ids, the `next` a list action returns to, Excel answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bureau.lib.xlsx import xlsx_response_headers

PER_PAGE = 50
# A message names at most this many objects of a bulk action, then "等N项".
NAMED_IN_MESSAGE = 5


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back after an action: the `next` the form carried (the
    list with its filters and page) if it is a path on this site, else
    `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:500]


def _names(names: list[str]) -> str:
    """ "甲、乙、丙" or "甲、乙、丙、丁、戊等7家"."""
    if len(names) <= NAMED_IN_MESSAGE:
        return "、".join(names)
    return _("%(names)s and %(n)d more") % {
        "names": "、".join(names[:NAMED_IN_MESSAGE]),
        "n": len(names) - NAMED_IN_MESSAGE,
    }


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(content, headers=xlsx_response_headers(filename))


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return query.urlencode()
