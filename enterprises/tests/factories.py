from __future__ import annotations

import factory

from bureau.tests.factories import OrgUnitFactory
from enterprises.models import Enterprise
from enterprises.validators import credit_code_for_serial


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: credit_code_for_serial(n + 1000))
    name = factory.Sequence(lambda n: f"杭州测试科技有限公司{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
