import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0011 so that PostgreSQL alters the tables in a transaction
    of their own, after the rows were converted."""

    dependencies = [("enterprises", "0015_organisation_kinds_types_cooperation")]

    operations = [
        # A default first, so that going back re-adds the column on rows
        # that exist (0011's reverse then fills it from the type).
        migrations.AlterField(
            model_name="carrier",
            name="kind",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
        migrations.AlterField(
            model_name="rdinstitution",
            name="kind",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
        migrations.RemoveField(model_name="carrier", name="kind"),
        migrations.RemoveField(model_name="rdinstitution", name="kind"),
        migrations.AlterField(
            model_name="carrier",
            name="type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="carriers",
                to="enterprises.carriertype",
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="rdinstitution",
            name="type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="institutions",
                to="enterprises.institutiontype",
                verbose_name="type",
            ),
        ),
    ]
