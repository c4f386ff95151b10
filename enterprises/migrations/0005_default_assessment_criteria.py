"""Default yearly assessment criteria of the district tier (旭日计划). The
district writes its own (RULES §6.4 [U]): edit them in the admin."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("revenue_growth", Decimal("0.10"), 30),
    ("rd_ratio", Decimal("0.03"), 30),
    ("rd_growth", Decimal("0.10"), 20),
    ("quarterly_filed", Decimal("4"), 20),
]


def forwards(apps, schema_editor):
    Tier = apps.get_model("enterprises", "Tier")
    Criterion = apps.get_model("enterprises", "AssessmentCriterion")
    tier = Tier.objects.filter(code="xuri").first()
    if tier is None or Criterion.objects.filter(tier=tier).exists():
        return
    for metric, threshold, points in CRITERIA:
        Criterion.objects.create(
            tier=tier, metric=metric, threshold=threshold, points=points
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_eligibility_snapshot")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
