from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def recompute_on_business_change(sender: Any, *, year: int, **kwargs: Any) -> None:
    """Enterprises and projects announce changes to data that computed
    indicators count; recompute that year once the transaction commits."""
    from indicators.services.computed import recompute_later

    recompute_later(year)


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from bureau.signals import business_data_changed

        business_data_changed.connect(
            recompute_on_business_change, dispatch_uid="indicators_recompute"
        )
