from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from bureau.services.jobs import JobKind, plan_at, register_job_kind

        register_job_kind(
            JobKind(
                "projects.applications",
                title=_("Application list export"),
                queue="export",
                plan=plan_at("projects.views.applications.application_list_export"),
            )
        )

        from bureau.audit import register_action_labels, register_change_labels

        # A flush (a transactional test, `manage.py flush`) empties the
        # 专业领域 list its migration wrote; put it back as migrate does.
        post_migrate.connect(
            professional_fields_ensure, sender=self, dispatch_uid="projects_fields"
        )
        register_change_labels(
            {
                "forced": _("closed while the call was open"),
                "missing_reviews": _("applications missing reviews"),
            }
        )

        register_action_labels(
            {
                "programme.create": _("Programme created"),
                "call.create": _("Call drafted"),
                "call.publish": _("Call published"),
                "call.close_panel": _("Review panel closed"),
                "call.reopen_panel": _("Review panel re-opened"),
                "application.create": _("Application started"),
                "application.update": _("Application changed"),
                "application.submit": _("Application submitted"),
                "application.withdraw": _("Application withdrawn"),
                "application.return": _("Application returned"),
                "application.formal_pass": _("Formal check passed"),
                "application.formal_fail": _("Formal check failed"),
                "application.approve": _("Project approved"),
                "application.reject": _("Application rejected"),
                "application.contract": _("Contract signed"),
                "application.midterm_pass": _("Mid-term check passed"),
                "application.accept": _("Project accepted"),
                "application.fail_acceptance": _("Acceptance failed"),
                "application.accept_after_rectification": _(
                    "Accepted after rectification"
                ),
                "application.close": _("Project closed"),
                "application.terminate": _("Project terminated"),
                "application.flag_duplicate": _("Possible duplicate filing"),
                "attachment.add": _("Attachment uploaded"),
                "review.draw": _("Reviewers drawn"),
                "review.replace": _("Reviewer replaced"),
                "review.declare_no_conflict": _("No conflict declared"),
                "review.declare_conflict": _("Conflict declared"),
                "review.submit": _("Review submitted"),
                "contract.record": _("Contract recorded"),
                "milestone.achieve": _("Milestone achieved"),
                "disbursement.pay": _("Tranche paid"),
                "disbursement.withhold": _("Tranche withheld"),
                "reward_rule.create": _("Reward rule created"),
                "reward_rule.update": _("Reward rule changed"),
                "reward_batch.build": _("Reward batch built"),
                "reward_batch.approve": _("Reward batch approved"),
                "entitlement.exclude": _("Entitlement excluded"),
                "entitlement.restore": _("Entitlement restored"),
                "entitlement.pay": _("Reward paid"),
                "voucher.claim": _("Voucher claimed"),
                "voucher.use": _("Voucher used"),
                "voucher.redeem": _("Voucher redeemed"),
                "voucher.cancel": _("Voucher cancelled"),
                "recommendation.create": _("Recommended upward"),
                "upward.recommend": _("Application recommended upward"),
                "upward.approve": _("Approved by the higher level"),
                "upward.not_approved": _("Not approved by the higher level"),
                "upward.midterm": _("Higher-level project mid-term check recorded"),
                "upward.accept": _("Higher-level project acceptance recorded"),
                "reserve.create": _("Reserve project added"),
                "reserve.update": _("Reserve project changed"),
                "reserve.promote": _("Reserve project promoted to an application"),
                "reserve.drop": _("Reserve project dropped"),
            }
        )


def professional_fields_ensure(sender: object, apps: Any = None, **kwargs: Any) -> None:
    """Write the 专业领域 list (projects/fields.py) when the table is empty."""
    from django.apps import apps as global_apps

    from projects.fields import field_rows

    model = (apps or global_apps).get_model("projects", "ProfessionalField")
    if model.objects.exists():
        return
    by_code: dict[str, Any] = {}
    for code, name, parent in field_rows():
        by_code[code] = model.objects.create(
            code=code, name=name, parent=by_code.get(parent)
        )
