"""Quarterly hazard statistics as the API shows them, the quarter asked for, and a confirmation's body."""

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework import serializers

from hazards.api.serializers.briefs import (
    EnterpriseBriefSerializer,
    RegionBriefSerializer,
    SectorSerializer,
    UserBriefSerializer,
)
from hazards.api.serializers.inputs import text
from hazards.domain.calendar import local_today, previous_quarter
from hazards.models import QuarterlyStatistics
from hazards.models.statistics import COUNT_FIELDS, QUARTERS
from hazards.services.statistics import FIRST_YEAR
from hazards.views.statistics_pages import PeriodForm


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
        last = previous_quarter(local_today())
        period = {"year": attrs.get("year", last[0]), "quarter": attrs.get("quarter", last[1])}
        form = PeriodForm(period, last=last)  # the page's rules: no year after this one, a quarter ended
        if not form.is_valid():
            errors = {
                "quarter" if name == NON_FIELD_ERRORS else name: messages
                for name, messages in form.errors.items()
            }
            raise serializers.ValidationError(errors)
        return {"year": form.cleaned_data["year"], "quarter": form.cleaned_data["quarter"]}


class ConfirmSerializer(serializers.Serializer):
    """The principal person's name the enterprise confirms its report with (the service refuses a blank)."""

    principal_name = text(
        required=False,
        default="",
        max_length=QuarterlyStatistics._meta.get_field("principal_name").max_length,
    )
