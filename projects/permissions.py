"""Who may see or change what in the projects app: calls, applications,
reviews, the funding ledger, policy rewards (奖补兑现) and innovation
vouchers (创新券).

Every rule of the app lives here. Pages, the API, exports, the menu and the
templates (through booleans the views hand them) ask these functions. The
`get_<x>_for_user` helpers check in one order: not visible → 404, the role
may never do it → 403; the state of the object (409) is the services' job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bureau.models import Role, User
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    DECIDERS,
    AnyUser,
    get_for_user,
    has_role,
)
from projects.models import (
    Application,
    Attachment,
    Call,
    Disbursement,
    Entitlement,
    Milestone,
    Recommendation,
    ReserveProject,
    ReviewAssignment,
    RewardBatch,
    RewardRule,
    UpwardProject,
    VoucherClaim,
)

if TYPE_CHECKING:
    from enterprises.models import Enterprise

# --- Roles ------------------------------------------------------------------


def is_bureau_reader(user: AnyUser) -> bool:
    """Staff, section heads and leaders read the whole district."""
    return has_role(user, *BUREAU_READERS)


def is_enterprise_user(user: AnyUser) -> TypeGuard[User]:
    return has_role(user, Role.ENTERPRISE) and bool(
        getattr(user, "enterprise_id", None)
    )


def own_enterprise_id(user: AnyUser) -> int | None:
    """The enterprise of an enterprise user (None for anyone else)."""
    return user.enterprise_id if is_enterprise_user(user) else None


def own_enterprise(user: AnyUser) -> Enterprise:
    """The enterprise an enterprise user acts for; 403 for anyone else."""
    if not is_enterprise_user(user) or user.enterprise is None:
        raise PermissionDenied
    return user.enterprise


def is_expert(user: AnyUser) -> TypeGuard[User]:
    return has_role(user, Role.EXPERT)


def _is_liaison(user: AnyUser) -> TypeGuard[User]:
    return has_role(user, Role.STREET_LIAISON)


# --- Programmes and calls ---------------------------------------------------


def can_create_programme(user: AnyUser) -> bool:
    return has_role(user, *DECIDERS)


def can_manage_calls(user: AnyUser) -> bool:
    """Draft, publish and close calls; draw reviewers; record contracts and
    money (staff and section heads)."""
    return has_role(user, *BUREAU_WRITERS)


def calls_visible_to(user: AnyUser) -> QuerySet[Call]:
    """Bureau roles see every call, drafts included; others published ones."""
    qs = Call.objects.select_related("programme")
    if is_bureau_reader(user):
        return qs
    return qs.filter(published_at__isnull=False)


def get_call_for_user(user: AnyUser, pk: int, *, manage: bool = False) -> Call:
    """The call, or 404 when `user` may not see it; with `manage`, 403 when
    they see it but may not manage calls."""
    return get_for_user(
        calls_visible_to(user), pk=pk, allowed=not manage or can_manage_calls(user)
    )


def can_see_applications_of_call(user: AnyUser) -> bool:
    """The list of a call's applications and its ranking: the bureau."""
    return is_bureau_reader(user)


def can_check_eligibility(user: AnyUser) -> bool:
    """The pre-check "may I apply?" is asked by an enterprise user."""
    return is_enterprise_user(user)


def can_apply(user: AnyUser) -> bool:
    return has_role(user, Role.ENTERPRISE)


# --- Applications -----------------------------------------------------------


def applications_visible_to(user: AnyUser) -> QuerySet[Application]:
    """The district for bureau roles, the street for a liaison, its own for
    an enterprise, and for an expert only what is assigned to them while the
    review is open (the panel not closed, no conflict declared)."""
    qs = Application.objects.all()
    if is_bureau_reader(user):
        return qs
    if _is_liaison(user) and user.org_unit_id:
        return qs.filter(enterprise__org_unit_id=user.org_unit_id)
    if (enterprise_id := own_enterprise_id(user)) is not None:
        return qs.filter(enterprise_id=enterprise_id)
    if is_expert(user) and hasattr(user, "expert_profile"):
        return qs.filter(
            Q(assignments__expert=user.expert_profile)
            & Q(assignments__declined_reason="")
            & Q(call__panel_closed_at__isnull=True)
        ).distinct()
    return qs.none()


