"""Inspections as the API shows them and what a client sends to run one.

The outputs read what the inspection selectors return (a list row with its progress counts, the checklist
with its answers and findings, the order), in the fixed number of queries those selectors make. The inputs,
as the pages' forms, only parse: the services decide (an item not on the checklist, a kind the role may not
run, a checklist that does not exist), and their errors name the field.
"""

import uuid

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hazards.api.fields import ScopedPrimaryKeyField
from hazards.api.serializers.briefs import (
    EnterpriseBriefSerializer,
    RegionBriefSerializer,
    UserBriefSerializer,
)
from hazards.api.serializers.hazards import CriterionBriefSerializer
from hazards.api.serializers.workflow import DB_ID, HazardCreateSerializer, ServiceInput, text
from hazards.models import Enterprise, Hazard, Role, User
from inspections.api.serializers.checklists import ChecklistBriefSerializer
from inspections.models import (
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)
from inspections.selectors.inspections import SCOPES, ChecklistRow

# The most co-inspectors one inspection is started with: more is a mistake, not a team.
MAX_CO_INSPECTORS = 20


# --- Reading --------------------------------------------------------------------------------------------


class OrderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationOrder
        fields = ["id", "number", "issued_at"]
        read_only_fields = fields


class InspectionListSerializer(serializers.ModelSerializer):
    """A row of the inspection list, with its progress (uses the counts inspection_list annotates and the
    rows it selects with the inspection, so a page of any size is read in the same queries)."""

    enterprise = EnterpriseBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True)
    checklist = ChecklistBriefSerializer(read_only=True)
    item_count = serializers.IntegerField(read_only=True, help_text="Items on the checklist.")
    answered_count = serializers.IntegerField(read_only=True, help_text="Items answered so far.")
    finding_count = serializers.IntegerField(read_only=True, help_text="Hazards the inspection logged.")
    kind = serializers.ChoiceField(choices=InspectionKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=InspectionStatus.choices, read_only=True)
    order = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "region",
            "kind",
            "date",
            "status",
            "checklist",
            "item_count",
            "answered_count",
            "finding_count",
            "order",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OrderBriefSerializer(allow_null=True))
    def get_order(self, inspection: Inspection) -> dict | None:
        order = getattr(inspection, "order", None)  # selected with the row: no query
        return OrderBriefSerializer(order).data if order else None


class FindingInspectionField(serializers.PrimaryKeyRelatedField):
    """The inspection a hazard was found in, null where the reader may not see it (an enterprise, while a
    covert inspection of it runs)."""

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value: Inspection) -> int | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_enterprise_user", False) and not value.shown_to_enterprise:
            return None
        return value.pk


def hazard_finding_fields() -> dict[str, serializers.Field]:
    """The inspection a hazard was found in and its checklist item, as the hazard's detail shows them (null
    for a hazard logged outside an inspection): the fields inspections adds to the hazards API."""
    return {
        "inspection": FindingInspectionField(source="finding.inspection", read_only=True, allow_null=True),
        "checklist_item": serializers.PrimaryKeyRelatedField(
            source="finding.checklist_item", read_only=True, allow_null=True
        ),
    }


class FindingSerializer(serializers.ModelSerializer):
    """A hazard an inspection logged, as its checklist shows it."""

    checklist_item = serializers.PrimaryKeyRelatedField(
        source="finding.checklist_item", read_only=True, allow_null=True, label=capfirst(_("checklist item"))
    )

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "level",
            "status",
            "description",
            "location",
            "deadline",
            "checklist_item",
            "repeat_of",
            "found_at",
        ]
        read_only_fields = fields


