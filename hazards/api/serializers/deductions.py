"""Ranking deductions as the API shows them, the list's filters, and what a supervisor enters."""

from rest_framework import serializers

from hazards.api.serializers.briefs import RegionBriefSerializer, UserBriefSerializer
from hazards.api.serializers.workflow import text
from hazards.models import RankingDeduction, Region
from hazards.services.rankings.deductions import MAX_COUNT
from hazards.services.statistics import FIRST_YEAR

QUARTER_NUMBERS = [1, 2, 3, 4]
LAST_YEAR = 9999  # a quarter is written with a four-digit year (2026Q3)


class RankingDeductionSerializer(serializers.ModelSerializer):
    """A region's accidents and deaths of a quarter, with the reason and who entered them."""

    region = RegionBriefSerializer(read_only=True)
    entered_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = RankingDeduction
        fields = [
            "id",
            "year",
            "quarter",
            "region",
            "accidents",
            "deaths",
            "veto",
            "reason",
            "entered_by",
            "entered_at",
        ]
        read_only_fields = fields


class DeductionFilterSerializer(serializers.Serializer):
    """The list's query parameters; a value it refuses is a 400 naming the parameter."""

    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = serializers.ChoiceField(choices=QUARTER_NUMBERS, required=False)


class DeductionEnterSerializer(serializers.Serializer):
    """Enter (or correct) a region's accidents and deaths of a quarter; the service checks the rest (a
    region of the scope below the province, a quarter begun, a reason given)."""

    region = serializers.CharField(
        max_length=Region._meta.get_field("code").max_length,
        help_text="The six-digit code of a city or county of your scope.",
    )
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = serializers.ChoiceField(choices=QUARTER_NUMBERS, help_text="1 to 4, a quarter that has begun.")
    accidents = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, default=0)
    deaths = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, default=0)
    veto = serializers.BooleanField(
        default=False, help_text="To the black list whatever the score (a major accident)."
    )
    reason = text(help_text="What happened: kept with the deduction.")

    def service_kwargs(self) -> dict:
        """ranking_deduction_enter's arguments (besides the actor): the quarter written as 2026Q3."""
        data = self.validated_data
        return {
            "quarter": f"{data['year']}Q{data['quarter']}",
            "region_code": data["region"],
            "accidents": data["accidents"],
            "deaths": data["deaths"],
            "veto": data["veto"],
            "reason": data["reason"],
        }
