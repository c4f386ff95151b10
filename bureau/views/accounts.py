"""The administrators' accounts pages (/accounts/users/), outside /admin/:
the list, creating an account, disabling and re-enabling it, a temporary
password, and the role-change requests awaiting the security administrator
(三员分立; every rule in bureau/permissions.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bureau.forms import AccountCreateForm, AccountFilterForm
from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.models import RoleChangeRequest, User
from bureau.permissions import (
    can_create_accounts,
    can_decide_role_changes,
    can_manage_account,
    can_reset_mfa,
    can_unlock_accounts,
    can_view_accounts,
    get_for_user,
)
from bureau.selectors import role_change_pending_list, user_account_list
from bureau.services import (
    role_change_decide,
    user_active_set,
    user_create,
    user_password_temporary_set,
)

PAGE_SIZE = 50


def _who(user: User) -> str:
    return f"{user.display_name}（{user.username}）"


def account_list(request: AuthedRequest) -> HttpResponse:
    if not can_view_accounts(request.user):
        raise PermissionDenied
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(user_account_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for row in page:
        row.may_manage = can_manage_account(request.user, row)  # type: ignore[attr-defined]
    pending = (
        list(role_change_pending_list())
        if can_decide_role_changes(request.user)
        else []
    )
    return render(
        request,
        "bureau/accounts.html",
        {
            "form": form,
            "page": page,
            "pending": pending,
            "may_create": can_create_accounts(request.user),
            "may_unlock": can_unlock_accounts(request.user),
            "may_reset_mfa": can_reset_mfa(request.user),
        },
    )


def account_create(request: AuthedRequest) -> HttpResponse:
    if not can_create_accounts(request.user):
        raise PermissionDenied
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from bureau.passwords import one_time_password

        data = form.cleaned_data
        password = one_time_password()
        try:
            user = user_create(
                username=data["username"],
                role=data["role"],
                by=request.user,
                password=password,
                temporary=True,
                org_unit=data["org_unit"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _password_shown(request, user, password, created=True)
    return render(request, "bureau/account_form.html", {"form": form})


@never_cache
def _password_shown(
    request: AuthedRequest, user: User, password: str, *, created: bool
) -> HttpResponse:
    """The one page that shows a temporary password: never cached, never
    stored; the administrator hands it over and the user changes it."""
    return render(
        request,
        "bureau/account_password.html",
        {
            "account": user,
            "password": password,
            "created": created,
            "waits": created and not user.is_active,
        },
    )


@require_POST
def account_active_set(request: AuthedRequest, pk: int, active: bool) -> HttpResponse:
    target = get_for_user(
        User.objects.all(),
        pk=pk,
        allowed=lambda user: can_manage_account(request.user, user),
    )
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Enable account") if active else _("Disable account"),
            subject=_who(target),
            cancel_url=reverse("account-list"),
            warnings=[
                _(
                    "A bureau role is enabled again only after a security "
                    "administrator approves it."
                )
                if active
                else _("The user can no longer log in until the account is enabled.")
            ],
            danger=not active,
        )
    with reported(request):
        if user_active_set(user=target, by=request.user, active=active):
            from django.contrib import messages

            messages.success(
                request,
                (
                    _("The account %(who)s is enabled; they can log in again.")
                    if active
                    else _(
                        "The account %(who)s is disabled; they can no longer log in."
                    )
                )
                % {"who": _who(target)},
            )
        else:
            from django.contrib import messages

            messages.success(
                request,
                _("Enabling %(who)s awaits a security administrator's approval.")
                % {"who": _who(target)},
            )
    return redirect("account-list")


@require_POST
def account_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(
        User.objects.all(),
        pk=pk,
        allowed=lambda user: can_manage_account(request.user, user),
    )
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Reset password"),
            subject=_who(target),
            cancel_url=reverse("account-list"),
            warnings=[
                _(
                    "The current password stops working. A temporary password is "
                    "shown once; the user must change it at the next login."
                )
            ],
        )
    password = user_password_temporary_set(user=target, by=request.user)
    return _password_shown(request, target, password, created=False)


@require_POST
def role_change_decision(request: AuthedRequest, pk: int) -> HttpResponse:
    change = get_for_user(
        RoleChangeRequest.objects.select_related("user"),
        pk=pk,
        allowed=can_decide_role_changes(request.user),
    )
    approve = request.POST.get("decision") == "approve"
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Approve role change") if approve else _("Reject role change"),
            subject=_who(change.user),
            details=[
                (_("previous role"), change.get_previous_role_display() or "—"),
                (_("requested role"), change.get_role_display()),
            ],
            cancel_url=reverse("account-list"),
            danger=not approve,
        )
    with reported(
        request,
        (
            _("The role change of %(who)s to %(role)s is approved.")
            if approve
            else _("The role change of %(who)s to %(role)s is rejected.")
        )
        % {"who": _who(change.user), "role": change.get_role_display()},
    ):
        role_change_decide(request=change, by=request.user, approve=approve)
    return redirect("account-list")