def can_list_applications(user: AnyUser) -> bool:
    """The roles that see some applications: the bureau, a street liaison,
    an enterprise and an expert (what applications_visible_to gives them)."""
    return has_role(
        user, *BUREAU_READERS, Role.STREET_LIAISON, Role.ENTERPRISE, Role.EXPERT
    )


def may_edit_application(user: AnyUser, app: Application) -> bool:
    """Only the enterprise that owns it edits an application and its files."""
    enterprise_id = own_enterprise_id(user)
    return enterprise_id is not None and app.enterprise_id == enterprise_id


def get_application_for_user(
    user: AnyUser, pk: int, *, write: bool = False, manage: bool = False
) -> Application:
    """404 when `user` may not see it; 403 when they may see but not edit
    (`write`: the owning enterprise) or not manage (`manage`: staff)."""
    return get_for_user(
        applications_visible_to(user).select_related(
            "call__programme", "enterprise__org_unit"
        ),
        pk=pk,
        allowed=lambda app: (
            (not write or may_edit_application(user, app))
            and (not manage or can_manage_calls(user))
        ),
    )


def may_see_files(user: AnyUser, app: Application) -> bool:
    """Experts see the files only after declaring no conflict of interest."""
    if is_expert(user):
        return app.assignments.filter(
            expert__user=user, declared_at__isnull=False, declined_reason=""
        ).exists()
    return True


def get_attachment_for_user(user: AnyUser, pk: int) -> Attachment:
    """404 when its application is not visible; 403 when `user` may not see
    the files yet (an expert before declaring no conflict)."""
    return get_for_user(
        Attachment.objects.select_related("application"),
        pk=pk,
        application__in=applications_visible_to(user),
        allowed=lambda attachment: may_see_files(user, attachment.application),
    )


def get_milestone_for_user(user: AnyUser, pk: int) -> Milestone:
    """404 when its application is not visible; 403 unless staff."""
    return get_for_user(
        Milestone.objects.select_related("contract"),
        pk=pk,
        contract__application__in=applications_visible_to(user),
        allowed=can_manage_calls(user),
    )


def get_disbursement_for_user(user: AnyUser, pk: int) -> Disbursement:
    """404 when its application is not visible; 403 unless staff."""
    return get_for_user(
        Disbursement.objects.all(),
        pk=pk,
        application__in=applications_visible_to(user),
        allowed=can_manage_calls(user),
    )


def may_see_duplicates(user: AnyUser) -> bool:
    """Possible duplicate filings and the reviewers: the bureau only."""
    return is_bureau_reader(user)


# --- Reviews ----------------------------------------------------------------


def assignments_visible_to(user: AnyUser) -> QuerySet[ReviewAssignment]:
    """An expert's own assignments while the panel is open; nobody else's."""
    if not is_expert(user):
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(
        expert__user=user,
        application__call__panel_closed_at__isnull=True,
        replaced_at__isnull=True,
    )


