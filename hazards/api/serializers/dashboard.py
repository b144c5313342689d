"""The dashboard's figures as the dashboard page shows them (hazards.selectors.dashboard), each with the
ledger's filters that give exactly the hazards it counts: on the ledger page (`url`) and in the API
(`api_url`)."""

from django.urls import reverse
from rest_framework import serializers

from hazards.api.serializers.briefs import RegionBriefSerializer
from hazards.selectors.dashboard import Figure, GroupRow


def absolute(context: dict, path: str) -> str:
    """The path as an absolute URL of the request's host (the path alone without a request).

    Not DRF's reverse(), which would carry the request's ?format= over into the link."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="What the figure counts, in the language of the request.")
    value = serializers.IntegerField(help_text="How many hazards.")
    url = serializers.CharField(help_text="The ledger page filtered to exactly the hazards counted.")
    api_url = serializers.SerializerMethodField(
        help_text="The API's hazard list (GET /api/v1/hazards/) with the same filters."
    )
    alarm = serializers.BooleanField(help_text="A figure that should be zero (dynamically zero) and is not.")

    def get_api_url(self, figure: Figure) -> str:
        query = figure.url.removeprefix(reverse("hazard_list"))
        return absolute(self.context, reverse("api:hazard-list") + query)


class RateSerializer(FigureSerializer):
    value = serializers.FloatField(
        allow_null=True, help_text="A percentage, to one decimal; null when there is nothing to rate."
    )


class HeadlineSerializer(serializers.Serializer):
    open = FigureSerializer(help_text="Open hazards.")
    overdue = FigureSerializer(help_text="Open hazards past their deadline.")
    major_open = FigureSerializer(help_text="Open major hazards.")
    major_overdue = FigureSerializer(help_text="Open major hazards past their deadline.")
    listed = FigureSerializer(help_text="Hazards listed for supervision (and not delisted).")
    closed_quarter = FigureSerializer(help_text="Hazards closed this quarter.")
    rectification_rate = RateSerializer(
        help_text="Of the hazards found in the last 12 months (less the voided), the share closed."
    )
    on_time_rate = RateSerializer(help_text="Of the hazards closed this quarter, the share closed on time.")
    review_late = FigureSerializer(help_text="Hazards awaiting review longer than the review clock.")


class GroupRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The child region's code, or the sector's code.")
    name = serializers.CharField()
    url = serializers.CharField(
        allow_null=True, help_text="The child region's dashboard page; null for a sector."
    )
    api_url = serializers.SerializerMethodField(
        help_text="The child region's dashboard in the API; null for a sector."
    )
    open = FigureSerializer()
    overdue = FigureSerializer()
    major_open = FigureSerializer()
    listed = FigureSerializer()
    bar_percent = serializers.IntegerField(
        help_text="Open, as a share of the largest open count of the table."
    )
    overdue_percent = serializers.IntegerField(
        help_text="Overdue, as a share of the largest open count of the table."
    )

    def get_api_url(self, row: GroupRow) -> str | None:
        if row.url is None:
            return None
        return absolute(self.context, reverse("api:dashboard-region", args=[row.key]))


class TrendSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField(), help_text="The last 12 months, YYYY-MM.")
    found = serializers.ListField(child=serializers.IntegerField(), help_text="Hazards found, by month.")
    closed = serializers.ListField(child=serializers.IntegerField(), help_text="Hazards closed, by month.")
    found_label = serializers.CharField()
    closed_label = serializers.CharField()


class OldestMajorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    enterprise = serializers.CharField(help_text="The enterprise's name.")
    responsible_person = serializers.CharField()
    deadline = serializers.DateField()
    days_overdue = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    region = RegionBriefSerializer(allow_null=True, help_text="The region shown; null for every region.")
    breadcrumbs = RegionBriefSerializer(
        many=True, help_text="The region's ancestors in your scope, from the top."
    )
    today = serializers.DateField()
    quarter_start = serializers.DateField()
    year_start = serializers.DateField(help_text="The first day of the trend's first month.")
    headline = HeadlineSerializer()
    children = GroupRowSerializer(many=True, help_text="The region's direct children (none for a county).")
    sectors = GroupRowSerializer(
        many=True, help_text="The sectors with open or listed hazards, most open first."
    )
    trend = TrendSerializer(help_text="Hazards found and closed per month, the last 12 months.")
    ages = FigureSerializer(many=True, help_text="Overdue hazards by days past the deadline.")
    oldest_major = OldestMajorSerializer(
        many=True, help_text="The oldest overdue major hazards, oldest first."
    )
