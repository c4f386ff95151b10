"""The dashboard shows the computed contract counts by direction and the
newly reporting R&D units beside the amounts (issue 15 item 2: "amount and
count"): 0006 created them off the headline board, so neither /dashboard/
nor /api/v1/dashboard/ listed them."""

from django.core.cache import cache
from django.db import migrations

CODES = ["contract_out_n", "contract_in_n", "rd_new_reporting"]
# The dashboard cache's version token (indicators.selectors.dashboard_cache):
# an update() sends no save signal, so the boards cached before are dropped
# here by starting a new version.
DASHBOARD_VERSION_KEY = "indicators:dashboard:version"


def _drop_cached_boards():
    try:
        cache.delete(DASHBOARD_VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache down at migrate time holds nothing to drop
        pass


def forwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=CODES).update(
        is_headline=True
    )
    _drop_cached_boards()


def backwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=CODES).update(
        is_headline=False
    )
    _drop_cached_boards()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0012_comparison_groups_and_default_indicators")]

    operations = [migrations.RunPython(forwards, backwards)]
