from inspections.models.checklists import ChecklistItem, ChecklistTemplate, ChecklistVersion
from inspections.models.findings import Finding
from inspections.models.inspections import (
    Inspection,
    InspectionEvent,
    InspectionEventKind,
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
    "Finding",
    "Inspection",
    "InspectionEvent",
    "InspectionEventKind",
    "InspectionKind",
    "InspectionStatus",
    "ItemAnswer",
    "ItemResult",
    "RectificationOrder",
]
