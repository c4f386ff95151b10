"""The ledgers' workbooks: the contract, achievement and R&D statistics lists
as shown, and the import templates. Data in, bytes out; amounts in 万元 like the pages
and the office's own workbooks."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from bureau.lib.money import wan_amount
from bureau.lib.xlsx import Column, Sheet, write_xlsx
from indicators.ledger_imports import (
    ACHIEVEMENT_COLUMNS,
    CONTRACT_COLUMNS,
    RD_COLUMNS,
    STAGE_NAMES,
    WAY_NAMES,
    template_columns,
)
from indicators.models import Achievement, RDReportingUnit, TechContract


def contracts_export(contracts: Iterable[TechContract]) -> bytes:
    """The contracts in the import template's columns, then direction and
    streets, so an export can be corrected and imported again."""
    columns = [
        *template_columns(CONTRACT_COLUMNS),
        Column(_("Direction"), width=12),
        Column(_("Seller's street"), width=14),
        Column(_("Buyer's street"), width=14),
    ]
    rows = (
        [
            c.registration_number,
            c.name,
            c.get_kind_display(),
            c.seller_name,
            c.seller_credit_code,
            c.buyer_name,
            c.buyer_credit_code,
            c.buyer_location,
            wan_amount(c.contract_amount),
            wan_amount(c.transaction_amount),
            c.registered_on,
            c.get_direction_display(),
            c.seller_street.name if c.seller_street else "",
            c.buyer_street.name if c.buyer_street else "",
        ]
        for c in contracts
    )
    return write_xlsx([Sheet(_("Technology contracts"), columns, rows)])


def contracts_template() -> bytes:
    example = [
        "2025330105000123",
        "工业陶瓷烧结工艺优化技术开发",
        "技术开发",
        "杭州示例新材料有限公司",
        "",
        "浙江大学",
        "",
        "浙江省杭州市",
        120,
        100,
        "2025-06-30",
    ]
    return write_xlsx(
        [
            Sheet(
                _("Technology contracts"), template_columns(CONTRACT_COLUMNS), [example]
            )
        ]
    )


def achievements_export(achievements: Iterable[Achievement]) -> bytes:
    """The achievements in the import template's columns (stage and way by
    their Chinese names, amounts in 万元), then the owner's street, which the
    import ignores, so an export can be corrected and imported again."""
    columns = [
        *template_columns(ACHIEVEMENT_COLUMNS),
        Column(_("street or park"), width=14),
    ]
    rows = (
        [
            a.title,
            a.owner.name,
            a.owner.credit_code,
            a.field,
            STAGE_NAMES[a.stage][0],
            WAY_NAMES[a.way][0] if a.way else "",
            "、".join(sorted(c.registration_number for c in a.contracts.all())),
            wan_amount(a.new_output_value),
            a.jobs,
            a.patents,
            a.started_on,
            a.pilot_on,
            a.industrialised_on,
            a.note,
            a.owner.org_unit.name,
        ]
        for a in achievements
    )
    return write_xlsx([Sheet(_("Achievements"), columns, rows)])


def achievements_template() -> bytes:
    example = [
        "高导热氮化铝陶瓷基板制备技术",
        "杭州示例新材料有限公司",
        "",
        "新材料",
        "中试",
        "合作实施",
        "2025330105000123",
        500,
        12,
        3,
        "2025-03-01",
        "2025-09-15",
        "",
        "",
    ]
    return write_xlsx(
        [Sheet(_("Achievements"), template_columns(ACHIEVEMENT_COLUMNS), [example])]
    )


def rd_units_export(units: Iterable[RDReportingUnit]) -> bytes:
    columns = [
        *template_columns(RD_COLUMNS),
        Column(_("status"), width=12),
        Column(_("R&D spending reported (10k yuan)"), kind="money"),
        Column(_("reported on"), kind="date", width=12),
        Column(_("note"), width=30),
    ]
    rows = (
        [
            u.unit_name,
            u.credit_code,
            u.org_unit.name,
            _("yes") if u.is_above_scale else _("no"),
            wan_amount(u.last_year_amount),
            u.get_status_display(),
            wan_amount(u.amount),
            u.reported_on,
            u.note,
        ]
        for u in units
    )
    return write_xlsx([Sheet(_("R&D statistics ledger"), columns, rows)])


def rd_units_template() -> bytes:
    example = ["杭州示例精密机械有限公司", "", "", "是", 350]
    return write_xlsx(
        [Sheet(_("R&D statistics ledger"), template_columns(RD_COLUMNS), [example])]
    )
