from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from bureau.audit import register_action_labels

        register_action_labels(ACTION_LABELS)

        from bureau.lib.pii import REENCRYPT_HOOKS
        from talent.services.people import talents_reencrypt

        REENCRYPT_HOOKS.append(talents_reencrypt)


# Every audit action code the talent services write, with its Chinese label.
ACTION_LABELS = {
    "talent.create": _("Talent registered"),
    "talent.update": _("Talent details changed"),
    "team.create": _("Talent team registered"),
    "talent_award.record": _("Talent programme award recorded"),
    "allowance.grant": _("Living allowance granted"),
    "allowance.mark_due": _("Living allowance payments fell due"),
    "allowance.pay": _("Living allowance paid"),
    "permit_case.create": _("Foreign national's work-permit case created"),
    "permit_case.submit": _("Work-permit case submitted"),
    "permit_case.approve": _("Work-permit case approved"),
    "permit_case.reject": _("Work-permit case rejected"),
    "case_document.add": _("Work-permit document uploaded"),
    "commissioner.create": _("S&T commissioner registered"),
    "service_log.record": _("S&T commissioner service recorded"),
    "commissioner.assess": _("S&T commissioner assessed for the year"),
}
