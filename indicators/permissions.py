"""Who may see or change indicators, values, targets and imports.

Pages, the API, exports and templates all ask these predicates. Checks run
in one order: not visible → 404, role may never do it → 403, state forbids
it → 409 (the services raise that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from bureau.models import OrgUnit, Role, User
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    DECIDERS,
    get_for_user,
    has_role,
)
from indicators.models import Achievement, ImportBatch, RDReportingUnit, TechContract

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


# --- Ledgers: technology contracts, achievements, R&D statistics --------------
# The bureau roles read every row; a liaison reads the rows of their street
# (a contract whose seller or buyer is there, a unit registered there).
LEDGER_READERS = (*BUREAU_READERS, Role.STREET_LIAISON)


def can_view_ledgers(user: AnyUser) -> bool:
    """The contract, achievement and R&D statistics registers."""
    return has_role(user, *LEDGER_READERS)


def can_manage_ledgers(user: AnyUser) -> bool:
    """Import, create and change contracts and achievements, build the R&D
    statistics ledger and verify its figures: staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def can_report_rd(user: AnyUser) -> bool:
    """Mark units reported or without R&D: the bureau's writers for every
    street, a liaison for their own (the unit's lookup scopes it)."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON)


def _street_scoped(user: AnyUser, qs: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    """`qs` as `user` reads it: all for the bureau roles, the rows whose
    `fields` (street foreign keys) name a liaison's street, none otherwise."""
    if has_role(user, *BUREAU_READERS):
        return qs
    if is_street_scoped(user) and user.org_unit_id is not None:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}_id": user.org_unit_id})
        return qs.filter(match)
    return qs.none()


def contracts_visible_to(user: AnyUser) -> QuerySet[TechContract]:
    return _street_scoped(
        user, TechContract.objects.all(), "seller_street", "buyer_street"
    )


def achievements_visible_to(user: AnyUser) -> QuerySet[Achievement]:
    return _street_scoped(user, Achievement.objects.all(), "owner__org_unit")


def rd_units_visible_to(user: AnyUser) -> QuerySet[RDReportingUnit]:
    return _street_scoped(user, RDReportingUnit.objects.all(), "org_unit")


def get_contract_for_user(user: AnyUser, pk: int) -> TechContract:
    require(can_view_ledgers(user))
    return get_for_user(contracts_visible_to(user), pk=pk)


def get_achievement_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> Achievement:
    """404 when `user` may not see it, then 403 when `write` is asked of a
    role that may not change it."""
    require(can_view_ledgers(user))
    return get_for_user(
        achievements_visible_to(user),
        pk=pk,
        allowed=not write or can_manage_ledgers(user),
    )


def get_rd_unit_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> RDReportingUnit:
    """The ledger row `pk`: 404 outside a liaison's street, then 403 when
    `write` is asked of a role that may not report."""
    require(can_view_ledgers(user))
    return get_for_user(
        rd_units_visible_to(user).select_related("org_unit", "enterprise"),
        pk=pk,
        allowed=not write or can_report_rd(user),
    )
