"""The default ladder. 高企 and 科小 are the national rungs the rules define
(RULES §2, §3); 旭日计划 and 雏鹰 are the Hangzhou/拱墅 examples of local
rungs, editable in the admin (RULES §6)."""

from django.db import migrations

TIERS = [
    # code, name, level, rank, echelons, validity, years
    ("xuri", "旭日计划", "district", 10, True, "until_revoked", None),
    ("chuying", "雏鹰计划企业", "municipal", 20, False, "until_revoked", None),
    ("tech_sme", "科技型中小企业", "provincial", 30, False, "evaluation_year", None),
    ("hnte", "国家高新技术企业", "national", 40, False, "years", 3),
]


def forwards(apps, schema_editor):
    Tier = apps.get_model("enterprises", "Tier")
    for code, name, level, rank, echelons, validity, years in TIERS:
        Tier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "rank": rank,
                "has_echelons": echelons,
                "validity": validity,
                "validity_years": years,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_registry_ladder_returns")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
