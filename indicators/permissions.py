"""Who may see or change indicators, values, targets and imports.

Pages, the API, exports and templates all ask these predicates. Checks run
in one order: not visible → 404, role may never do it → 403, state forbids
it → 409 (the services raise that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from bureau.models import OrgUnit, Role, User
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    DECIDERS,
    get_for_user,
    has_role,
)
from indicators.models import ImportBatch

if TYPE_CHECKING:
    from bureau.permissions import AnyUser

# Leaders, staff and section heads see the whole district; a street liaison
# sees the district's figures but only their own street (the selectors scope it).
DASHBOARD_READERS = (*BUREAU_READERS, Role.STREET_LIAISON)
# Enter values and import them: staff, heads, and a liaison for their street.
VALUE_WRITERS = (*BUREAU_WRITERS, Role.STREET_LIAISON)


def require(condition: bool) -> None:
    """403 unless `condition` holds."""
    if not condition:
        raise PermissionDenied


def is_street_scoped(user: AnyUser) -> TypeGuard[User]:
    """A liaison sees the district's figures but only their own street."""
    return has_role(user, Role.STREET_LIAISON)


# --- Dashboard and values ----------------------------------------------------


def can_view_dashboard(user: AnyUser) -> bool:
    """The dashboard: the district for bureau roles, a liaison their street."""
    return has_role(user, *DASHBOARD_READERS)


def can_view_values(user: AnyUser) -> bool:
    """Indicator definitions, values and targets read like the dashboard."""
    return can_view_dashboard(user)


def can_download_summary(user: AnyUser) -> bool:
    """The summary covers the whole bureau's work: bureau roles only."""
    return has_role(user, *BUREAU_READERS)


def can_create_indicators(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def can_enter_values(user: AnyUser) -> bool:
    """Whether the role enters values at all (for some unit)."""
    return has_role(user, *VALUE_WRITERS)


def may_enter(user: AnyUser, unit: OrgUnit) -> bool:
    """Staff and section heads enter any unit's values; a liaison only
    their own street's or park's."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    return is_street_scoped(user) and unit.pk == user.org_unit_id


def visible_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """The org units whose values and targets `user` reads: a liaison only
    their own street or park; the bureau roles all."""
    units = OrgUnit.objects.all()
    if is_street_scoped(user):
        if user.org_unit_id is None:
            return units.none()
        return units.filter(pk=user.org_unit_id)
    return units


def can_set_targets(user: AnyUser) -> bool:
    """Annual targets are the section head's decision."""
    return has_role(user, *DECIDERS)


# --- Imports -----------------------------------------------------------------


def can_import(user: AnyUser) -> bool:
    """Upload, list and read import batches: the roles that enter values.
    Leaders read the dashboard but not the import batches."""
    return can_enter_values(user)


def can_roll_back_imports(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def import_batches_for_user(user: AnyUser) -> QuerySet[ImportBatch]:
    """The import batches `user` may read: a liaison only their own, staff
    and heads all. 403 for a role that may never read them."""
    from indicators.selectors.imports import import_batches

    require(can_import(user))
    return import_batches(user)


def get_import_batch_for_user(
    user: AnyUser, pk: int, *, rollback: bool = False
) -> ImportBatch:
    """The batch `pk` as `user` may see it: 404 when it is not theirs to see,
    then 403 when `rollback` is asked of a role that may not roll back."""
    return get_for_user(
        import_batches_for_user(user),
        pk=pk,
        allowed=not rollback or can_roll_back_imports(user),
    )
