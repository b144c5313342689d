from hazards.models.audit import AppendOnlyError, AuditAction, AuditEvent
from hazards.models.counts import ActiveHazardCount, MonthlyHazardCount
from hazards.models.criteria import Clause, Standard, StandardScope
from hazards.models.enterprises import Enterprise, EnterpriseStatus, RiskColour
from hazards.models.evidence import Evidence, EvidenceKind, EvidenceStage
from hazards.models.extensions import ExtensionRequest, ExtensionStatus
from hazards.models.hazards import Hazard, HazardLevel, HazardSource, HazardState, HazardStatus
from hazards.models.ledger import ExportFormat, ExportState, LedgerExport
from hazards.models.major import ProductionSuspension, RectificationPlan, SupervisionListing
from hazards.models.notices import Channel, DeliveryState, Notice, NoticeDelivery, NoticeKind
from hazards.models.rankings import (
    EntryKind,
    ListMark,
    RankingConfiguration,
    RankingDeduction,
    RankingEntry,
    RankingRun,
)
from hazards.models.regions import Region, RegionLevel
from hazards.models.sectors import Sector
from hazards.models.statistics import QuarterlyStatistics
from hazards.models.timeline import EventKind, HazardEvent
from hazards.models.users import REGION_ROLES, Role, User

__all__ = [
    "REGION_ROLES",
    "ActiveHazardCount",
    "AppendOnlyError",
    "AuditAction",
    "AuditEvent",
    "Channel",
    "Clause",
    "DeliveryState",
    "Enterprise",
    "EnterpriseStatus",
    "EntryKind",
    "EventKind",
    "Evidence",
    "EvidenceKind",
    "EvidenceStage",
    "ExportFormat",
    "ExportState",
    "ExtensionRequest",
    "ExtensionStatus",
    "Hazard",
    "HazardEvent",
    "HazardLevel",
    "HazardSource",
    "HazardState",
    "HazardStatus",
    "LedgerExport",
    "ListMark",
    "MonthlyHazardCount",
    "Notice",
    "NoticeDelivery",
    "NoticeKind",
    "ProductionSuspension",
    "QuarterlyStatistics",
    "RankingConfiguration",
    "RankingDeduction",
    "RankingEntry",
    "RankingRun",
    "RectificationPlan",
    "Region",
    "RegionLevel",
    "RiskColour",
    "Role",
    "Sector",
    "Standard",
    "StandardScope",
    "SupervisionListing",
    "User",
]
