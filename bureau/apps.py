from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("Users, org units and audit")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from bureau.audit import register_action_labels
        from bureau.roles import roles_sync_on_migrate

        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="bureau_roles_sync")
        register_action_labels(
            {
                "role_change.request": _("Role change requested"),
                "role_change.approve": _("Role change approved"),
                "role_change.reject": _("Role change rejected"),
                "api_token.revoke_oldest": _("Oldest API tokens revoked (limit)"),
                "task.create": _("Task assigned"),
                "task.progress": _("Task progress logged"),
                "task.complete": _("Task completed"),
                "deadline.create": _("Calendar deadline added"),
                "deadline.update": _("Calendar deadline changed"),
                "deadline.import": _("Calendar deadlines imported"),
            }
        )

        # Session records on login and logout; audit labels of MFA and sessions.
        from bureau import mfa, sessions
        from bureau.audit import register_action_labels

        register_action_labels({**mfa.ACTION_LABELS, **sessions.ACTION_LABELS})

        from bureau.services.jobs import JobKind, plan_at, register_job_kind

        register_job_kind(
            JobKind(
                "bureau.audit",
                title=_("Audit log export"),
                queue="export",
                plan=plan_at("bureau.views.audit.audit_log_export"),
            )
        )
        register_action_labels({"job.start": _("Background job started")})
