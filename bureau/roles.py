"""The model permissions each role's Group carries.

Groups are named by role code and re-synced after every `migrate`, so this
file is the single source of truth: a permission added here reaches every user
of the role on the next deploy. Codenames whose model does not exist yet are
skipped, which lets later apps add theirs as they arrive.
"""

from __future__ import annotations

from typing import Any

from bureau.models import Role


def _crud(model: str, *actions: str) -> set[str]:
    app_label, name = model.split(".")
    return {f"{app_label}.{action}_{name}" for action in actions}


_VIEW_ORG = _crud("bureau.orgunit", "view")
_BUSINESS_VIEW = (
    _VIEW_ORG
    | _crud("enterprises.enterprise", "view")
    | _crud("projects.expert", "view")
)
_TALENT = (
    _crud("talent.talent", "view")
    | _crud("talent.team", "view")
    | _crud("talent.allowance", "view")
    | _crud("talent.commissioner", "view")
    | _crud("talent.foreignexpertcase", "view")
)
_PROJECTS = (
    _crud("projects.programme", "view")
    | _crud("projects.call", "view")
    | _crud("projects.application", "view")
)
_BUSINESS_VIEW = _BUSINESS_VIEW | _TALENT | _PROJECTS
_STAFF = (
    _BUSINESS_VIEW
    | _crud("enterprises.enterprise", "add", "change")
    | _crud("projects.expert", "add", "change")
    | _crud("talent.talent", "add", "change")
    | _crud("talent.team", "add", "change")
    | _crud("talent.allowance", "add", "change")
    | _crud("talent.commissioner", "add", "change")
    | _crud("talent.foreignexpertcase", "add", "change")
    | _crud("projects.call", "add", "change")
    | _crud("projects.application", "change")
)
# Configuration the system administrator keeps: tiers, assessment criteria,
# allowance rules and talent programmes.
_CONFIG = (
    _crud("enterprises.tier", "view", "add", "change")
    | _crud("enterprises.assessmentcriterion", "view", "add", "change")
    | _crud("talent.allowancerule", "view", "add", "change")
    | _crud("talent.talentprogramme", "view", "add", "change")
    | _crud("projects.rewardrule", "view", "add", "change")
    | _crud("projects.voucherscheme", "view", "add", "change")
    | _crud("projects.serviceprovider", "view", "add", "change")
    | _crud("projects.programme", "view", "add", "change")
    | _crud("projects.expert", "view", "add", "change")
    | _crud("projects.expertconflict", "view", "add", "change")
    | _crud("projects.professionalfield", "view", "add", "change")
    | _crud("indicators.comparisongroup", "view", "add", "change")
)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.BUREAU_ADMIN: (
        _crud("bureau.user", "view", "add", "change")
        # Sees the role changes it asked for; a security administrator decides.
        | _crud("bureau.rolechangerequest", "view")
        | _crud("bureau.orgunit", "view", "add", "change")
        | _crud("auth.group", "view")
        # To link enterprise users to their enterprise; never to edit it.
        | _crud("enterprises.enterprise", "view")
        | _crud("django_celery_beat.periodictask", "view", "add", "change", "delete")
        | _crud("django_celery_beat.crontabschedule", "view", "add", "change", "delete")
        | _crud(
            "django_celery_beat.intervalschedule", "view", "add", "change", "delete"
        )
        | _CONFIG
    ),
    Role.SECURITY_ADMIN: (
        _crud("bureau.user", "view")
        | _crud("bureau.loginthrottle", "view")
        | {"bureau.unlock_account"}
        | _crud("bureau.rolechangerequest", "view", "approve")
        | _crud("knox.authtoken", "view", "delete")
    ),
    Role.AUDITOR: _crud("bureau.auditevent", "view"),
    Role.STAFF: _STAFF,
    Role.SECTION_HEAD: _STAFF,
    Role.LEADER: _BUSINESS_VIEW,
    Role.STREET_LIAISON: _VIEW_ORG | _crud("enterprises.enterprise", "view", "change"),
    Role.ENTERPRISE: _VIEW_ORG | _crud("enterprises.enterprise", "view", "change"),
    Role.EXPERT: _crud("projects.expert", "view"),
}


def roles_sync() -> None:
    """Create one Group per role and give it exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type").filter(
        codename__in={name.split(".", 1)[1] for name in wanted}
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(
            [by_name[name] for name in ROLE_PERMISSIONS[role] if name in by_name]
        )


def roles_sync_on_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate fires once per app; syncing each time is cheap and means
    # the last call sees every app's permissions.
    if kwargs.get("using", "default") != "default":
        return
    roles_sync()
