"""Checklists as the API shows them: reference data every signed-in user reads to run an inspection."""

from rest_framework import serializers

from inspections.models import ChecklistItem, ChecklistTemplate


class ChecklistBriefSerializer(serializers.Serializer):
    """The checklist an inspection runs: its template and the version it was started with."""

    id = serializers.IntegerField(source="template_id", read_only=True, help_text="The checklist's id.")
    name = serializers.CharField(source="template.name", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)


class ChecklistSerializer(serializers.ModelSerializer):
    """A checklist template with its sector and the number of its current version."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.IntegerField(
        source="current_version_number", read_only=True, help_text="The current version's number."
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "name", "sector", "version"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    criterion = serializers.IntegerField(
        source="clause_id", read_only=True, allow_null=True, help_text="The major-hazard criterion's id."
    )

    class Meta:
        model = ChecklistItem
        fields = ["id", "number", "text", "criterion"]
        read_only_fields = fields


class ChecklistDetailSerializer(ChecklistSerializer):
    """A checklist with the items of its current version, which a new inspection runs."""

    # The view reads the current version's items onto the template (`current_items`).
    items = ChecklistItemSerializer(source="current_items", many=True, read_only=True)

    class Meta(ChecklistSerializer.Meta):
        fields = [*ChecklistSerializer.Meta.fields, "items"]
        read_only_fields = fields