class ChecklistRowSerializer(serializers.Serializer):
    """One checklist item of an inspection, with its answer (null until answered) and its hazards."""

    id = serializers.IntegerField(source="item.pk", read_only=True)
    number = serializers.CharField(source="item.number", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    criterion = CriterionBriefSerializer(source="item.clause", read_only=True, allow_null=True)
    answer = serializers.ChoiceField(choices=ItemAnswer.choices, read_only=True, allow_null=True)
    note = serializers.SerializerMethodField()
    hazards = FindingSerializer(many=True, read_only=True)

    def get_note(self, row: ChecklistRow) -> str:
        return row.result.note if row.result else ""


class InspectionEventSerializer(serializers.ModelSerializer):
    """A line of the inspection's record."""

    actor = UserBriefSerializer(read_only=True)

    class Meta:
        model = InspectionEvent
        fields = ["kind", "actor", "at", "comment", "data"]
        read_only_fields = fields


class InspectionDetailSerializer(serializers.Serializer):
    """The inspection with its checklist, answers, findings and order, read by inspection_checklist."""

    id = serializers.IntegerField(source="inspection.pk", read_only=True)
    enterprise = EnterpriseBriefSerializer(source="inspection.enterprise", read_only=True)
    region = RegionBriefSerializer(source="inspection.region", read_only=True)
    kind = serializers.ChoiceField(choices=InspectionKind.choices, source="inspection.kind", read_only=True)
    date = serializers.DateField(source="inspection.date", read_only=True)
    status = serializers.ChoiceField(
        choices=InspectionStatus.choices, source="inspection.status", read_only=True
    )
    notes = serializers.CharField(source="inspection.notes", read_only=True)
    started_by = UserBriefSerializer(source="inspection.started_by", read_only=True)
    inspectors = UserBriefSerializer(source="inspection.inspectors.all", many=True, read_only=True)
    checklist = ChecklistBriefSerializer(source="inspection.checklist", read_only=True)
    created_at = serializers.DateTimeField(source="inspection.created_at", read_only=True)
    completed_at = serializers.DateTimeField(
        source="inspection.completed_at", read_only=True, allow_null=True
    )
    cancelled_at = serializers.DateTimeField(
        source="inspection.cancelled_at", read_only=True, allow_null=True
    )
    cancel_reason = serializers.CharField(source="inspection.cancel_reason", read_only=True)
    events = InspectionEventSerializer(
        many=True, read_only=True, help_text="The record: answers changed, the cancelling, oldest first."
    )
    item_count = serializers.IntegerField(read_only=True)
    answered_count = serializers.IntegerField(read_only=True)
    items = ChecklistRowSerializer(source="rows", many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True, help_text="Every hazard logged, in order found.")
    order = OrderBriefSerializer(read_only=True, allow_null=True)
    can_work = serializers.BooleanField(
        read_only=True,
        help_text="Whether you may answer, log findings and complete it now: "
        "one of its inspectors, while it is in progress.",
    )


class ItemResultSerializer(serializers.ModelSerializer):
    """An answer given to a checklist item."""

    answered_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = ItemResult
        fields = ["id", "inspection", "item", "answer", "note", "answered_by", "answered_at"]
        read_only_fields = fields


class OrderHazardSerializer(serializers.ModelSerializer):
    """A hazard as the rectification order lists it."""

    criterion = CriterionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "level",
            "status",
            "description",
            "location",
            "measures",
            "deadline",
            "responsible_person",
            "criterion",
        ]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    """The rectification order (责令限期整改指令书) an inspection issued, with the hazards it orders fixed."""

    enterprise = EnterpriseBriefSerializer(source="inspection.enterprise", read_only=True)
    region = RegionBriefSerializer(read_only=True)
    issued_by = UserBriefSerializer(read_only=True)
    hazards = OrderHazardSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationOrder
        fields = ["id", "number", "inspection", "enterprise", "region", "issued_at", "issued_by", "hazards"]
        read_only_fields = fields


# --- Query parameters -----------------------------------------------------------------------------------


class InspectionListQuerySerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=list(SCOPES),
        required=False,
        help_text="An inspector's: the inspections taken part in (mine, by default) or all of the region.",
    )


# --- Writing --------------------------------------------------------------------------------------------


def _role(context: dict) -> str | None:
    """The requesting user's role; None without one (the schema's generator has an anonymous user)."""
    user = getattr(context.get("request"), "user", None)
    return getattr(user, "role", None)


