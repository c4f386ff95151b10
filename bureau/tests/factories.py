from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from bureau.models import OrgUnit, Role, User

PASSWORD = "Test#Password2026"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9900{n:05d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    level = OrgUnit.Level.STREET
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    """A user of `role` in its group, with PASSWORD as password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.django.Password(PASSWORD)
    is_staff = factory.LazyAttribute(
        lambda o: o.role in (Role.BUREAU_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
    )

    @factory.post_generation
    def role_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.set([Group.objects.get(name=self.role)])
