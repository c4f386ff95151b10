"""Enterprise self-registration (/register/, anonymous) and the bureau's
list of requests to approve or refuse (/accounts/registrations/).

The forms live here, beside their only views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.feedback import reported
from bureau.lib.request_context import current_ip
from bureau.lib.types import AuthedRequest
from bureau.models import OrgUnit
from enterprises.models import Enterprise, Registration
from enterprises.permissions import (
    can_approve_registration,
    can_list_registrations,
    can_refuse_registration,
    get_registration_for_user,
    registration_account_holders,
)
from enterprises.selectors import (
    RegistrationFilters,
    registration_list,
    registration_pending_count,
)
from enterprises.services import (
    RegistrationRateLimited,
    registration_approve,
    registration_refuse,
    registration_submit,
)


def _streets() -> Any:
    return OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)


class RegistrationForm(forms.Form):
    credit_code = forms.CharField(
        label=gettext_lazy("Unified social credit code"),
        max_length=18,
        help_text=gettext_lazy("18 characters, as on the business licence."),
    )
    enterprise_name = forms.CharField(
        label=gettext_lazy("Enterprise name"), max_length=200
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Organisation type"),
        choices=Enterprise.Kind.choices,
        initial=Enterprise.Kind.ENTERPRISE,
        required=False,
        help_text=gettext_lazy(
            "Universities, institutes and hospitals register as themselves."
        ),
    )
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Street or park"),
        queryset=OrgUnit.objects.none(),
        empty_label=gettext_lazy("Choose…"),
        help_text=gettext_lazy("Where the enterprise is registered."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=50)
    contact_mobile = forms.CharField(
        label=gettext_lazy("Contact mobile"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail"),
        required=False,
        help_text=gettext_lazy(
            "Optional: to tell you the result and reset a password."
        ),
    )
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        help_text=gettext_lazy("Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _streets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data


@login_not_required
def register_view(request: HttpRequest) -> HttpResponse:
    """The anonymous registration form. The answer after submitting is the
    same whether or not the credit code or the username is known."""
    if request.GET.get("sent") == "1":
        return render(request, "bureau/register.html", {"sent": True})
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration_submit(
                credit_code=data["credit_code"],
                enterprise_name=data["enterprise_name"],
                kind=data["kind"] or Enterprise.Kind.ENTERPRISE,
                org_unit=data["org_unit"],
                contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"],
                contact_email=data["contact_email"],
                username=data["username"],
                password=data["password1"],
                ip_address=current_ip.get(),
            )
        except RegistrationRateLimited as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = "password1" if field == "password" else field
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect(reverse("register") + "?sent=1")
    return render(request, "bureau/register.html", {"form": form, "sent": False})


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Registration.Status.choices],
    )
    org_unit = forms.ChoiceField(label=gettext_lazy("Street or park"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Enterprise, code, username or contact"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All"))] + [(u.code, u.name) for u in _streets()]

    def to_filters(self) -> RegistrationFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return RegistrationFilters(
            status=data.get("status") or "",
            org_unit=data.get("org_unit") or "",
            q=data.get("q") or "",
        )


def registration_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_list_registrations(request.user):
        raise PermissionDenied
    # Pending first: that is the work. "?status=" (empty) lists them all.
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Registration.Status.PENDING
    form = RegistrationFilterForm(params)
    page = Paginator(
        registration_list(user=request.user, filters=form.to_filters()), 50
    ).get_page(request.GET.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/registration_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "pending_count": registration_pending_count(user=request.user),
        },
    )


def registration_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(request.user, pk)
    holders = list(registration_account_holders(registration))
    return render(
        request,
        "enterprises/registration_detail.html",
        {
            "registration": registration,
            "holders": holders,
            "can_approve": registration.is_pending
            and can_approve_registration(request.user, registration),
            "can_refuse": registration.is_pending
            and can_refuse_registration(request.user, registration),
        },
    )


def _details(registration: Registration) -> list[tuple[str, str]]:
    return [
        (_("Unified social credit code"), registration.credit_code),
        (_("Username"), registration.username),
        (
            _("Contact person"),
            f"{registration.contact_name} {registration.contact_mobile}",
        ),
        (
            _("Street or park"),
            (
                registration.enterprise.org_unit.name
                if registration.enterprise
                else registration.org_unit.name
            ),
        ),
    ]


@require_POST
def registration_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(request.user, pk, action="approve")
    detail_url = reverse("registration-detail", args=[pk])
    if needs_confirmation(request):
        warnings = []
        if registration.enterprise is None:
            warnings.append(
                _(
                    "No enterprise in the registry has this credit code: approving "
                    "adds it, marked for the bureau to complete."
                )
            )
        if registration_account_holders(registration).exists():
            warnings.append(
                _(
                    "This enterprise already has an active account; this is a second one."
                )
            )
        return confirmation_page(
            request,
            title=_("Approve the account registration"),
            subject=registration.enterprise_name,
            details=_details(registration),
            warnings=warnings,
            cancel_url=detail_url,
            danger=False,
        )
    success = _(
        "Approved the registration of %(enterprise)s: account %(username)s is open; "
        "its password must be changed at the first login."
    ) % {"enterprise": registration.enterprise_name, "username": registration.username}
    with reported(request, success):
        registration_approve(registration=registration, by=request.user)
    return redirect(detail_url)


@require_POST
def registration_refuse_view(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(request.user, pk, action="refuse")
    detail_url = reverse("registration-detail", args=[pk])
    reason = request.POST.get("reason", "").strip()
    if reason and needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Refuse the account registration"),
            subject=registration.enterprise_name,
            details=[*_details(registration), (_("Reason for refusal"), reason)],
            cancel_url=detail_url,
        )
    success = _(
        "Refused the registration of %(enterprise)s; the reason is recorded for "
        "%(contact)s."
    ) % {
        "enterprise": registration.enterprise_name,
        "contact": registration.contact_email or registration.contact_mobile,
    }
    with reported(request, success):
        registration_refuse(registration=registration, by=request.user, reason=reason)
    return redirect(detail_url)
