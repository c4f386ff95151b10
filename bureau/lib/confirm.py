"""The second step before whatever cannot be undone (政务 convention).

A button that approves, pays, closes, withholds, revokes or rolls back posts
to its view as usual. The view asks `needs_confirmation(request)`; the first
time it is true, the view answers `confirmation_page(...)`, which restates the
object and the amount — in figures (万元 and 元) and in 大写 — and posts the
same fields again with `confirmed=1`. Only that second post does the work.

    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Approve funding"),
            subject=app.title,
            amount_yuan=form.cleaned_data["approved_amount"],
            cancel_url=reverse("application-detail", args=[app.pk]),
        )
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bureau.lib.money import amount_in_words, number, wan_with_unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIRM_FIELD = "confirmed"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def needs_confirmation(request: HttpRequest) -> bool:
    """True until the user has seen the confirmation page and pressed 确认."""
    return request.POST.get(CONFIRM_FIELD) != "1"


def confirmation_page(
    request: HttpRequest,
    *,
    title: StrOrPromise,
    subject: StrOrPromise,
    cancel_url: str,
    amount_yuan: Decimal | int | str | None = None,
    details: Iterable[tuple[StrOrPromise, Any]] = (),
    items: Sequence[StrOrPromise] = (),
    warnings: Sequence[StrOrPromise] = (),
    button: StrOrPromise | None = None,
    danger: bool = True,
) -> HttpResponse:
    """The page that asks once more. `details` are (label, value) rows shown
    under the subject; `items` lists the objects of a bulk action; `warnings`
    are shown above the button (e.g. applications with a missing review)."""
    amount = None
    if amount_yuan is not None and amount_yuan != "":
        amount = {
            "wan": wan_with_unit(amount_yuan, places=6),
            "yuan": number(amount_yuan),
            "words": amount_in_words(amount_yuan),
        }
    reposted = [
        (key, value)
        for key in request.POST
        if key not in _NOT_REPOSTED
        for value in request.POST.getlist(key)
    ]
    return render(
        request,
        "_confirm.html",
        {
            "title": title,
            "subject": subject,
            "amount": amount,
            "details": list(details),
            "items": list(items),
            "warnings": list(warnings),
            "button": button or title,
            "danger": danger,
            "cancel_url": cancel_url,
            "action_url": request.get_full_path(),
            "reposted": reposted,
            "confirm_field": CONFIRM_FIELD,
        },
    )
