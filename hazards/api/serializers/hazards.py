"""Hazards as the API shows them: a row of the ledger, and the whole hazard with its timeline."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from hazards.api.serializers.briefs import (
    EnterpriseBriefSerializer,
    RegionBriefSerializer,
    UserBriefSerializer,
)
from hazards.lib.contributions import HazardFields, registered
from hazards.models import (
    Clause,
    Evidence,
    ExtensionRequest,
    Hazard,
    HazardEvent,
    HazardState,
    HazardStatus,
    ProductionSuspension,
    RectificationPlan,
    SupervisionListing,
)
from hazards.services.workflow import ACTIONS, permitted_actions

# A hazard's "actions" name five actions as the API first published them, not by their keys in the action
# table: clients rely on these names.
PUBLISHED_NAMES = {
    "plan": "file_plan",
    "extension_request": "request_extension",
    "extension_decide": "decide_extension",
    "suspension": "record_suspension",
    "listing": "list",
}


def published_name(action: str) -> str:
    """The name under which a hazard's "actions" lists the action."""
    return PUBLISHED_NAMES.get(action, action)


# What a hazard's "actions" may hold: the actions taken on a logged hazard.
ACTION_NAMES = sorted(published_name(key) for key, action in ACTIONS.items() if not action.rule.at_logging)


class CriterionBriefSerializer(serializers.ModelSerializer):
    standard = serializers.CharField(source="standard.number", read_only=True)

    class Meta:
        model = Clause
        fields = ["id", "standard", "number", "text"]
        read_only_fields = fields


class HazardListSerializer(serializers.ModelSerializer):
    """A row of the ledger."""

    enterprise = EnterpriseBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state = serializers.ChoiceField(
        choices=HazardState.choices,
        read_only=True,
        help_text="What the hazard shows as its state: its status, or sent_back (已退回) for an open hazard "
        "whose rectification a review sent back.",
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    repeat = serializers.BooleanField(source="is_repeat", read_only=True)
    listed = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "enterprise",
            "region",
            "sector",
            "source",
            "level",
            "status",
            "state",
            "description",
            "location",
            "deadline",
            "original_deadline",
            "found_at",
            "submitted_at",
            "closed_at",
            "fixed_on_spot",
            "overdue",
            "repeat",
            "listed",
        ]
        read_only_fields = fields

    def get_listed(self, hazard: Hazard) -> bool:
        """Listed for supervision and not delisted (uses the selected listing)."""
        return hazard.is_listed


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UserBriefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "stage",
            "kind",
            "content_type",
            "size",
            "sha256",
            "original_name",
            "uploaded_by",
            "uploaded_at",
            "download_url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    def _url(self, name: str, evidence: Evidence) -> str:
        return reverse(name, args=[evidence.hazard_id, evidence.pk], request=self.context.get("request"))

    def get_download_url(self, evidence: Evidence) -> str:
        return self._url("api:hazard-evidence-download", evidence)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, evidence: Evidence) -> str | None:
        return self._url("api:hazard-evidence-thumbnail", evidence) if evidence.thumbnail else None


class EventSerializer(serializers.ModelSerializer):
    actor = UserBriefSerializer(read_only=True)
    # Blank on the events that keep the status (evidence added, a plan filed...).
    from_status = serializers.ChoiceField(choices=HazardStatus.choices, allow_blank=True, read_only=True)
    to_status = serializers.ChoiceField(choices=HazardStatus.choices, allow_blank=True, read_only=True)

    class Meta:
        model = HazardEvent
        fields = ["id", "kind", "actor", "from_status", "to_status", "comment", "data", "created_at"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    filed_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = RectificationPlan
        fields = [
            "responsible_person",
            "measures",
            "funds_amount",
            "deadline",
            "emergency_plan",
            "filed_by",
            "updated_at",
        ]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    listed_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = SupervisionListing
        fields = ["authority", "listed_by", "listed_at", "delisted_at"]
        read_only_fields = fields


class SuspensionSerializer(serializers.ModelSerializer):
    recorded_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = ProductionSuspension
        fields = ["id", "scope", "starts_on", "ends_on", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = UserBriefSerializer(read_only=True)
    decided_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "current_deadline",
            "requested_deadline",
            "reasons",
            "requested_by",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class HazardDetailSerializer(HazardListSerializer):
    """The whole hazard: what its page shows, and the actions the user may take on it now."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    criterion = CriterionBriefSerializer(read_only=True, allow_null=True)
    found_by = UserBriefSerializer(read_only=True)
    repeat_of = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    plan = serializers.SerializerMethodField()
    listing = serializers.SerializerMethodField()
    suspensions = SuspensionSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    timeline = EventSerializer(source="events", many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "measures",
            "responsible_person",
            "criterion",
            "found_by",
            "reviewed_on_site_at",
            "repeat_of",
            "plan",
            "listing",
            "suspensions",
            "extensions",
            "evidence",
            "timeline",
            "actions",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict:
        """The hazard's own fields, and after each anchor those other apps add (its inspection, for one)."""
        fields = super().get_fields()
        for part in registered(HazardFields):
            names = list(fields)
            position = names.index(part.after) + 1 if part.after in names else len(names)
            added = dict(part.fields())
            fields = {
                **{name: fields[name] for name in names[:position]},
                **added,
                **{name: fields[name] for name in names[position:] if name not in added},
            }
        return fields

    @extend_schema_field(PlanSerializer(allow_null=True))
    def get_plan(self, hazard: Hazard):
        plan = getattr(hazard, "plan", None)
        return PlanSerializer(plan, context=self.context).data if plan else None

    @extend_schema_field(ListingSerializer(allow_null=True))
    def get_listing(self, hazard: Hazard):
        listing = getattr(hazard, "listing", None)
        return ListingSerializer(listing, context=self.context).data if listing else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_NAMES)))
    def get_actions(self, hazard: Hazard) -> list[str]:
        """The workflow's actions the requesting user may take on the hazard now."""
        request = self.context.get("request")
        if not request:
            return []
        return sorted(published_name(key) for key in permitted_actions(hazard, request.user))
