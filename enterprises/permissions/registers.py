"""Who may see and edit the registers: IP items, technology transfers,
staff rosters and the above-scale (规上) list."""

from __future__ import annotations

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
    IPItem,
    TechTransfer,
)
from enterprises.permissions.registry import (
    can_list_enterprises,
    enterprises_visible_to,
)
from enterprises.permissions.roles import _signed_in_as

# --- The IP, transfer and staff registers (RULES §2.3, §2.5, §3.4) -------------


def can_list_ip_items(user: AnyUser) -> bool:
    """The district's IP list: whoever lists enterprises, scoped the same way."""
    return can_list_enterprises(user)


def can_edit_registers(user: AnyUser, enterprise: Enterprise) -> bool:
    """Add or change an enterprise's IP items, transfers and staff roster:
    bureau staff, or the enterprise itself."""
    if _signed_in_as(user, Role.ENTERPRISE):
        return bool(enterprise.pk == user.enterprise_id)
    return has_role(user, *BUREAU_WRITERS)


def can_edit_any_registers(user: AnyUser) -> bool:
    """Whether `user`'s role ever changes registers (for some enterprise)."""
    return has_role(user, *BUREAU_WRITERS, Role.ENTERPRISE)


def can_view_roster(user: AnyUser, enterprise: Enterprise) -> bool:
    """The people on a staff roster (personal data): bureau staff and the
    enterprise itself; other readers see only the annual figures."""
    return can_edit_registers(user, enterprise)


def ip_items_visible_to(user: AnyUser) -> QuerySet[IPItem]:
    return IPItem.objects.filter(
        enterprise__in=enterprises_visible_to(user)
    ).select_related("enterprise")


def get_ip_item_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> IPItem:
    """An IP item, or 404 when its enterprise is not visible to `user`, 403
    on `write` when `user` may not change the enterprise's registers."""
    return get_for_user(
        ip_items_visible_to(user),
        pk=pk,
        allowed=lambda item: not write or can_edit_registers(user, item.enterprise),
    )


def get_transfer_for_user(
    user: AnyUser, enterprise: Enterprise, pk: int | str, *, write: bool = False
) -> TechTransfer:
    """One of `enterprise`'s transfers (already checked visible)."""
    return get_for_user(
        TechTransfer.objects.all(),
        pk=pk,
        enterprise=enterprise,
        allowed=not write or can_edit_registers(user, enterprise),
    )


def can_view_above_scale(user: AnyUser) -> bool:
    """The 规上 proposals list: the district's readers, a liaison (street)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_confirm_above_scale(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)