def get_assignment_for_user(user: AnyUser, pk: int) -> ReviewAssignment:
    """403 for anyone but an expert; 404 for an assignment not theirs."""
    if not is_expert(user):
        raise PermissionDenied
    assignment = (
        assignments_visible_to(user)
        .select_related("application__call", "application__enterprise")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


# --- Review panels ----------------------------------------------------------


def can_close_panel(user: AnyUser) -> bool:
    """Close a call's review panel (after the call closes; before it, only
    with a reason): staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def can_reopen_panel(user: AnyUser) -> bool:
    """Re-open a closed panel, with a reason: the section head."""
    return has_role(user, *DECIDERS)


def can_replace_reviewer(user: AnyUser) -> bool:
    """Give a declined or overdue review to another expert: staff and section
    heads (who draw the reviewers)."""
    return has_role(user, *BUREAU_WRITERS)


def get_panel_call_for_user(user: AnyUser, pk: int, *, action: str) -> Call:
    """The call for a panel action (`close`, `reopen`): 404 when `user` may
    not see it, 403 when their role may never take the action."""
    allowed = {"close": can_close_panel, "reopen": can_reopen_panel}[action](user)
    return get_for_user(calls_visible_to(user), pk=pk, allowed=allowed)


def get_assignment_to_replace(user: AnyUser, pk: int) -> ReviewAssignment:
    """An assignment of the district for staff to replace: 404 for whoever
    may not see its application, 403 for a role that may never replace."""
    # The bureau sees every panel; an expert only their own open assignments.
    qs = (
        ReviewAssignment.objects.all()
        if is_bureau_reader(user)
        else assignments_visible_to(user)
    )
    return get_for_user(
        qs.select_related("application__call", "expert"),
        pk=pk,
        allowed=can_replace_reviewer(user),
    )


# --- Funding ledger ---------------------------------------------------------


def can_view_ledger(user: AnyUser) -> bool:
    return is_bureau_reader(user)


# --- Policy rewards and vouchers --------------------------------------------

# Roles that read every batch, entitlement and voucher of the district.
REWARD_READERS = BUREAU_READERS
# Roles that build batches, exclude entitlements and redeem vouchers.
REWARD_WRITERS = BUREAU_WRITERS


def can_read_rewards(user: AnyUser) -> bool:
    return has_role(user, *REWARD_READERS)


def can_manage_rewards(user: AnyUser) -> bool:
    """Build a batch, exclude or restore an entitlement, redeem vouchers."""
    return has_role(user, *REWARD_WRITERS)


def can_approve_reward_batch(user: AnyUser) -> bool:
    return has_role(user, *DECIDERS)


def can_manage_reward_rules(user: AnyUser) -> bool:
    """Write the district's reward rules (policy kept as data): staff and
    section heads; every change is audited and a batch built from the rules
    still needs a section head's approval."""
    return has_role(user, *REWARD_WRITERS)


def get_reward_rule_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> RewardRule:
    """The rule, 403 for a role that may not read the rules (or, with
    `write`, change them), 404 when there is no such rule."""
    if not can_read_rewards(user) or (write and not can_manage_reward_rules(user)):
        raise PermissionDenied
    return get_for_user(RewardRule.objects.select_related("programme"), pk=pk)


def can_export_reward_batch(user: AnyUser) -> bool:
    """The whole batch for the finance office: bureau roles only."""
    return can_read_rewards(user)


def reward_batches_visible_to(user: AnyUser) -> QuerySet[RewardBatch]:
    """Bureau roles see every batch; an enterprise user the approved batches
    that hold one of its entitlements; anyone else none. Drafts stay inside
    the bureau: their amounts may still change."""
    qs = RewardBatch.objects.all()
    if can_read_rewards(user):
        return qs
    if (enterprise_id := own_enterprise_id(user)) is not None:
        return qs.filter(
            status=RewardBatch.Status.APPROVED,
            pk__in=Entitlement.objects.filter(enterprise_id=enterprise_id).values(
                "batch_id"
            ),
        )
    return qs.none()


def entitlements_visible_to(user: AnyUser) -> QuerySet[Entitlement]:
    """Bureau roles see all; an enterprise user its own in approved batches."""
    qs = Entitlement.objects.all()
    if can_read_rewards(user):
        return qs
    if (enterprise_id := own_enterprise_id(user)) is not None:
        return qs.filter(
            enterprise_id=enterprise_id, batch__status=RewardBatch.Status.APPROVED
        )
    return qs.none()


def get_reward_batch_for_user(
    user: AnyUser, year: int, *, write: bool = False
) -> RewardBatch:
    """The batch of `year`, or 404 when `user` may not see it, 403 when they
    may see but not change it."""
    return get_for_user(
        reward_batches_visible_to(user),
        year=year,
        allowed=not write or can_manage_rewards(user),
    )


def get_entitlement_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> Entitlement:
    return get_for_user(
        entitlements_visible_to(user).select_related(
            "batch", "rule", "enterprise__org_unit"
        ),
        pk=pk,
        allowed=not write or can_manage_rewards(user),
    )


def can_use_vouchers(user: AnyUser) -> bool:
    """Claim, use and cancel vouchers: enterprise users, for themselves."""
    return is_enterprise_user(user)


def can_see_vouchers(user: AnyUser) -> bool:
    """Schemes and the provider registry: the bureau and enterprises."""
    return can_read_rewards(user) or can_use_vouchers(user)


def voucher_claims_visible_to(user: AnyUser) -> QuerySet[VoucherClaim]:
    qs = VoucherClaim.objects.all()
    if can_read_rewards(user):
        return qs
    if (enterprise_id := own_enterprise_id(user)) is not None:
        return qs.filter(enterprise_id=enterprise_id)
    return qs.none()


VOUCHER_ACTIONS = ("use", "cancel", "redeem")


def may_act_on_voucher(user: AnyUser, action: str | None) -> bool:
    """`use` the enterprise itself; `cancel` it or staff; `redeem` staff."""
    return {
        None: True,
        "use": can_use_vouchers(user),
        "cancel": can_use_vouchers(user) or can_manage_rewards(user),
        "redeem": can_manage_rewards(user),
    }[action]


def get_voucher_claim_for_user(
    user: AnyUser, pk: int, *, action: str | None = None
) -> VoucherClaim:
    """The claim, or 404 when `user` may not see it; 403 when `user` sees
    the claim but may not do `action` (see may_act_on_voucher)."""
    return get_for_user(
        voucher_claims_visible_to(user).select_related(
            "scheme", "enterprise", "provider"
        ),
        pk=pk,
        allowed=may_act_on_voucher(user, action),
    )


# --- What the menu offers (bureau/context_processors.py asks these) ---------


def can_view_projects(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_READERS, Role.ENTERPRISE)


def can_view_rewards(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_READERS, Role.ENTERPRISE)


def can_view_vouchers(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_READERS, Role.ENTERPRISE)


def can_list_reviews(user: AnyUser) -> bool:
    """An expert's own review assignments."""
    return is_expert(user)


# --- Projects won from higher levels (向上争取项目) and the reserve ----------


def can_view_upward(user: AnyUser) -> bool:
    """The 向上争取项目 pages and API: the district's readers, and a liaison
    for their street's enterprises (read only)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_manage_upward(user: AnyUser) -> bool:
    """Recommend upward, record outcomes, mid-term checks, acceptance and
    the reserve: staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def upward_projects_visible_to(user: AnyUser) -> QuerySet[UpwardProject]:
    qs = UpwardProject.objects.all()
    if is_bureau_reader(user):
        return qs
    if _is_liaison(user) and user.org_unit_id:
        return qs.filter(application__enterprise__org_unit_id=user.org_unit_id)
    return qs.none()


def get_upward_project_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> UpwardProject:
    """404 when `user` may not see it, 403 on `write` for a reader."""
    return get_for_user(
        upward_projects_visible_to(user).select_related(
            "application__call__programme",
            "application__enterprise__org_unit",
            "recommendation",
        ),
        pk=pk,
        allowed=not write or can_manage_upward(user),
    )


def get_recommendation_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Recommendation:
    """A recommendation list: the bureau's readers see every one (a liaison
    sees their street's projects through the project list)."""
    qs = (
        Recommendation.objects.select_related("call__programme")
        if is_bureau_reader(user)
        else Recommendation.objects.none()
    )
    return get_for_user(qs, pk=pk, allowed=not write or can_manage_upward(user))


def reserve_visible_to(user: AnyUser) -> QuerySet[ReserveProject]:
    qs = ReserveProject.objects.all()
    if is_bureau_reader(user):
        return qs
    if _is_liaison(user) and user.org_unit_id:
        return qs.filter(enterprise__org_unit_id=user.org_unit_id)
    return qs.none()


def get_reserve_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> ReserveProject:
    return get_for_user(
        reserve_visible_to(user).select_related("enterprise", "target_programme"),
        pk=pk,
        allowed=not write or can_manage_upward(user),
    )
