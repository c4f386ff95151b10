"""Excel files of the cooperation, carrier and R&D institution registers:
import templates and list exports. Data in, bytes out, through bureau/lib/xlsx.py. The workbooks
are for Chinese users only, so their words are written here in Chinese; the
imports (enterprises/services/cooperation.py, carriers.py) read them back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bureau.lib import xlsx
from bureau.lib.xlsx import ReadColumn
from enterprises.models import Alliance

AGREEMENT_KINDS = {
    "univ_district": "校地合作",
    "univ_enterprise": "校企合作",
    "inst_district": "院地合作",
    "inst_enterprise": "院企合作",
}
ALLIANCE_KINDS = {"consortium": "创新联合体", "alliance": "产业技术创新联盟"}
LEVELS = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区级",
}
GRADES = {"excellent": "优秀", "good": "良好", "passed": "合格", "failed": "不合格"}

AGREEMENT_COLUMNS = [
    ReadColumn("title", "协议名称", required=True),
    ReadColumn("kind", "合作类型", required=True),
    ReadColumn("district_is_party", "区政府/科技局为签约方"),
    ReadColumn("parties", "区内签约单位信用代码"),
    ReadColumn("partner", "合作院校/院所", required=True),
    ReadColumn("signed_on", "签订日期", required=True),
    ReadColumn("term_ends_on", "到期日期"),
    ReadColumn("content", "合作内容"),
    ReadColumn("contact_name", "联系人"),
    ReadColumn("contact_phone", "联系电话"),
]
ALLIANCE_COLUMNS = [
    ReadColumn("name", "名称", required=True),
    ReadColumn("kind", "类型", required=True),
    ReadColumn("level", "级别", required=True),
    ReadColumn("lead", "牵头单位信用代码", required=True),
    ReadColumn("members", "成员单位信用代码"),
    ReadColumn("outside_members", "区外成员"),
    ReadColumn("founded_on", "成立日期", required=True),
    ReadColumn("field", "领域"),
]
CARRIER_YEAR_COLUMNS = [
    ReadColumn("carrier", "载体名称", required=True),
    ReadColumn("year", "年度", required=True),
    ReadColumn("incubating", "在孵企业数", required=True),
    ReadColumn("graduated", "毕业企业数"),
    ReadColumn("new_residents", "新增入驻企业数"),
    ReadColumn("grade", "考核等级"),
    ReadColumn("notes", "备注"),
]

CARRIER_COLUMNS = [
    ReadColumn("name", "载体名称", required=True),
    ReadColumn("type", "类型", required=True),
    ReadColumn("level", "级别", required=True),
    ReadColumn("org_unit", "街道/园区", required=True),
    ReadColumn("host", "运营单位信用代码或全称"),
    ReadColumn("operator", "运营单位（未在库）"),
    ReadColumn("recognised_on", "认定日期"),
]
RD_INSTITUTION_COLUMNS = [
    ReadColumn("name", "研发机构名称", required=True),
    ReadColumn("type", "类型", required=True),
    ReadColumn("level", "级别", required=True),
    ReadColumn("host", "依托单位信用代码或全称", required=True),
    ReadColumn("recognised_on", "认定日期", required=True),
    ReadColumn("source_document", "认定文件"),
]


def import_template(columns: Sequence[ReadColumn], example: Sequence[object]) -> bytes:
    """An empty sheet with the import's headers (required ones in red) and
    one example row to overwrite."""
    sheet = xlsx.Sheet(
        "导入",
        [xlsx.Column(c.header, width=20, required=c.required) for c in columns],
        [list(example)],
    )
    return xlsx.write_xlsx([sheet])


AGREEMENT_EXAMPLE = (
    "区校全面战略合作协议",
    "校地合作",
    "是",
    "",
    "浙江工业大学",
    "2026-03-18",
    "2031-03-17",
    "共建研究院、联合攻关、人才互派",
    "王老师",
    "0571-88320000",
)
ALLIANCE_EXAMPLE = (
    "运河数字安防创新联合体",
    "创新联合体",
    "市级",
    "91330105MA2XXXXXXX",
    "",
    "浙江大学、杭州电子科技大学",
    "2025-09-01",
    "数字安防",
)
CARRIER_EXAMPLE = (
    "运河智慧谷科技企业孵化器",
    "科技企业孵化器",
    "省级",
    "米市巷街道",
    "91330105MA2XXXXXXX",
    "",
    "2020-12-01",
)
RD_INSTITUTION_EXAMPLE = (
    "杭州某某智能科技有限公司企业研究院",
    "企业研究院",
    "省级",
    "91330105MA2XXXXXXX",
    "2025-11-20",
    "浙科发高〔2025〕12号",
)
CARRIER_YEAR_EXAMPLE = ("运河智慧谷科技企业孵化器", 2025, 48, 6, 12, "良好", "")


def _parties_cell(agreement: Any) -> str:
    """区内签约方 as the reader may see them: from agreement_list, `parties`
    are the reader's (a liaison: their street's) and `hidden_parties` counts
    the others, given by number only."""
    names = (["区政府/科技局"] if agreement.district_is_party else []) + [
        p.name for p in agreement.parties.all()
    ]
    hidden = getattr(agreement, "hidden_parties", 0)
    if hidden:
        names.append(f"另有{hidden}家其他街道的签约单位")
    return "、".join(names)


def agreements_export(agreements: Iterable[Any]) -> bytes:
    """The listed agreements (prefetched parties and visits) as .xlsx; a
    registered partner is given by name only."""
    columns = [
        xlsx.Column("协议名称", 36),
        xlsx.Column("合作类型", 12),
        xlsx.Column("区内签约方", 40),
        xlsx.Column("合作院校/院所", 28),
        xlsx.Column("签订日期", 12, kind="date"),
        xlsx.Column("到期日期", 12, kind="date"),
        xlsx.Column("回访次数", 10, kind="int"),
        xlsx.Column("共建平台", 30),
        xlsx.Column("联系人", 12),
        xlsx.Column("合作内容", 50),
    ]
    rows = (
        [
            a.title,
            AGREEMENT_KINDS.get(a.kind, a.kind),
            _parties_cell(a),
            a.partner_display,
            a.signed_on,
            a.term_ends_on,
            a.visit_count,
            "、".join(p.name for p in a.platforms.all()),
            a.contact_name or None,
            a.content or None,
        ]
        for a in agreements
    )
    return xlsx.write_xlsx([xlsx.Sheet("合作协议", columns, rows)])


def alliances_export(alliances: Iterable[Alliance]) -> bytes:
    columns = [
        xlsx.Column("名称", 36),
        xlsx.Column("类型", 16),
        xlsx.Column("级别", 8),
        xlsx.Column("牵头单位", 30),
        xlsx.Column("牵头单位信用代码", 22),
        xlsx.Column("成员单位", 50),
        xlsx.Column("成员单位信用代码", 40),
        xlsx.Column("区外成员", 30),
        xlsx.Column("成员数", 8, kind="int"),
        xlsx.Column("成立日期", 12, kind="date"),
        xlsx.Column("领域", 16),
    ]
    rows = []
    for a in alliances:
        # From alliance_list: `members` are those the reader may see, and
        # the lead's credit code is left out when it is another street's.
        members = list(a.members.all())
        lead_visible = getattr(a, "lead_visible", True)
        rows.append(
            [
                a.name,
                ALLIANCE_KINDS.get(a.kind, a.kind),
                LEVELS.get(a.level, a.level),
                a.lead.name,
                a.lead.credit_code if lead_visible else None,
                "、".join(m.name for m in members),
                "、".join(m.credit_code for m in members),
                "、".join(a.outside_member_names),
                1
                + getattr(a, "member_total", len(members))
                + len(a.outside_member_names),
                a.founded_on,
                a.field or None,
            ]
        )
    return xlsx.write_xlsx([xlsx.Sheet("联盟与创新联合体", columns, rows)])


def carriers_export(carriers: Iterable[Any], year: int) -> bytes:
    """The listed carriers with their figures for `year` (annotated by
    carrier_list as year_incubating …)."""
    columns = [
        xlsx.Column("载体名称", 32),
        xlsx.Column("类型", 16),
        xlsx.Column("级别", 8),
        xlsx.Column("街道/园区", 14),
        xlsx.Column("运营单位", 30),
        xlsx.Column("认定日期", 12, kind="date"),
        xlsx.Column("年度", 8, kind="int"),
        xlsx.Column("在孵企业数", 10, kind="int"),
        xlsx.Column("毕业企业数", 10, kind="int"),
        xlsx.Column("新增入驻企业数", 12, kind="int"),
        xlsx.Column("考核等级", 10),
    ]
    rows = (
        [
            c.name,
            c.type.name,
            LEVELS.get(c.level, c.level),
            c.org_unit.name,
            c.host.name if c.host_id else (c.operator or None),
            c.recognised_on,
            year,
            c.year_incubating,
            c.year_graduated,
            c.year_new_residents,
            GRADES.get(c.year_grade or "", None),
        ]
        for c in carriers
    )
    return xlsx.write_xlsx([xlsx.Sheet("双创载体", columns, rows)])


def rd_institutions_export(institutions: Iterable[Any]) -> bytes:
    """The listed R&D institutions (select_related host and its street); the
    first columns are the import's, so the file can be edited and imported
    again."""
    columns = [
        xlsx.Column("研发机构名称", 36),
        xlsx.Column("类型", 16),
        xlsx.Column("级别", 8),
        xlsx.Column("依托单位信用代码或全称", 22),
        xlsx.Column("认定日期", 12, kind="date"),
        xlsx.Column("认定文件", 24),
        xlsx.Column("依托单位", 32),
        xlsx.Column("所在街道/园区", 14),
    ]
    rows = (
        [
            i.name,
            i.type.name,
            LEVELS.get(i.level, i.level),
            i.enterprise.credit_code,
            i.recognised_on,
            i.source_document or None,
            i.enterprise.name,
            i.enterprise.org_unit.name if i.enterprise.org_unit_id else None,
        ]
        for i in institutions
    )
    return xlsx.write_xlsx([xlsx.Sheet("研发机构", columns, rows)])
