from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every audit action code the indicators app writes, with its label.
ACTION_LABELS = {
    "indicator.create": _("Indicator created"),
    "indicator_value.set": _("Indicator value entered"),
    "indicator_value.import": _("Indicator value imported"),
    "indicator_value.compute": _("Indicator value computed"),
    "indicator_import.upload": _("Indicator import uploaded"),
    "indicator_import.apply": _("Indicator import applied"),
    "indicator_import.rollback": _("Indicator import rolled back"),
    "target.set": _("Target set"),
    "tech_contract.create": _("Technology contract registered"),
    "tech_contract.update": _("Technology contract changed"),
    "tech_contract.import": _("Technology contracts imported"),
    "achievement.create": _("Achievement recorded"),
    "achievement.update": _("Achievement changed"),
    "achievement.import": _("Achievements imported"),
    "rd_unit.create": _("Unit added to the R&D statistics ledger"),
    "rd_unit.update": _("R&D statistics unit changed"),
    "rd_unit.import": _("R&D statistics ledger imported"),
    "rd_unit.status": _("R&D statistics status recorded"),
}


def recompute_on_business_change(sender: Any, *, year: int, **kwargs: Any) -> None:
    """Enterprises and projects announce changes to data that computed
    indicators count; recompute that year once the transaction commits."""
    from indicators.services.computed import recompute_later

    recompute_later(year)


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from bureau.audit import register_action_labels
        from bureau.signals import business_data_changed

        register_action_labels(ACTION_LABELS)
        # A flush (a transactional test, `manage.py flush`) empties the default
        # indicator set its migration wrote; put it back as migrate does.
        post_migrate.connect(
            default_indicators_ensure, sender=self, dispatch_uid="indicators_defaults"
        )
        business_data_changed.connect(
            recompute_on_business_change, dispatch_uid="indicators_recompute"
        )
        from bureau.services.jobs import JobKind, plan_at, register_job_kind

        register_job_kind(
            JobKind(
                "indicators.work_summary",
                title=_("Work summary (Word)"),
                queue="export",
                plan=plan_at("indicators.views.summary.work_summary_export"),
            )
        )
        for kind, title, plan in (
            ("contracts", _("Technology contract list export"), "contract"),
            ("achievements", _("Achievement list export"), "achievement"),
        ):
            register_job_kind(
                JobKind(
                    f"indicators.{kind}",
                    title=title,
                    queue="export",
                    plan=plan_at(f"indicators.views.contracts.{plan}_list_export"),
                )
            )
        register_job_kind(
            JobKind(
                "indicators.import",
                title=_("Indicator import"),
                queue="import",
                run=_import_job_run,
                result_template="indicators/_job_import_result.html",
            )
        )

        self._connect_dashboard_cache()

        # The contracts an enterprise bought or sold, as figures reward rules
        # read (projects may not import indicators).
        from enterprises.selectors import register_annual_figure
        from indicators.selectors.reward_figures import REWARD_FIGURES

        for code, reader in REWARD_FIGURES.items():
            register_annual_figure(code, reader)

    def _connect_dashboard_cache(self) -> None:
        """Drop the cached dashboard when what it shows changes: the services'
        signal (bulk writes included), and saves of indicators, targets and
        org units (the admin too)."""
        from django.db.models.signals import post_delete, post_save

        from bureau.models import OrgUnit
        from indicators.models import Indicator, Target
        from indicators.selectors.dashboard_cache import dashboard_cache_invalidate
        from indicators.signals import indicator_data_changed

        indicator_data_changed.connect(
            dashboard_cache_invalidate, dispatch_uid="indicators_dashboard_cache"
        )
        for model in (Indicator, Target, OrgUnit):
            for signal in (post_save, post_delete):
                signal.connect(
                    dashboard_cache_invalidate,
                    sender=model,
                    dispatch_uid=f"indicators_dashboard_cache_{model.__name__}",
                )


def _import_job_run(job: Any, progress: Any) -> Any:
    from indicators.services.imports import import_job_run

    return import_job_run(job, progress)


def default_indicators_ensure(sender: object, apps: Any = None, **kwargs: Any) -> None:
    """Write the default indicator set (the data migrations below) when none
    exists."""
    from importlib import import_module

    from django.apps import apps as global_apps

    registry = apps or global_apps
    if registry.get_model("indicators", "Indicator").objects.exists():
        return
    for name, function in (
        ("0002_default_indicators", "forwards"),
        ("0004_upward_indicators", "forwards"),
        ("0006_ledger_indicators", "forwards"),
        ("0008_computed_indicator_schedules", "forwards"),
        ("0010_rd_institution_coverage", "add_indicator"),
        ("0012_comparison_groups_and_default_indicators", "forwards"),
        ("0013_headline_contract_counts", "forwards"),
    ):
        migration = import_module(f"indicators.migrations.{name}")
        getattr(migration, function)(registry, None)
