"""factory_boy factories for the register: regions, enterprises and users of every role."""

import factory

from hazards.credit_code import ALPHABET, check_character
from hazards.models import Enterprise, Region, RegionLevel, RiskColour, Role, Sector, User

PASSWORD = "secret-pass-1"


def credit_code_for(region_code: str, serial: int) -> str:
    """A valid code: enterprise legal person (9, 1), the region, and a nine-character organisation code."""
    organisation = "".join(ALPHABET[(serial // 31**i) % 31] for i in range(9))
    first17 = f"91{region_code}{organisation}"
    return first17 + check_character(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{11 + n % 80:02d}0000")
    name = factory.LazyAttribute(lambda r: f"Region {r.code}")
    level = RegionLevel.PROVINCE
    parent = None


def sector(code: str = "urban-gas") -> Sector:
    return Sector.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    credit_code = factory.LazyAttributeSequence(lambda e, n: credit_code_for(e.region.code, n))
    sector = factory.LazyFunction(sector)
    address = "1 Safety Road"
    principal_name = "Zhang San"
    principal_phone = "024-12345678"
    risk_colour = RiskColour.YELLOW


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


def inspector(region: Region, **kwargs) -> User:
    return UserFactory(role=Role.INSPECTOR, region=region, **kwargs)


def supervisor(region: Region, **kwargs) -> User:
    return UserFactory(role=Role.SUPERVISOR, region=region, **kwargs)


def enterprise_user(enterprise: Enterprise, **kwargs) -> User:
    return UserFactory(role=Role.ENTERPRISE, enterprise=enterprise, **kwargs)


def administrator(**kwargs) -> User:
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, **kwargs)
