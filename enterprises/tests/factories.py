from __future__ import annotations

from datetime import date

import factory

from bureau.tests.factories import OrgUnitFactory
from enterprises.models import Certification, Enterprise, Tier
from enterprises.services import certification_create
from enterprises.validators import credit_code_for_serial


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: credit_code_for_serial(n + 1000))
    name = factory.Sequence(lambda n: f"杭州测试科技有限公司{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)


def award(
    enterprise: Enterprise,
    tier: Tier,
    issued_on: date,
    *,
    year: int | None = None,
    echelon: int | None = None,
) -> Certification:
    """Award `tier` through the service, for the year it is issued in unless
    `year` says otherwise."""
    return certification_create(
        by=None,
        enterprise=enterprise,
        tier=tier,
        year=issued_on.year if year is None else year,
        issued_on=issued_on,
        echelon=echelon,
    )
