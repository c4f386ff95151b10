from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from bureau.audit import register_action_labels

        register_action_labels(
            {
                "enterprise.create": _("Enterprise registered"),
                "event.create": _("Event recorded"),
                "event.update": _("Event changed"),
                "science_base.create": _("Science popularisation base added"),
                "science_base.update": _("Science popularisation base changed"),
                "enterprise.update": _("Enterprise changed"),
                "enterprise.import": _("Enterprise roster imported"),
                "certification.create": _("Tier awarded"),
                "certification.revoke": _("Tier revoked"),
                "certification.expire": _("Tier expired"),
                "hnte_report.record": _("高企 annual report recorded"),
                "echelon.assess": _("Yearly assessment"),
                "monitoring.run": _("Quarterly monitoring run"),
                "monitoring.start": _("Quarterly monitoring started"),
                "annual_return.create": _("Annual return started"),
                "annual_return.update": _("Annual return changed"),
                "annual_return.submit": _("Annual return submitted"),
                "annual_return.accept": _("Annual return accepted"),
                "annual_return.return": _("Annual return returned"),
                "quarterly_report.create": _("Quarterly report started"),
                "quarterly_report.update": _("Quarterly report changed"),
                "quarterly_report.submit": _("Quarterly report submitted"),
                "quarterly_report.accept": _("Quarterly report accepted"),
                "quarterly_report.return": _("Quarterly report returned"),
                "visit.record": _("Visit recorded"),
                "follow_up.close": _("Visit follow-up closed"),
                "rd_institution.record": _("R&D institution recorded"),
                "loan.record": _("Loan recorded"),
                "carrier.create": _("Innovation carrier registered"),
                "carrier.update": _("Innovation carrier changed"),
                "registration.submit": _("Account registration submitted"),
                "registration.approve": _("Account registration approved"),
                "registration.refuse": _("Account registration refused"),
            }
        )

        from bureau.services.jobs import JobKind, plan_at, register_job_kind

        register_job_kind(
            JobKind(
                "enterprises.list",
                title=_("Enterprise list export"),
                queue="export",
                plan=plan_at("enterprises.views.registry.enterprise_list_export"),
            )
        )
        register_job_kind(
            JobKind(
                "enterprises.events",
                title=_("Event list export"),
                queue="export",
                plan=plan_at("enterprises.views.events.event_list_export"),
            )
        )
        for kind, title in (
            ("annual", _("Annual returns export")),
            ("quarterly", _("Quarterly reports export")),
        ):
            register_job_kind(
                JobKind(
                    f"enterprises.filings.{kind}",
                    title=title,
                    queue="export",
                    plan=plan_at(f"enterprises.views.filings.{kind}_filings_export"),
                )
            )
