"""Notices as the API shows them: what the inbox page lists, with the hazard or the ranking each concerns."""

from rest_framework import serializers

from hazards.models import Hazard, Notice, RankingEntry


class NoticeHazardSerializer(serializers.ModelSerializer):
    """The hazard a notice is about, as its inbox row names it (the enterprise is selected with it)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Hazard
        fields = ["id", "number", "enterprise_name"]
        read_only_fields = fields


class NoticeRankingSerializer(serializers.ModelSerializer):
    """The place a ranking notice tells: the run (by id, year and quarter), the rank and the score."""

    run = serializers.IntegerField(source="run_id", read_only=True)
    year = serializers.IntegerField(source="run.year", read_only=True)
    quarter = serializers.IntegerField(source="run.quarter", read_only=True)

    class Meta:
        model = RankingEntry
        fields = ["run", "year", "quarter", "rank", "score"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    """A notice delivered in the portal; `delivered_at` is when its in-portal delivery was made."""

    delivered_at = serializers.DateTimeField(read_only=True)
    hazard = NoticeHazardSerializer(read_only=True, allow_null=True)
    ranking = NoticeRankingSerializer(source="ranking_entry", read_only=True, allow_null=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "step",
            "created_at",
            "delivered_at",
            "read_at",
            "requires_acknowledgement",
            "acknowledged_at",
            "hazard",
            "ranking",
        ]
        read_only_fields = fields


class NoticeFilterSerializer(serializers.Serializer):
    """The list's query parameters; a value it refuses is a 400 naming the parameter."""

    unread = serializers.BooleanField(
        required=False,
        help_text="true: only the notices not yet read; false: only those read. Absent or blank: all.",
    )
