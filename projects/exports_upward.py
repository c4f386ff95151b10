"""Excel of the higher-level projects: the list as its page shows it, money
in 万元. Its first columns are those of the outcome import
(projects.services.upward.OUTCOME_COLUMNS): export the waiting projects,
fill in 立项结果, 立项日期, 上级文号 and the amounts, and import it back.
And the reserve (储备库) as its page lists it, whose columns are also
its import template."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from bureau.lib.money import wan_amount
from bureau.lib.xlsx import Column, Sheet, write_xlsx
from projects.models import ReserveProject, UpwardProject

UPWARD_COLUMNS = [
    Column("编号", width=8, kind="int", required=True),
    Column("立项结果", width=10, required=True),
    Column("立项日期", width=12, kind="date", required=True),
    Column("上级文号", width=22),
    Column("上级资助（万元）", width=14, kind="money"),
    Column("区级配套（万元）", width=14, kind="money"),
    Column("状态", width=12),
    Column("项目名称", width=36),
    Column("企业", width=30),
    Column("街道", width=14),
    Column("级别", width=8),
    Column("科技计划", width=24),
    Column("年度", width=8, kind="int"),
    Column("推荐文号", width=22),
    Column("推荐日期", width=12, kind="date"),
    Column("中期检查日期", width=12, kind="date"),
    Column("中期检查结果", width=12),
    Column("验收日期", width=12, kind="date"),
    Column("验收结果", width=10),
    Column("新增产值（万元）", width=14, kind="money"),
    Column("新增就业（人）", width=12, kind="int"),
    Column("专利申请（件）", width=12, kind="int"),
    Column("专利授权（件）", width=12, kind="int"),
    Column("其他成果", width=30),
]
OUTCOME_WORD = {
    UpwardProject.State.APPROVED: "立项",
    UpwardProject.State.ACCEPTED: "立项",
    UpwardProject.State.FAILED: "立项",
    UpwardProject.State.NOT_APPROVED: "未立项",
}


def upward_projects_export(projects: Iterable[UpwardProject]) -> bytes:
    rows = []
    for p in projects:
        app = p.application
        rows.append(
            [
                p.pk,
                OUTCOME_WORD.get(p.state, ""),  # type: ignore[call-overload]
                p.decided_on,
                p.higher_document_number,
                wan_amount(p.funds_from_above),
                wan_amount(p.local_match),
                p.get_state_display(),
                app.title,
                app.enterprise.name,
                app.enterprise.org_unit.name if app.enterprise.org_unit else "",
                app.call.programme.get_level_display(),
                app.call.programme.name,
                app.call.year,
                p.recommendation.document_number,
                p.recommendation.recommended_on,
                p.midterm_on,
                p.get_midterm_result_display(),
                p.acceptance_on,
                p.get_acceptance_result_display(),
                wan_amount(p.new_output_value),
                p.new_jobs,
                p.patents_filed,
                p.patents_granted,
                p.other_results,
            ]
        )
    return write_xlsx([Sheet("向上争取项目", UPWARD_COLUMNS, rows)])


# Also the reserve import's template (projects.services.upward
# .RESERVE_IMPORT_COLUMNS reads these headers; the red ones must be filled
# in): an exported file can be edited and imported back.
RESERVE_COLUMNS = [
    Column("编号", width=8, kind="int"),
    Column("项目名称", width=36, required=True),
    Column("企业", width=30, required=True),
    Column("街道", width=14),
    Column("目标级别", width=10, required=True),
    Column("目标计划", width=24),
    Column("预计申报年度", width=12, kind="int", required=True),
    Column("计划申请金额（万元）", width=16, kind="money", required=True),
    Column("状态", width=12),
    Column("转入的申报项目", width=30),
    Column("项目简介", width=40, required=True),
    Column("入库日期", width=12, kind="date"),
    Column("统一社会信用代码", width=22),
]
RESERVE_EXAMPLE = [
    None,
    "氢燃料电池双极板精密成形技术研发",
    "杭州示例科技有限公司",
    "",
    "省级",
    "省重点研发计划",
    None,  # the coming year, filled in when the template is made
    300,
    "",
    "",
    "研制金属双极板精密成形工艺，建设中试线。",
    None,
    "91330105MA2XXXXXXX",
]


def reserve_export(reserves: Iterable[ReserveProject]) -> bytes:
    """The reserve (储备库) as its page lists it, money in 万元."""
    rows = []
    for r in reserves:
        unit = r.enterprise.org_unit
        rows.append(
            [
                r.pk,
                r.title,
                r.enterprise.name,
                unit.name if unit else "",
                r.get_target_level_display(),
                r.target_programme.name if r.target_programme else "",
                r.expected_year,
                wan_amount(r.planned_amount),
                r.get_status_display(),
                r.application.title if r.application else "",
                r.summary,
                timezone.localtime(r.created_at).date(),
                r.enterprise.credit_code,
            ]
        )
    return write_xlsx([Sheet("项目储备库", RESERVE_COLUMNS, rows)])


def reserve_import_template() -> bytes:
    """The export's columns with one example row to overwrite: fill in the
    red columns, amounts in 万元; 编号, 街道, 状态 and the dates are not read."""
    example = list(RESERVE_EXAMPLE)
    example[6] = timezone.localdate().year + 1
    return write_xlsx([Sheet("项目储备库", RESERVE_COLUMNS, [example])])
