"""factory_boy factories of the talent app, for tests that need rows but do
not test the service that writes them (those call the service)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from talent.models import (
    AllowanceRule,
    Commissioner,
    Degree,
    ServiceLog,
    Talent,
    TalentProgramme,
)


class TalentFactory(factory.django.DjangoModelFactory):
    """A person without ID number or phone (those are only ever set, encrypted,
    by talent_create)."""

    class Meta:
        model = Talent

    name = factory.Sequence(lambda n: f"人才{n}")
    degree = Degree.DOCTORATE
    nationality = "CN"


class TalentProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProgramme

    name = factory.Sequence(lambda n: f"人才计划{n}")
    level = TalentProgramme.Level.DISTRICT
    kind = TalentProgramme.Kind.HIGH_LEVEL


class AllowanceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowanceRule

    degree = Degree.DOCTORATE
    monthly_amount = Decimal("5000")
    months = 2


class CommissionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commissioner

    kind = Commissioner.Kind.INDIVIDUAL
    name = factory.Sequence(lambda n: f"特派员{n}")
    sending_organisation = "浙江工业大学"
    term_start = date(2025, 4, 1)
    term_end = date(2026, 3, 31)


class ServiceLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLog

    commissioner = factory.SubFactory(CommissionerFactory)
    served_on = date(2025, 6, 1)
    kind = ServiceLog.Kind.RND
    count = 1
