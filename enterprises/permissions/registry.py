"""Who may see, change, create and export enterprises of the register, and
which fields each role may change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from bureau.models import Role
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    Enterprise,
)
from enterprises.permissions.roles import _signed_in_as

# The contact fields an enterprise keeps up to date itself.
_CONTACT_FIELDS = frozenset(
    {
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    }
)


# Fields each role may change on an enterprise (None: every field). A liaison
# keeps the street's enterprises up to date but may not rename one, change its
# credit code or move it to another street: those are the registry's own.
ENTERPRISE_FIELDS_BY_ROLE: dict[str, frozenset[str] | None] = {
    Role.STAFF: None,
    Role.SECTION_HEAD: None,
    Role.STREET_LIAISON: _CONTACT_FIELDS
    | {
        "industry_section",
        "industry_division",
        "high_tech_field",
        "founded_on",
        "is_above_scale",
    },
    Role.ENTERPRISE: _CONTACT_FIELDS,
}


# --- Enterprises --------------------------------------------------------------


def enterprises_visible_to(
    user: AnyUser, queryset: QuerySet[Enterprise] | None = None
) -> QuerySet[Enterprise]:
    """The enterprises `user` may see: the district for bureau roles, their
    street for a liaison, their own for an enterprise user, none otherwise."""
    qs = Enterprise.objects.all() if queryset is None else queryset
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(org_unit_id=user.org_unit_id)
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def can_view_enterprise(user: AnyUser, enterprise: Enterprise) -> bool:
    if has_role(user, *BUREAU_READERS):
        return True
    if _signed_in_as(user, Role.STREET_LIAISON):
        return bool(enterprise.org_unit_id == user.org_unit_id)
    if _signed_in_as(user, Role.ENTERPRISE):
        return bool(enterprise.pk == user.enterprise_id)
    return False


def can_edit_enterprise(user: AnyUser, enterprise: Enterprise) -> bool:
    """Staff edit any; a liaison their street's; an enterprise its contacts."""
    if not can_view_enterprise(user, enterprise):
        return False
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def enterprise_fields_for(user: AnyUser) -> frozenset[str] | None:
    """The enterprise fields `user` may change; None means every field."""
    return ENTERPRISE_FIELDS_BY_ROLE.get(getattr(user, "role", ""), frozenset())


def enterprise_fields_refused(user: AnyUser, fields: Iterable[str]) -> list[str]:
    """Of `fields` (names), those `user` may not change, sorted."""
    allowed = enterprise_fields_for(user)
    if allowed is None:
        return []
    return sorted(set(fields) - allowed)


def can_create_enterprise(user: AnyUser) -> bool:
    """Register enterprises, one by one or by roster import."""
    return has_role(user, *BUREAU_WRITERS)


def can_export_enterprises(user: AnyUser) -> bool:
    """Download the (filtered) enterprise list: whoever may list it."""
    return can_list_enterprises(user) and not has_role(user, Role.ENTERPRISE)


def get_enterprise_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Enterprise:
    """The enterprise, or 404 when `user` may not see it, 403 when they may
    see but not change it."""
    return get_for_user(
        enterprises_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda enterprise: not write or can_edit_enterprise(user, enterprise),
    )


def can_read_registry_reports(user: AnyUser) -> bool:
    """The funnel, the closest-to-qualifying list and the carriers: the
    district's readers and the liaisons (scoped to their street)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


# --- What the menu offers (bureau/context_processors.py asks these) ------------


def can_list_enterprises(user: AnyUser) -> bool:
    """The registry list: the district, a street, or one's own enterprise."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON, Role.ENTERPRISE)
