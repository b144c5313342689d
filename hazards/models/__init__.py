from hazards.models.enterprises import Enterprise, EnterpriseStatus, RiskColour
from hazards.models.regions import Region, RegionLevel
from hazards.models.sectors import Sector
from hazards.models.users import REGION_ROLES, Role, User

__all__ = [
    "REGION_ROLES",
    "Enterprise",
    "EnterpriseStatus",
    "Region",
    "RegionLevel",
    "RiskColour",
    "Role",
    "Sector",
    "User",
]
