"""Pages of 科技特派员: the list and one commissioner's record."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from bureau.lib.types import AuthedRequest
from talent.permissions import get_commissioner_for_user, require_talent_reader
from talent.selectors import commissioner_list


def commissioner_list_view(request: AuthedRequest) -> HttpResponse:
    require_talent_reader(request.user)
    return render(
        request, "talent/commissioners.html", {"commissioners": commissioner_list()}
    )


def commissioner_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commissioner = get_commissioner_for_user(request.user, pk)
    return render(
        request,
        "talent/commissioner.html",
        {
            "c": commissioner,
            "logs": commissioner.service_logs.all()[:50],
            "assessments": commissioner.assessments.order_by("-year"),
        },
    )
