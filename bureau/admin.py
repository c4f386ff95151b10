from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from bureau.lib.exceptions import ApplicationError
from bureau.lib.types import acting_user
from bureau.models import AuditEvent, LoginThrottle, OrgUnit, RoleChangeRequest, User
from bureau.permissions import may_set_password_of
from bureau.services import (
    account_unlock,
    org_unit_save,
    role_change_decide,
    user_save,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "enterprise", "org_unit")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class AdminPasswordSetForm(AdminPasswordChangeForm):
    """The admin's "change password" page, through the password service: a
    password an administrator sets must be changed at the next login and is
    audited (the admin's own log names the administrator)."""

    def save(self, commit: bool = True) -> Any:
        from bureau.passwords import password_set

        password = self.cleaned_data.get("password1")
        if not password:  # "disable password-based login" keeps Django's way
            return super().save(commit)
        return password_set(user=self.user, password=password, by=None)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users and roles. Groups, staff and superuser flags are not editable
    here: the role decides them (see bureau/roles.py)."""

    form = UserEditForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordSetForm
    list_display = (
        "username",
        "full_name",
        "role",
        "enterprise",
        "org_unit",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("enterprise", "org_unit")
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(
        self, request: HttpRequest, obj: User | None = None
    ) -> tuple[str, ...]:
        # One's own role and active flag are changed by another administrator
        # only (user_save refuses it too).
        own = obj is not None and obj.pk == getattr(request.user, "pk", None)
        return (*self.readonly_fields, *(("role", "is_active") if own else ()))

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Role and scope"),
            {"fields": ("role", "enterprise", "org_unit", "is_active")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "role",
                    "enterprise",
                    "org_unit",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        if not change:  # the administrator chose the first password
            obj.password_change_required = True
        user_save(user=obj, by=acting_user(request))
        pending = obj.role_change_requests.filter(
            status=RoleChangeRequest.Status.PENDING
        ).first()
        if pending is not None:
            self.message_user(
                request,
                _(
                    "The role %(role)s for %(user)s awaits the security "
                    "administrator's approval; until then the account keeps "
                    "its current role%(inactive)s."
                )
                % {
                    "role": pending.get_role_display(),
                    "user": obj,
                    "inactive": _(" and stays inactive") if not obj.is_active else "",
                },
                messages.WARNING,
            )

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        # Groups follow the role (set in user_save); nothing else is related.
        pass

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # No administrator's password is set by another person (三员分立).
        user = self.get_object(request, unquote(id))
        if user is not None and not may_set_password_of(request.user, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_home", "is_active")
    list_filter = ("level", "is_home", "is_active")
    ordering = ("code",)  # division codes sort as a tree
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def save_model(
        self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool
    ) -> None:
        org_unit_save(unit=obj, by=acting_user(request))

    def has_delete_permission(
        self, request: HttpRequest, obj: OrgUnit | None = None
    ) -> bool:
        return False  # deactivate instead: history refers to units


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "actor_username",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
    )
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "action", "object_id", "object_repr")
    date_hierarchy = "created_at"

    def has_view_permission(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> bool:
        # Only the auditor, even for superusers: separation of duties.
        return getattr(
            request.user, "role", None
        ) == "auditor" and super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdmin):
    list_display = (
        "username",
        "failures",
        "last_failure_at",
        "last_ip_address",
        "locked_until",
    )
    search_fields = ("username",)
    actions = ["unlock"]

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[LoginThrottle]) -> None:
        for throttle in queryset:
            try:
                account_unlock(username=throttle.username, by=acting_user(request))
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                self.message_user(request, _("%s is unlocked.") % throttle.username)

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("bureau.unlock_account")


@admin.register(RoleChangeRequest)
class RoleChangeRequestAdmin(ReadOnlyAdmin):
    """Privileged role changes the system administrator asked for; a security
    administrator approves or rejects them (三员分立)."""

    list_display = (
        "user",
        "previous_role",
        "role",
        "is_active",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "role")
    search_fields = ("user__username", "user__full_name")
    actions = ["approve", "reject"]

    @admin.action(
        description=_("Approve the selected role changes"), permissions=["approve"]
    )
    def approve(
        self, request: HttpRequest, queryset: QuerySet[RoleChangeRequest]
    ) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(
        description=_("Reject the selected role changes"), permissions=["approve"]
    )
    def reject(
        self, request: HttpRequest, queryset: QuerySet[RoleChangeRequest]
    ) -> None:
        self._decide(request, queryset, approve=False)

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[RoleChangeRequest],
        *,
        approve: bool,
    ) -> None:
        for change in queryset.select_related("user"):
            try:
                role_change_decide(
                    request=change, by=acting_user(request), approve=approve
                )
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                self.message_user(
                    request,
                    (
                        _("%(user)s now has the role %(role)s.")
                        if approve
                        else _("The role %(role)s for %(user)s was rejected.")
                    )
                    % {"user": change.user, "role": change.get_role_display()},
                )

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("bureau.approve_rolechangerequest")
