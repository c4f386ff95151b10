"""The bureau's indicator set (RULES §5.1, DESIGN §1). Staff add more in
the admin; ratios are numerator ÷ denominator × factor."""

from decimal import Decimal

from django.db import migrations

RAW = [
    # code, name, unit, aggregation, ytd, district_only, source, headline
    ("rd_spending", "全社会R&D经费支出", "万元", "last", True, False, "import", True),
    ("gdp", "地区生产总值", "万元", "last", True, True, "import", False),
    ("ent_rd", "规上工业企业R&D经费支出", "万元", "last", True, False, "import", False),
    (
        "ent_revenue",
        "规上工业企业主营业务收入",
        "万元",
        "last",
        True,
        False,
        "import",
        False,
    ),
    ("hitech_va", "高新技术产业增加值", "万元", "last", True, False, "import", False),
    ("industry_va", "规上工业增加值", "万元", "last", True, False, "import", False),
    ("new_hnte", "新认定国家高新技术企业", "家", "sum", False, False, "new_hnte", True),
    ("tech_sme", "科技型中小企业", "家", "last", False, False, "tech_sme_count", True),
    ("invention_patents", "有效发明专利", "件", "last", False, False, "import", False),
    ("hv_patents", "高价值发明专利", "件", "last", False, False, "import", False),
    ("population", "常住人口", "万人", "last", False, False, "import", False),
    ("tech_contracts", "技术合同成交额", "万元", "sum", False, False, "import", True),
    (
        "project_funds",
        "争取上级科技项目资金",
        "万元",
        "sum",
        False,
        True,
        "project_funds",
        True,
    ),
    ("tech_loans", "科技贷款发放额", "万元", "sum", False, False, "tech_loans", True),
]
RATIOS = [
    # code, name, unit, numerator, denominator, factor, district_only, headline
    ("rd_intensity", "R&D经费投入强度", "%", "rd_spending", "gdp", "100", True, True),
    (
        "ent_rd_share",
        "企业R&D经费占主营业务收入比重",
        "%",
        "ent_rd",
        "ent_revenue",
        "100",
        False,
        True,
    ),
    (
        "hitech_share",
        "高新技术产业增加值占规上工业增加值比重",
        "%",
        "hitech_va",
        "industry_va",
        "100",
        False,
        True,
    ),
    (
        "patents_per_10k",
        "每万人口发明专利拥有量",
        "件",
        "invention_patents",
        "population",
        "1",
        False,
        False,
    ),
    (
        "hv_patents_per_10k",
        "每万人口高价值发明专利拥有量",
        "件",
        "hv_patents",
        "population",
        "1",
        False,
        True,
    ),
]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    order = 0
    for code, name, unit, aggregation, ytd, district_only, source, headline in RAW:
        order += 10
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": aggregation,
                "ytd": ytd,
                "district_only": district_only,
                "source": source,
                "is_headline": headline,
                "sort_order": order,
            },
        )
    for (
        code,
        name,
        unit,
        numerator,
        denominator,
        factor,
        district_only,
        headline,
    ) in RATIOS:
        order += 10
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": "ratio",
                "factor": Decimal(factor),
                "numerator": Indicator.objects.get(code=numerator),
                "denominator": Indicator.objects.get(code=denominator),
                "district_only": district_only,
                "is_headline": headline,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
