"""Excel files of the ladder (梯队): the funnel and the renewals due."""

from __future__ import annotations

from typing import Any

from bureau.lib import xlsx


def funnel_export(
    *,
    years: list[int],
    rows: list[dict[str, Any]],
    conversion: list[dict[str, Any]],
) -> bytes:
    """The ladder funnel page as a workbook: per tier and year the awards
    (renewals included), the first awards among them and the enterprises
    holding the tier at year end; then each year's cohort (first awards) and how
    many reached a higher tier within 1, 2 and 3 years ("—" for a window that
    has not closed)."""
    counts_columns = [xlsx.Column("梯队", 16)]
    for year in years:
        counts_columns += [
            xlsx.Column(f"{year}年认定（含重新认定，家）", 16, kind="int"),
            xlsx.Column(f"{year}年其中首次（家）", 14, kind="int"),
            xlsx.Column(f"{year}年末持有（家）", 14, kind="int"),
        ]
    counts = [
        [
            row["name"],
            *(n for c in row["cells"] for n in (c["awarded"], c["first"], c["held"])),
        ]
        for row in rows
    ]
    conversion_columns = (
        xlsx.Column("认定年度", 10, kind="int"),
        xlsx.Column("梯队", 16),
        xlsx.Column("当年首次认定（家）", 16, kind="int"),
        xlsx.Column("晋升至", 16),
        xlsx.Column("1年内", 14),
        xlsx.Column("2年内", 14),
        xlsx.Column("3年内", 14),
    )
    climbed = [
        [c["year"], c["tier_name"], c["cohort"], name, *cells]
        for c in conversion
        for name, cells in c["reached"]
    ]
    return xlsx.write_xlsx(
        [
            xlsx.Sheet("梯队企业数", counts_columns, counts),
            xlsx.Sheet("梯队晋升", conversion_columns, climbed),
        ]
    )


def renewals_export(rows: list[dict[str, Any]]) -> bytes:
    """The 重新认定 list as a workbook: one row per 高企 certificate ending in
    the year, with its application window and the pre-check."""
    columns = (
        xlsx.Column("企业名称", 30),
        xlsx.Column("统一社会信用代码", 22),
        xlsx.Column("街道（园区）", 14),
        xlsx.Column("证书编号", 18),
        xlsx.Column("发证日期", 12, kind="date"),
        xlsx.Column("到期日期", 12, kind="date"),
        xlsx.Column("申报期开始", 12, kind="date"),
        xlsx.Column("申报期结束", 12, kind="date"),
        xlsx.Column("重新认定预审", 40),
        xlsx.Column("已提醒", 8),
    )
    data = [
        [
            r["name"],
            r["credit_code"],
            r["street"],
            r["number"],
            r["issued_on"],
            r["expires_on"],
            r["opens"],
            r["closes"],
            r["verdict"],
            "是" if r["reminded"] else "否",
        ]
        for r in rows
    ]
    return xlsx.write_xlsx([xlsx.Sheet("重新认定", columns, data)])
