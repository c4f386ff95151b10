from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from bureau.audit import register_action_labels

        register_action_labels(ACTION_LABELS)


# Every audit action code the talent services write, with its Chinese label.
ACTION_LABELS = {
    "talent.create": _("人才登记"),
    "talent.update": _("人才信息修改"),
    "team.create": _("人才团队登记"),
    "talent_award.record": _("人才项目资助登记"),
    "allowance.grant": _("生活补贴核定"),
    "allowance.mark_due": _("生活补贴按月到期"),
    "allowance.pay": _("生活补贴发放"),
    "permit_case.create": _("外国人工作许可案件新建"),
    "permit_case.submit": _("工作许可案件提交"),
    "permit_case.approve": _("工作许可案件批准"),
    "permit_case.reject": _("工作许可案件不予批准"),
    "case_document.add": _("工作许可材料上传"),
    "commissioner.create": _("科技特派员登记"),
    "service_log.record": _("科技特派员服务记录"),
    "commissioner.assess": _("科技特派员年度考核"),
}
