from inspections.models.catalogue import Clause, Standard, StandardScope
from inspections.models.checklists import ChecklistItem, ChecklistTemplate, ChecklistVersion
from inspections.models.inspections import (
    Inspection,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistVersion",
    "Clause",
    "Inspection",
    "InspectionKind",
    "InspectionStatus",
    "ItemAnswer",
    "ItemResult",
    "RectificationOrder",
    "Standard",
    "StandardScope",
]
