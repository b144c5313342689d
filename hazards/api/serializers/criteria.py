"""The major-hazard criteria catalogue as the API shows it: reference data every signed-in user reads."""

from rest_framework import serializers

from hazards.models import Clause, Sector, Standard


class StandardBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ["number", "title"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    """A clause of a major-hazard determination standard: a hazard that matches it is major."""

    standard = StandardBriefSerializer(read_only=True)

    class Meta:
        model = Clause
        fields = ["id", "standard", "number", "text", "summary_en"]
        read_only_fields = fields


class CriterionQuerySerializer(serializers.Serializer):
    sector = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        required=False,
        help_text="Only the criteria of the sector with this code (e.g. urban-gas).",
    )
    in_force = serializers.BooleanField(
        default=True, help_text="true (by default): the clauses in force today; false: those that are not."
    )
