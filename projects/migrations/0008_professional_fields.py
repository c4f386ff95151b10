"""The shared list of professional fields (专业领域): the model, and the
expert, call and application fields pointing at it. The free-text columns
are kept as *_text until 0006 has mapped them and 0007 drops them (three
steps: PostgreSQL refuses to alter a table with pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_entitlement_paid"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProfessionalField",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "code",
                    models.CharField(max_length=10, unique=True, verbose_name="code"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "is_active",
                    models.BooleanField(default=True, verbose_name="active"),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="projects.professionalfield",
                        verbose_name="parent field",
                    ),
                ),
            ],
            options={
                "verbose_name": "professional field",
                "verbose_name_plural": "professional fields",
                "ordering": ["code"],
            },
        ),
        migrations.RenameField("expert", "fields", "fields_text"),
        migrations.RenameField("call", "fields", "fields_text"),
        migrations.RenameField("application", "field", "field_text"),
        migrations.AddField(
            model_name="expert",
            name="fields",
            field=models.ManyToManyField(
                blank=True,
                related_name="experts",
                to="projects.professionalfield",
                verbose_name="professional fields",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="field",
            field=models.ForeignKey(
                blank=True,
                help_text="Reviewers are drawn from experts in this field or its parent; leave empty for every field.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="projects.professionalfield",
                verbose_name="professional field",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="field",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="projects.professionalfield",
                verbose_name="professional field",
            ),
        ),
    ]
