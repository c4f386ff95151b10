"""One indicator's page: the district, its peers and streets, and for a
street the enterprises whose figures explain it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from bureau.lib.money import DASH, percent, wan
from bureau.lib.types import AuthedRequest
from indicators.models import Indicator
from indicators.permissions import can_view_dashboard, require
from indicators.selectors import dashboard
from indicators.selectors.drilldown import (
    ENTERPRISE_BASIS,
    certificates_on,
    street_certificates,
    street_loans,
    street_returns,
)
from indicators.views.figures import (
    as_of,
    chart,
    chart_labels,
    figure_view,
    in_yi,
    years_and_year,
)

PAGE_SIZE = 50


@require_safe
def indicator_view(request: AuthedRequest, code: str) -> HttpResponse:
    require(can_view_dashboard(request.user))
    years, year = years_and_year(request)
    board = dashboard(year=year, user=request.user, codes=[code])
    home = board.home
    if home is None or not board.boards:
        raise Http404
    ib = board.boards[0]
    street = None
    street_code = request.GET.get("street", "")
    if street_code:
        # Streets outside the caller's scope are not in the board: 404.
        street = next((f for f in ib.streets if f.code == street_code), None)
        if street is None:
            raise Http404
    context: dict[str, Any] = {
        "board": board,
        "ib": ib,
        "year": year,
        "years": years,
        "district": figure_view(ib.district, ib),
        "peers": sorted(
            [
                {
                    **figure_view(p, ib, yi=in_yi(ib.peers)),
                    "is_home": p.code == home.code,
                }
                for p in ib.peers
            ],
            key=lambda p: (p["rank"] is None, p["rank"] or 0),
        ),
        "streets": [
            figure_view(f, ib, yi=in_yi(ib.streets))
            for f in sorted(ib.streets, key=lambda f: (f.rank is None, f.rank or 0))
        ],
        "peer_count": sum(1 for p in ib.peers if p.value is not None),
        "as_of": as_of(board),
        "charts": {"boards": [chart(ib)], "labels": chart_labels()},
        "street": street,
    }
    if street is not None:
        context["street_view"] = figure_view(street, ib)
        context.update(
            _enterprise_table(ib.indicator, street.code, year, request.GET.get("page"))
        )
    return render(request, "indicators/indicator.html", context)


def _share(top: Decimal | None, bottom: Decimal | None) -> str:
    if top is None or not bottom:
        return DASH
    return percent(Decimal(top) / Decimal(bottom), 2)


RETURN_HEADERS = {
    "rd": [
        gettext_lazy("R&D spending (10k yuan)"),
        gettext_lazy("Main business revenue (10k yuan)"),
        gettext_lazy("R&D share of revenue"),
    ],
    "hitech": [
        gettext_lazy("High-tech product and service income (10k yuan)"),
        gettext_lazy("Total income (10k yuan)"),
        gettext_lazy("High-tech income share"),
    ],
    "patents": [
        gettext_lazy("Invention patents held"),
        gettext_lazy("Utility model patents held"),
    ],
}


def _enterprise_table(
    indicator: Indicator, street_code: str, year: int, page_number: str | None
) -> dict[str, Any]:
    """The street's enterprises with the figures behind `indicator`.
    Nothing is shown when no enterprise data explains it."""
    basis = ENTERPRISE_BASIS.get(indicator.code)
    if basis is None:
        return {"enterprise_basis": None}
    if basis in RETURN_HEADERS:
        page = Paginator(street_returns(basis, street_code, year), PAGE_SIZE).get_page(
            page_number
        )
        rows = []
        for e in page.object_list:
            if basis == "patents":
                cells = [
                    DASH if e.first is None else str(e.first),
                    DASH if e.second is None else str(e.second),
                ]
            else:
                cells = [wan(e.first), wan(e.second), _share(e.first, e.second)]
            rows.append(
                {"enterprise": e, "period": e.return_year or DASH, "cells": cells}
            )
        return {
            "enterprise_basis": basis,
            "enterprise_note": _(
                "Latest accepted annual return up to %(year)s; enterprises "
                "without one are listed last."
            )
            % {"year": year},
            "period_header": _("Return year"),
            "headers": [str(header) for header in RETURN_HEADERS[basis]],
            "rows": rows,
            "page": page,
        }
    if basis in ("hnte", "tech_sme"):
        if basis == "hnte":
            note = _("National high-tech enterprises certified in %(year)s.")
        else:
            note = _("Tech-based SMEs registered and in force on %(date)s.")
        page = Paginator(
            street_certificates(basis, street_code, year), PAGE_SIZE
        ).get_page(page_number)
        return {
            "enterprise_basis": basis,
            "enterprise_note": note
            % {"year": year, "date": certificates_on(year).isoformat()},
            "period_header": _("issue date"),
            "headers": [_("certificate or registration number"), _("expiry date")],
            "rows": [
                {
                    "enterprise": c.enterprise,
                    "period": c.issued_on.isoformat(),
                    "cells": [
                        c.number or DASH,
                        c.expires_on.isoformat() if c.expires_on else DASH,
                    ],
                }
                for c in page.object_list
            ],
            "page": page,
        }
    page = Paginator(street_loans(street_code, year), PAGE_SIZE).get_page(page_number)
    return {
        "enterprise_basis": basis,
        "enterprise_note": _("Tech loans granted in %(year)s.") % {"year": year},
        "period_header": _("granted on"),
        "headers": [_("bank"), _("Loan type"), _("Amount (10k yuan)")],
        "rows": [
            {
                "enterprise": loan.enterprise,
                "period": loan.granted_on.isoformat(),
                "cells": [loan.bank, loan.get_kind_display(), wan(loan.amount)],
            }
            for loan in page.object_list
        ],
        "page": page,
    }
