"""The role groups, defined once, and the predicates of the bureau app.

Every app's `permissions.py` builds its rules from these groups; pages, API,
exports, navigation and templates then ask that app's predicates. Django model
permissions (bureau/roles.py) only govern `/admin/`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from bureau.models import BackgroundJob, Role

if TYPE_CHECKING:
    from bureau.models import User

    AnyUser: TypeAlias = User | AnonymousUser
else:
    AnyUser: TypeAlias = Any

M = TypeVar("M", bound=Model)

# Read the whole district's business data: staff, section heads, leaders.
BUREAU_READERS: tuple[str, ...] = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)
# Manage business data (registry, calls, filings, talent): staff and heads.
BUREAU_WRITERS: tuple[str, ...] = (Role.STAFF, Role.SECTION_HEAD)
# Take the section's decisions (funding, targets, formal check sign-off).
DECIDERS: tuple[str, ...] = (Role.SECTION_HEAD,)
# The three administrators (三员): no business data at all.
ADMINISTRATORS: tuple[str, ...] = (
    Role.BUREAU_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDITOR,
)


def get_for_user(
    queryset: QuerySet[M], *, allowed: bool | Callable[[M], bool] = True, **lookup: Any
) -> M:
    """The row of `queryset` (what the user may see) matching `lookup`,
    checked in the one order every app uses: not there → 404, then not
    `allowed` (a flag, or a predicate of the row) → 403. A state that forbids
    the move is the service's 409, after this."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if not (allowed(obj) if callable(allowed) else allowed):
        raise PermissionDenied
    return obj


def has_role(user: AnyUser | None, *roles: str) -> bool:
    """True when `user` is logged in, active and holds one of `roles`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "role", None) in roles


def can_view_audit_log(user: AnyUser) -> bool:
    return has_role(user, Role.AUDITOR) and user.has_perm("bureau.view_auditevent")


def can_unlock_accounts(user: AnyUser) -> bool:
    return has_role(user, Role.SECURITY_ADMIN) and user.has_perm(
        "bureau.unlock_account"
    )


def can_read_api_docs(user: AnyUser) -> bool:
    """The footer's link to the API docs: the roles that build or run
    integrations (the docs themselves are public per API_DOCS_PUBLIC)."""
    return has_role(user, Role.BUREAU_ADMIN, *BUREAU_WRITERS)


def may_set_password_of(by: AnyUser | None, user: User) -> bool:
    """Another person never sets an administrator's password (三员分立: the
    system administrator could otherwise sign in as the security or audit
    administrator); the command line (`by` None) and the person do."""
    if by is None or getattr(by, "pk", None) == user.pk:
        return True
    return user.role not in ADMINISTRATORS


class IsAuditor(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_audit_log(request.user)


def can_read_metrics(user: AnyUser) -> bool:
    """/metrics (Prometheus): the security administrator's scraper."""
    return has_role(user, Role.SECURITY_ADMIN)


def can_reset_mfa(user: AnyUser) -> bool:
    """The security administrator resets a user's two-factor devices."""
    return has_role(user, Role.SECURITY_ADMIN)


# --- Accounts pages (/accounts/users/, 三员分立) -----------------------------


def can_view_accounts(user: AnyUser) -> bool:
    """The list of accounts: the three administrators (the auditor reads)."""
    return has_role(user, *ADMINISTRATORS)


def can_create_accounts(user: AnyUser) -> bool:
    """The system administrator creates accounts (a privileged role waits
    for a security administrator's approval)."""
    return has_role(user, Role.BUREAU_ADMIN)


def can_manage_account(by: AnyUser, user: User) -> bool:
    """Disable, re-enable or reset the password of `user`: the system
    administrator, for accounts other than the administrators' and its own."""
    return (
        can_create_accounts(by)
        and getattr(by, "pk", None) != user.pk
        and user.role not in ADMINISTRATORS
        and may_set_password_of(by, user)
    )


def can_decide_role_changes(user: AnyUser) -> bool:
    """Approve or reject a pending role change: the security administrator
    (never for a request of their own or about themselves: the service)."""
    return has_role(user, Role.SECURITY_ADMIN)


# --- Tasks (任务督办) and the deadline calendar (工作日历) ------------------------

# Who owns tasks and sees them: the bureau, the streets, the enterprises.
TASK_VIEWERS: tuple[str, ...] = (*BUREAU_READERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def can_view_tasks(user: AnyUser) -> bool:
    return has_role(user, *TASK_VIEWERS)


def can_assign_tasks(user: AnyUser) -> bool:
    """Turn a notice into tasks, import them: staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def tasks_visible_to(user: AnyUser) -> QuerySet[Any]:
    """The tasks `user` sees: the bureau all of them; a liaison their
    street's and their own; an enterprise user their enterprise's and their
    own; anyone else none."""
    from django.db.models import Q

    from bureau.models import Task

    qs = Task.objects.all()
    if has_role(user, *BUREAU_READERS):
        return qs
    if has_role(user, Role.STREET_LIAISON):
        return qs.filter(
            Q(
                owner_kind=Task.OwnerKind.STREET,
                owner_unit_id=getattr(user, "org_unit_id", None),
            )
            | Q(owner_kind=Task.OwnerKind.USER, owner_user_id=user.pk)
        )
    if has_role(user, Role.ENTERPRISE):
        return qs.filter(
            Q(
                owner_kind=Task.OwnerKind.ENTERPRISE,
                owner_enterprise_id=getattr(user, "enterprise_id", None),
            )
            | Q(owner_kind=Task.OwnerKind.USER, owner_user_id=user.pk)
        )
    return qs.none()


def can_work_on_task(user: AnyUser, task: Any) -> bool:
    """Log progress on and complete a task `user` sees: staff and section
    heads any task, a liaison or an enterprise user the tasks they own (the
    leadership reads only)."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def get_task_for_user(user: AnyUser, pk: int, *, work: bool = False) -> Any:
    """The task `pk` if `user` sees it (404 otherwise); with `work`, 403
    when their role may not work on it."""
    return get_for_user(
        tasks_visible_to(user),
        pk=pk,
        allowed=(lambda t: can_work_on_task(user, t)) if work else True,
    )


def can_view_calendar(user: AnyUser) -> bool:
    """The calendar of recurring deadlines: the bureau and the liaisons."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_manage_deadlines(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def get_job_for_user(user: AnyUser, pk: int) -> BackgroundJob:
    """A background job is its owner's alone: anyone else's, whatever their
    role, is a 404."""
    if user.is_anonymous:
        raise Http404
    return get_for_user(BackgroundJob.objects.filter(owner_id=user.pk), pk=pk)
