"""The technology contracts as annual figures per enterprise, for the reward
rules of projects ("技术合同吸纳额按10%补助，最高50万元"). Projects may not
import indicators, so IndicatorsConfig.ready registers these readers with
enterprises.selectors.register_annual_figure under the codes below, the
values of projects' RewardRule.Figure.

A contract counts in the year it was registered, for its technical
transaction amount (技术交易额), with the party of the registry that bought
it (吸纳) or sold it (输出); a contract between two of the district's
parties counts for both."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from indicators.ledgers import BOTH, INFLOW, OUTFLOW
from indicators.models import TechContract

CONTRACTS_ABSORBED = "tech_contract_absorbed"
CONTRACTS_OUTPUT = "tech_contract_output"
FEN = Decimal("0.01")


def _by_party(year: int, party: str, direction: str) -> dict[int, Decimal]:
    rows = (
        TechContract.objects.filter(
            registered_on__year=year,
            direction__in=[direction, BOTH],
            **{f"{party}__isnull": False},
        )
        .order_by()
        .values_list(party)
        .annotate(total=Sum("transaction_amount"))
        .values_list(party, "total")
    )
    return {pk: (total or Decimal(0)).quantize(FEN) for pk, total in rows}


def contracts_absorbed_by_enterprise(year: int) -> dict[int, Decimal]:
    """{enterprise id: technical transaction amount (元) of the contracts it
    bought, registered in `year`} (技术合同吸纳)."""
    return _by_party(year, "buyer", INFLOW)


def contracts_output_by_enterprise(year: int) -> dict[int, Decimal]:
    """{enterprise id: technical transaction amount (元) of the contracts it
    sold, registered in `year`} (技术合同输出)."""
    return _by_party(year, "seller", OUTFLOW)


# {code: reader}: what IndicatorsConfig.ready registers.
REWARD_FIGURES = {
    CONTRACTS_ABSORBED: contracts_absorbed_by_enterprise,
    CONTRACTS_OUTPUT: contracts_output_by_enterprise,
}
