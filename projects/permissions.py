"""Who may see or change calls and applications."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bureau.models import Role
from bureau.permissions import has_role
from projects.models import Application, Call

BUREAU = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)
MANAGERS = (Role.STAFF, Role.SECTION_HEAD)


def calls_visible_to(user: Any) -> QuerySet[Call]:
    """Bureau roles see every call, drafts included; others published ones."""
    qs = Call.objects.select_related("programme")
    if has_role(user, *BUREAU):
        return qs
    return qs.filter(published_at__isnull=False)


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """The district for bureau roles, the street for a liaison, its own for
    an enterprise, and for an expert only what is assigned to them while the
    review is open (the panel not closed, no conflict declared)."""
    qs = Application.objects.all()
    if has_role(user, *BUREAU):
        return qs
    if has_role(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(enterprise__org_unit_id=user.org_unit_id)
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    if has_role(user, Role.EXPERT) and hasattr(user, "expert_profile"):
        return qs.filter(
            Q(assignments__expert=user.expert_profile)
            & Q(assignments__declined_reason="")
            & Q(call__panel_closed_at__isnull=True)
        ).distinct()
    return qs.none()


def get_application_for_user(user: Any, pk: int, *, write: bool = False) -> Application:
    """404 when `user` may not see it; 403 when they may see but not edit."""
    app = (
        applications_visible_to(user)
        .select_related("call__programme", "enterprise__org_unit")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404
    if write and not (
        has_role(user, Role.ENTERPRISE) and app.enterprise_id == user.enterprise_id
    ):
        raise PermissionDenied
    return app


def can_manage_calls(user: Any) -> bool:
    return has_role(user, *MANAGERS)


def may_see_files(user: Any, app: Application) -> bool:
    """Experts see the files only after declaring no conflict of interest."""
    if has_role(user, Role.EXPERT):
        return app.assignments.filter(
            expert__user=user, declared_at__isnull=False, declined_reason=""
        ).exists()
    return True


# --- What the menu offers (bureau/navigation.py asks these) -----------------


def can_view_projects(user: Any) -> bool:
    return has_role(user, *BUREAU, Role.ENTERPRISE)


def can_view_rewards(user: Any) -> bool:
    return has_role(user, *BUREAU, Role.ENTERPRISE)


def can_view_vouchers(user: Any) -> bool:
    return has_role(user, *BUREAU, Role.ENTERPRISE)


def can_list_reviews(user: Any) -> bool:
    """An expert's own review assignments."""
    return has_role(user, Role.EXPERT)
