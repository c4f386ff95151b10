"""The dashboard shows the computed contract counts by direction and the
newly reporting R&D units beside the amounts (issue 15 item 2: "amount and
count"): 0006 created them off the headline board, so neither /dashboard/
nor /api/v1/dashboard/ listed them."""

from django.db import migrations

CODES = ["contract_out_n", "contract_in_n", "rd_new_reporting"]


def forwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=CODES).update(
        is_headline=True
    )


def backwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=CODES).update(
        is_headline=False
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0012_comparison_groups_and_default_indicators")]

    operations = [migrations.RunPython(forwards, backwards)]
