from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_professional_fields_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="expert", name="fields_text"),
        migrations.RemoveField(model_name="call", name="fields_text"),
        migrations.RemoveField(model_name="application", name="field_text"),
    ]
