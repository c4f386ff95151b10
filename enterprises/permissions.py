"""Who may see or change what in the enterprises app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from bureau.models import Role
from bureau.permissions import has_role
from enterprises.models import Enterprise

# Roles that read every enterprise of the district.
DISTRICT_READERS = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)
# Roles that manage the registry, the ladder and review filings.
REGISTRY_WRITERS = (Role.STAFF, Role.SECTION_HEAD)


def enterprises_visible_to(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """The enterprises `user` may see: the district for bureau roles, their
    street for a liaison, their own for an enterprise user, none otherwise."""
    qs = Enterprise.objects.all() if queryset is None else queryset
    if has_role(user, *DISTRICT_READERS):
        return qs
    if has_role(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(org_unit_id=user.org_unit_id)
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def can_view_enterprise(user: Any, enterprise: Enterprise) -> bool:
    if has_role(user, *DISTRICT_READERS):
        return True
    if has_role(user, Role.STREET_LIAISON):
        return enterprise.org_unit_id == user.org_unit_id
    if has_role(user, Role.ENTERPRISE):
        return enterprise.pk == user.enterprise_id
    return False


def can_edit_enterprise(user: Any, enterprise: Enterprise) -> bool:
    """Staff edit any; a liaison their street's; an enterprise its contacts."""
    if not can_view_enterprise(user, enterprise):
        return False
    return has_role(user, *REGISTRY_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


# Fields each role may change on an enterprise.
ENTERPRISE_FIELDS_BY_ROLE = {
    Role.STAFF: None,  # all
    Role.SECTION_HEAD: None,
    Role.STREET_LIAISON: None,
    Role.ENTERPRISE: {
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    },
}


def can_create_enterprise(user: Any) -> bool:
    return has_role(user, *REGISTRY_WRITERS)


def can_manage_ladder(user: Any) -> bool:
    return has_role(user, *REGISTRY_WRITERS)


def can_file_for(user: Any, enterprise: Enterprise) -> bool:
    """Enter or submit an enterprise's returns: the enterprise itself, or
    bureau staff entering on its behalf."""
    if has_role(user, Role.ENTERPRISE):
        return enterprise.pk == user.enterprise_id
    return has_role(user, *REGISTRY_WRITERS)


def can_review_filings(user: Any) -> bool:
    return has_role(user, *REGISTRY_WRITERS)


def get_enterprise_for_user(user: Any, pk: Any, *, write: bool = False) -> Enterprise:
    """The enterprise, or 404 when `user` may not see it, 403 when they may
    see but not change it."""
    enterprise = (
        enterprises_visible_to(user).select_related("org_unit").filter(pk=pk).first()
    )
    if enterprise is None:
        raise Http404
    if write and not can_edit_enterprise(user, enterprise):
        raise PermissionDenied
    return enterprise


# --- What the menu offers (bureau/navigation.py asks these) -----------------


def can_list_enterprises(user: Any) -> bool:
    """The registry list: the district, a street, or one's own enterprise."""
    return has_role(user, *DISTRICT_READERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def can_view_funnel(user: Any) -> bool:
    return has_role(user, *DISTRICT_READERS, Role.STREET_LIAISON)


def can_view_monitoring(user: Any) -> bool:
    return has_role(user, *DISTRICT_READERS, Role.STREET_LIAISON)


def can_list_filings(user: Any) -> bool:
    """Annual returns and quarterly reports lists."""
    return has_role(user, *REGISTRY_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)
