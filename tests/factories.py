"""factory_boy factories. Realistic, minimal, and deterministic enough for assertions."""

import datetime as dt

import factory

from blkportal.registry.models import Centre, HostType, Kejuruan, Regency, Role, RoleAssignment, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.id")
    password = factory.django.Password("rahasia-uji-123")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        skip_postgeneration_save = True

    reg_code = factory.Sequence(lambda n: f"BLKK-T{n:05d}")
    name = factory.Sequence(lambda n: f"BLK Komunitas Uji {n}")
    host_name = factory.Sequence(lambda n: f"Pondok Pesantren Uji {n}")
    host_type = HostType.PESANTREN
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="32.04"))
    cohort_year = 2019
    activated_on = dt.date(2019, 7, 1)

    @factory.post_generation
    def kejuruan(self, create, extracted, **kwargs):
        if create and extracted:
            self.kejuruan.set(extracted)


def kejuruan(code="teknik-las"):
    return Kejuruan.objects.get(code=code)


def give_role(user, role, centre=None, province=None):
    return RoleAssignment.objects.create(user=user, role=role, centre=centre, province_id=province)


__all__ = ["UserFactory", "CentreFactory", "give_role", "kejuruan", "Role"]
