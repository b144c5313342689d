"""Ranking runs (赛马) as the API shows them: a row of the list, and a run with its entries explained.

Every number comes from what the run stored; the explanation and the flags' labels are the run page's
(`selectors.rankings.explanation`, `FLAG_LABELS`), read from the entry's run without another query.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hazards.api.serializers.briefs import (
    EnterpriseBriefSerializer,
    RegionBriefSerializer,
    UserBriefSerializer,
)
from hazards.models import EntryKind, ListMark, RankingEntry, RankingRun
from hazards.selectors.rankings import FLAG_LABELS, IndicatorRow, explanation

MARKS = [ListMark.RED, ListMark.BLACK]


class RankedEnterpriseSerializer(EnterpriseBriefSerializer):
    """A ranked enterprise, with the region it is in (selected with it)."""

    region = RegionBriefSerializer(read_only=True)

    class Meta(EnterpriseBriefSerializer.Meta):
        fields = [*EnterpriseBriefSerializer.Meta.fields, "region"]
        read_only_fields = fields


class IndicatorSerializer(serializers.Serializer):
    """One indicator of an entry's score: its measure, its value and the points it brought and cost."""

    key = serializers.CharField(read_only=True)
    label = serializers.CharField(
        read_only=True, help_text="The indicator's name, in the request's language."
    )
    weight = serializers.FloatField(read_only=True, help_text="The weight the run gave it.")
    part = serializers.FloatField(read_only=True, help_text="The measure's numerator (e.g. rectified).")
    whole = serializers.FloatField(read_only=True, help_text="The measure's denominator (e.g. due).")
    value = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Per enterprise, or the rate shrunk toward the mean; null without enterprises.",
    )
    normalised = serializers.FloatField(read_only=True, help_text="The value on the run's 0-1 scale.")
    points = serializers.FloatField(read_only=True, help_text="The points it brought to the score.")
    lost = serializers.FloatField(read_only=True, help_text="The points it could have brought, but did not.")


class FlagSerializer(serializers.Serializer):
    """A count a supervisor should look at beside the score (hazards voided, closed and found again...)."""

    # Text, not an enum: an enum named after a field called "key" would collide with others in the schema.
    key = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(FLAG_LABELS)}.")
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class RankingEntrySerializer(serializers.ModelSerializer):
    """A ranked region or enterprise of a run, with every number that explains its score."""

    region = RegionBriefSerializer(read_only=True, allow_null=True)
    enterprise = RankedEnterpriseSerializer(read_only=True, allow_null=True)
    rank_change = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Places gained since last quarter (negative: lost)."
    )
    mark = serializers.SerializerMethodField()
    deduction = serializers.FloatField(
        source="deduction_points", read_only=True, help_text="Points deducted for accidents and deaths."
    )
    flags = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = RankingEntry
        fields = [
            "id",
            "kind",
            "region",
            "enterprise",
            "rank",
            "previous_rank",
            "rank_change",
            "score",
            "mark",
            "veto",
            "deduction",
            "flags",
            "explanation",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=MARKS, allow_null=True))
    def get_mark(self, entry: RankingEntry) -> str | None:
        """red (the red list, the best), black (the black list, the worst) or null."""
        return entry.mark or None

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, entry: RankingEntry) -> list[dict]:
        return [
            {"key": key, "label": str(FLAG_LABELS.get(key, key)), "count": count}
            for key, count in entry.flags.items()
        ]

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_explanation(self, entry: RankingEntry) -> list[dict]:
        """Each indicator in the formula's order; the entry's run is the one its queryset came from."""
        rows: list[IndicatorRow] = explanation(entry, entry.run)
        return IndicatorSerializer(rows, many=True).data


class ListedRegionSerializer(serializers.ModelSerializer):
    """A region on the red or the black list: its entry (id), rank, score and whether a veto put it there."""

    region = RegionBriefSerializer(read_only=True)

    class Meta:
        model = RankingEntry
        fields = ["id", "region", "rank", "score", "veto"]
        read_only_fields = fields


class RankingRunSerializer(serializers.ModelSerializer):
    """A run in the list: the quarter and scope it ranks, and whether (and by whom) it was published."""

    scope = RegionBriefSerializer(read_only=True)
    published_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RankingRun
        fields = ["id", "year", "quarter", "scope", "computed_at", "published_at", "published_by"]
        read_only_fields = fields


class ConfigurationSerializer(serializers.Serializer):
    """The ranking's configuration as the run kept it when it was computed."""

    weights = serializers.DictField(
        child=serializers.FloatField(), read_only=True, help_text="Each indicator's weight, by key."
    )
    prior_strength = serializers.FloatField(read_only=True)
    list_size = serializers.IntegerField(read_only=True)
    accident_points = serializers.FloatField(read_only=True)
    death_points = serializers.FloatField(read_only=True)


class RankingRunDetailSerializer(serializers.Serializer):
    """A run (of a RunPage): its regions by rank, explained; its red and black lists; its best enterprises."""

    id = serializers.IntegerField(source="run.pk", read_only=True)
    year = serializers.IntegerField(source="run.year", read_only=True)
    quarter = serializers.IntegerField(source="run.quarter", read_only=True)
    scope = RegionBriefSerializer(source="run.scope", read_only=True)
    computed_at = serializers.DateTimeField(source="run.computed_at", read_only=True)
    published_at = serializers.DateTimeField(source="run.published_at", read_only=True, allow_null=True)
    published_by = UserBriefSerializer(source="run.published_by", read_only=True, allow_null=True)
    configuration = ConfigurationSerializer(source="run.configuration", read_only=True)
    entries = RankingEntrySerializer(
        source="ranked", many=True, read_only=True, help_text="The regions ranked, by rank."
    )
    red = ListedRegionSerializer(many=True, read_only=True, help_text="The red list (the best), by rank.")
    black = ListedRegionSerializer(
        many=True, read_only=True, help_text="The black list (the worst), by rank."
    )
    enterprises = RankingEntrySerializer(
        many=True, read_only=True, help_text="The best enterprises (20 at most), by rank."
    )


class EntryFilterSerializer(serializers.Serializer):
    """The entries' query parameters; a value it refuses is a 400 naming the parameter."""

    kind = serializers.ChoiceField(
        choices=EntryKind.choices,
        required=False,
        help_text="Only the regions, or only the enterprises. Absent or blank: the regions, then the "
        "enterprises, each by rank.",
    )
