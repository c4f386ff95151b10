"""Fill the list of professional fields (the eight 高新技术领域 and their
sub-fields) and map the old free-text values onto it: a text that is a
field's name points at that field; anything else is left empty and
reported on the console (so the administrator can set it by hand)."""

from django.db import migrations

from projects.fields import field_rows, split_names


def _report(kind: str, pk: int, text: str) -> None:
    print(f"\n  专业领域未能匹配，已留空：{kind} #{pk}：{text}")  # noqa: T201


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Field = apps.get_model("projects", "ProfessionalField")
    Expert = apps.get_model("projects", "Expert")
    Call = apps.get_model("projects", "Call")
    Application = apps.get_model("projects", "Application")
    by_code = {}
    for code, name, parent in field_rows():
        by_code[code], _created = Field.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": by_code.get(parent)},
        )
    by_name = {}
    for field in sorted(by_code.values(), key=lambda f: f.code, reverse=True):
        by_name[field.name] = field  # a top-level name wins over a sub-field

    def one(names):  # type: ignore[no-untyped-def]
        """The field a list of names means: the only one, or the parent all
        of them share; None when they disagree or one is unknown."""
        found = [by_name.get(n) for n in names]
        if not found or None in found:
            return None
        if len({f.pk for f in found}) == 1:
            return found[0]
        tops = {f.parent_id or f.pk for f in found}
        if len(tops) == 1:
            return Field.objects.get(pk=tops.pop())
        return None

    for expert in Expert.objects.exclude(fields_text=""):
        names = split_names(expert.fields_text)
        known = [by_name[n] for n in names if n in by_name]
        expert.fields.set(known)
        if len(known) != len(names):
            _report("专家", expert.pk, expert.fields_text)
    for call in Call.objects.exclude(fields_text=""):
        call.field = one(split_names(call.fields_text))
        call.save(update_fields=["field"])
        if call.field is None:
            _report("申报通知", call.pk, call.fields_text)
    for app in Application.objects.exclude(field_text=""):
        app.field = one(split_names(app.field_text))
        app.save(update_fields=["field"])
        if app.field is None:
            _report("项目申报", app.pk, app.field_text)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Expert = apps.get_model("projects", "Expert")
    Call = apps.get_model("projects", "Call")
    Application = apps.get_model("projects", "Application")
    for expert in Expert.objects.all():
        expert.fields_text = ",".join(f.name for f in expert.fields.all())[:200]
        expert.save(update_fields=["fields_text"])
    for call in Call.objects.filter(field__isnull=False).select_related("field"):
        call.fields_text = call.field.name
        call.save(update_fields=["fields_text"])
    for app in Application.objects.filter(field__isnull=False).select_related("field"):
        app.field_text = app.field.name[:50]
        app.save(update_fields=["field_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_professional_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
