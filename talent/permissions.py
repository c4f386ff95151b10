"""Who may see or change talent records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from bureau.models import Role
from bureau.permissions import has_role
from talent.models import Talent

TALENT_READERS = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)
TALENT_WRITERS = (Role.STAFF, Role.SECTION_HEAD)


def talents_visible_to(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """Bureau roles see everyone; an enterprise user its own employees."""
    qs = Talent.objects.all() if queryset is None else queryset
    if has_role(user, *TALENT_READERS):
        return qs
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(employer_id=user.enterprise_id)
    return qs.none()


def can_manage_talent(user: Any) -> bool:
    return has_role(user, *TALENT_WRITERS)


def require_talent_reader(user: Any) -> None:
    """Programmes, allowances, cases and commissioners are bureau business."""
    if not has_role(user, *TALENT_READERS):
        raise PermissionDenied


def get_talent_for_user(user: Any, pk: int, *, write: bool = False) -> Talent:
    talent = talents_visible_to(user).select_related("employer").filter(pk=pk).first()
    if talent is None:
        raise Http404
    if write and not can_manage_talent(user):
        raise PermissionDenied
    return talent


def can_view_talent(user: Any) -> bool:
    """The talent pages (the menu entry): bureau roles."""
    return has_role(user, *TALENT_READERS)
