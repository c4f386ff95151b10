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
            }
        )
