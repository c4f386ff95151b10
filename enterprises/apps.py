from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from bureau.audit import register_action_labels, register_change_labels

        # What a ladder reminder's audit event records (its target is the
        # enterprise, whose fields these are not).
        register_change_labels(
            {
                "reminder": _("reminder"),
                "year": _("year"),
                "recipients": _("users notified"),
            }
        )

        register_action_labels(
            {
                "enterprise.create": _("Enterprise registered"),
                "event.create": _("Event recorded"),
                "event.update": _("Event changed"),
                "science_base.create": _("Science popularisation base added"),
                "science_base.update": _("Science popularisation base changed"),
                "science_base.import": _("Science popularisation bases imported"),
                "enterprise.update": _("Enterprise changed"),
                "enterprise.import": _("Enterprise roster imported"),
                "certification.create": _("Tier awarded"),
                "certification.revoke": _("Tier revoked"),
                "certification.disqualify": _("High-tech status cancelled"),
                "certification.leave_echelons": _("Left the echelons"),
                "certification.renewal_marked": _("Award marked as a renewal"),
                "ladder_reminder.send": _("Ladder reminder sent"),
                "certification.expire": _("Tier expired"),
                "hnte_report.record": _("高企 annual report recorded"),
                "echelon.assess": _("Yearly assessment"),
                "enterprise_fact.record": _("Pre-check fact recorded"),
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
                "rd_institution.update": _("R&D institution changed"),
                "rd_institution.import": _("R&D institutions imported"),
                "loan.record": _("Loan recorded"),
                "carrier.create": _("Innovation carrier registered"),
                "carrier.update": _("Innovation carrier changed"),
                "carrier.import": _("Innovation carriers imported"),
                "carrier_year.save": _("Carrier yearly figures saved"),
                "carrier_year.delete": _("Carrier yearly figures deleted"),
                "carrier_year.import": _("Carrier yearly figures imported"),
                "agreement.create": _("Cooperation agreement recorded"),
                "agreement.update": _("Cooperation agreement changed"),
                "agreement.import": _("Cooperation agreements imported"),
                "cooperation_visit.record": _("Cooperation follow-up visit recorded"),
                "alliance.create": _("Alliance recorded"),
                "alliance.update": _("Alliance changed"),
                "alliance.import": _("Alliances imported"),
                "registration.submit": _("Account registration submitted"),
                "registration.approve": _("Account registration approved"),
                "registration.refuse": _("Account registration refused"),
                "ip_item.create": _("IP item recorded"),
                "ip_item.update": _("IP item changed"),
                "ip_item.import": _("IP register imported"),
                "tech_transfer.record": _("Technology transfer recorded"),
                "tech_transfer.delete": _("Technology transfer deleted"),
                "staff_roster.import": _("Staff roster imported"),
                "enterprise.above_scale_confirm": _("Confirmed above designated size"),
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
