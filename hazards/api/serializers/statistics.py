"""Quarterly hazard statistics as the API shows them, the quarter asked for, and a confirmation's body."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from rest_framework import serializers

from hazards.api.serializers.briefs import (
    EnterpriseBriefSerializer,
    RegionBriefSerializer,
    SectorSerializer,
    UserBriefSerializer,
)
from hazards.api.serializers.workflow import text
from hazards.lib.calendar import local_today, previous_quarter
from hazards.models import QuarterlyStatistics
from hazards.models.statistics import COUNT_FIELDS, QUARTERS
from hazards.services.statistics import FIRST_YEAR


class QuarterlyStatisticsSerializer(serializers.ModelSerializer):
    """One enterprise's figures for one quarter, as the statistics page and its CSV show them."""

    enterprise = EnterpriseBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, help_text="The region the report was filed in.")
    sector = SectorSerializer(read_only=True)
    found = serializers.IntegerField(read_only=True, help_text="General and major hazards found.")
    rectified = serializers.IntegerField(read_only=True, help_text="General and major hazards rectified.")
    confirmed_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = QuarterlyStatistics
        fields = [
            "id",
            "year",
            "quarter",
            "enterprise",
            "region",
            "sector",
            *COUNT_FIELDS,
            "found",
            "rectified",
            "generated_at",
            "confirmed_at",
            "confirmed_by",
            "principal_name",
        ]
        read_only_fields = fields


class PeriodFilterSerializer(serializers.Serializer):
    """The quarter asked for, as the statistics page takes it: by default the last quarter that ended (a
    year or a quarter alone takes the other from it); a quarter not yet ended is a 400 naming `quarter`."""

    year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, help_text="From 2000 to this year; the last ended by default."
    )
    quarter = serializers.ChoiceField(
        choices=[number for number, _label in QUARTERS],
        required=False,
        help_text="1 to 4, a quarter that has ended; the last ended by default.",
    )

    def validate(self, attrs: dict) -> dict:
        """The page's rules too: no year after the last quarter that ended, and a quarter that has ended."""
        last = previous_quarter(local_today())
        year, quarter = attrs.get("year", last[0]), attrs.get("quarter", last[1])
        try:
            MaxValueValidator(last[0])(year)  # Django's words for it, as the page's form says them
        except DjangoValidationError as error:
            raise serializers.ValidationError({"year": error.messages}) from error
        if (year, quarter) > last:
            raise serializers.ValidationError({"quarter": [_("That quarter has not ended yet.")]})
        return {"year": year, "quarter": quarter}


class ConfirmSerializer(serializers.Serializer):
    """The principal person's name the enterprise confirms its report with (the service refuses a blank)."""

    principal_name = text(
        required=False,
        default="",
        max_length=QuarterlyStatistics._meta.get_field("principal_name").max_length,
    )
