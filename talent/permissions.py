"""Who may see or change talent records: every rule of the app, in one place.

Pages, the API, the export and the templates (through booleans the views put
in the context) ask these functions; the role groups come from
bureau.permissions.

Two kinds of subject:
- people are scoped: bureau readers see everyone, an enterprise user its own
  employees; a person out of scope is a 404, a change the role may never make
  a 403;
- allowances, permit cases (and their documents) and commissioners are bureau
  business: a role outside BUREAU_READERS may never see that kind of object,
  so every route of it, list or object, is a 403 before any lookup (the
  answer does not depend on the id, so it tells nothing). For readers, an
  unknown id is a 404, then a change the role may not make a 403.
A move the object's state forbids is a 409, raised by the service after these
checks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from bureau.models import Role, User
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from talent.models import CaseDocument, Commissioner, ForeignExpertCase, Talent

# --- People ---------------------------------------------------------------


def talents_visible_to(
    user: AnyUser, queryset: QuerySet[Talent] | None = None
) -> QuerySet[Talent]:
    """Bureau roles see everyone; an enterprise user its own employees."""
    qs = Talent.objects.all() if queryset is None else queryset
    if has_role(user, *BUREAU_READERS):
        return qs
    if (
        has_role(user, Role.ENTERPRISE)
        and isinstance(user, User)
        and user.enterprise_id is not None
    ):
        return qs.filter(employer_id=user.enterprise_id)
    return qs.none()


def can_list_talents(user: AnyUser) -> bool:
    """The people list and search (page and API): bureau readers, and
    enterprise users for their own employees."""
    return has_role(user, *BUREAU_READERS, Role.ENTERPRISE)


def can_manage_talent(user: AnyUser) -> bool:
    """Register and change people, teams, allowances, cases, commissioners."""
    return has_role(user, *BUREAU_WRITERS)


def get_talent_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Talent:
    return get_for_user(
        talents_visible_to(user).select_related("employer"),
        pk=pk,
        allowed=not write or can_manage_talent(user),
    )


def require_talent_lister(user: AnyUser) -> None:
    if not can_list_talents(user):
        raise PermissionDenied


def require_talent_manager(user: AnyUser) -> None:
    if not can_manage_talent(user):
        raise PermissionDenied


# --- Bureau business: allowances, permit cases, commissioners ---------------


def can_view_talent(user: AnyUser) -> bool:
    """The talent pages (the menu entry, the tabs, allowances, permit cases,
    commissioners): bureau readers."""
    return has_role(user, *BUREAU_READERS)


def require_talent_reader(user: AnyUser) -> None:
    """Programmes, allowances, cases and commissioners are bureau business."""
    if not can_view_talent(user):
        raise PermissionDenied


def can_open_case_documents(user: AnyUser) -> bool:
    """Permit-case documents are private: bureau readers only."""
    return can_view_talent(user)


def get_permit_case_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> ForeignExpertCase:
    require_talent_reader(user)
    return get_for_user(
        ForeignExpertCase.objects.select_related("talent"),
        pk=pk,
        allowed=not write or can_manage_talent(user),
    )


def get_case_document_for_user(user: AnyUser, pk: int) -> CaseDocument:
    if not can_open_case_documents(user):
        raise PermissionDenied
    document = CaseDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def get_commissioner_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> Commissioner:
    require_talent_reader(user)
    return get_for_user(
        Commissioner.objects.prefetch_related("served_enterprises"),
        pk=pk,
        allowed=not write or can_manage_talent(user),
    )


def can_use_calculators(user: AnyUser) -> bool:
    """The work-permit calculator (政策测算) stores nothing and shows no one's
    data: any signed-in user may use it."""
    return bool(getattr(user, "is_authenticated", False))


def calculators_in_menu(user: AnyUser) -> bool:
    """Offered in the menu to enterprise users (who hire the experts) and
    bureau staff."""
    return has_role(user, Role.ENTERPRISE, *BUREAU_READERS)


def require_calculator_user(user: AnyUser) -> None:
    if not can_use_calculators(user):
        raise PermissionDenied