class UUIDTextField(serializers.UUIDField):
    """A UUID sent as text: DRF's field would also take a number as a UUID, which no device makes."""

    def to_internal_value(self, data) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class InspectionStartSerializer(ServiceInput):
    """Start an inspection: an inspector at an enterprise of the region, an enterprise user at its own."""

    enterprise = ScopedPrimaryKeyField(
        Enterprise,
        required=False,
        pk_field=serializers.IntegerField(**DB_ID),
        help_text="Required for an inspector; an enterprise user's is always of its own enterprise.",
    )
    kind = serializers.ChoiceField(
        choices=InspectionKind.choices,
        required=False,
        help_text="Required for an inspector (any kind but self_inspection); "
        "an enterprise user's is always self_inspection.",
    )
    checklist = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The checklist's id; blank: the checklist of the enterprise's sector.",
        **DB_ID,
    )
    date = serializers.DateField(required=False, allow_null=True, help_text="Blank: today.")
    co_inspectors = serializers.ListField(
        child=serializers.IntegerField(**DB_ID),
        required=False,
        max_length=MAX_CO_INSPECTORS,
        help_text="Ids of other active inspectors of your scope (an inspector's only).",
    )
    notes = text(required=False, default="")

    def get_fields(self) -> dict:
        fields = super().get_fields()
        if _role(self.context) == Role.ENTERPRISE:
            # An enterprise only inspects itself, alone: what it would choose here is ignored.
            for name in ("enterprise", "kind", "co_inspectors"):
                del fields[name]
        return fields

    def validate(self, attrs: dict) -> dict:
        if _role(self.context) != Role.ENTERPRISE:
            missing = {
                name: [self.fields[name].error_messages["required"]]
                for name in ("enterprise", "kind")
                if attrs.get(name) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs

    def service_kwargs(self) -> dict:
        """The keyword arguments of inspection_start(...): an enterprise user's own enterprise and kind."""
        user: User = self.context["request"].user
        data = self.validated_data
        own = user.role == Role.ENTERPRISE
        return {
            "enterprise_id": user.enterprise_id if own else data["enterprise"].pk,
            "kind": InspectionKind.SELF_INSPECTION if own else data["kind"],
            "checklist_id": data.get("checklist"),
            "date": data.get("date"),
            "co_inspector_ids": () if own else tuple(data.get("co_inspectors") or ()),
            "notes": data["notes"],
        }


class ItemAnswerSerializer(ServiceInput):
    item = serializers.IntegerField(help_text="The checklist item's id.", **DB_ID)
    answer = serializers.ChoiceField(choices=ItemAnswer.choices)
    note = text(required=False, default="")

    def service_kwargs(self) -> dict:
        data = self.validated_data
        return {"item_id": data["item"], "answer": data["answer"], "note": data["note"]}


class InspectionCancelSerializer(ServiceInput):
    reason = text(max_length=500, help_text="Why the inspection, started by mistake, is cancelled.")

    def service_kwargs(self) -> dict:
        return {"reason": self.validated_data["reason"]}


class FindingCreateSerializer(HazardCreateSerializer):
    """A finding of the inspection, logged as a hazard at its enterprise: the fields of a hazard, its item,
    and the idempotency key the device made for it, so a resend logs nothing twice."""

    # The inspection decides the enterprise and the source.
    enterprise = None
    source = None
    idempotency_key = UUIDTextField(
        help_text="A fresh UUID per finding; the same key sent again answers with the hazard it made (200)."
    )
    item = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The checklist item that failed; it is recorded as failed if not answered yet.",
        **DB_ID,
    )

    def get_fields(self) -> dict:
        # Not HazardCreateSerializer's: this serializer has no enterprise field to drop.
        fields = ServiceInput.get_fields(self)
        if _role(self.context) == Role.ENTERPRISE:
            # As on the finding page: only an inspector fixes on the spot, so these are ignored.
            for name in ("fixed_on_spot", "after_photos"):
                del fields[name]
        return fields

    def validate(self, attrs: dict) -> dict:
        return attrs  # the inspection's enterprise: none to require

    def service_kwargs(self) -> dict:
        """The keyword arguments of finding_log(...) besides the actor and the inspection."""
        data = self.validated_data
        return {
            "idempotency_key": data["idempotency_key"],
            "item_id": data.get("item"),
            **self.hazard_fields(),
        }


class IdempotencyKeySerializer(serializers.Serializer):
    """Only the key of a finding: what a resend to a completed inspection is answered by."""

    idempotency_key = UUIDTextField()
