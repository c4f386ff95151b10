"""The computed indicators of the technology-contract register and the R&D
statistics ledger (issue 15): contract amount and count by direction, units
reporting R&D spending, newly reporting units, and the share of 规上
enterprises on the ledger with R&D spending."""

from decimal import Decimal

from django.db import migrations

RAW = [
    # code, name, unit, source, headline
    ("contract_out", "技术合同成交额（输出）", "万元", "contract_out_amt", True),
    ("contract_in", "技术合同成交额（吸纳）", "万元", "contract_in_amt", True),
    ("contract_out_n", "技术合同登记数（输出）", "项", "contract_out_n", False),
    ("contract_in_n", "技术合同登记数（吸纳）", "项", "contract_in_n", False),
    ("rd_reporting", "研发经费出报单位数", "家", "rd_reporting", True),
    ("rd_new_reporting", "新增研发经费出报单位数", "家", "rd_new_reporting", False),
    ("rd_above_active", "有研发活动的规上企业数", "家", "rd_above_active", False),
    ("rd_above_units", "研发统计名录内规上企业数", "家", "rd_above_units", False),
]
COVERAGE = ("rd_above_coverage", "规上企业研发活动覆盖率", "%")


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    order = 500
    for code, name, unit, source, headline in RAW:
        order += 10
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": "last",
                "source": source,
                "is_headline": headline,
                "sort_order": order,
            },
        )
    code, name, unit = COVERAGE
    Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "kind": "ratio",
            "factor": Decimal(100),
            "numerator": Indicator.objects.get(code="rd_above_active"),
            "denominator": Indicator.objects.get(code="rd_above_units"),
            "aggregation": "last",
            "is_headline": True,
            "sort_order": order + 10,
        },
    )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    codes = [row[0] for row in RAW] + [COVERAGE[0]]
    DataValue = apps.get_model("indicators", "DataValue")
    DataValue.objects.filter(indicator__code__in=codes).delete()
    apps.get_model("indicators", "Target").objects.filter(
        indicator__code__in=codes
    ).delete()
    Indicator.objects.filter(code=COVERAGE[0]).delete()
    Indicator.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_ledgers_contracts_achievements_rd_statistics")]

    operations = [migrations.RunPython(forwards, backwards)]
