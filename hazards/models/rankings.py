"""The quarterly ranking (赛马): its configuration, the runs and their entries, the deductions entered."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.lib.calendar import quarter_label
from hazards.lib.ranking import WeightsInvalid, clean_weights, indicators
from hazards.models.scoping import ScopedQuerySet


def default_weights() -> dict[str, float]:
    return {indicator.key: 1.0 for indicator in indicators()}


class RankingConfiguration(models.Model):
    """The one configuration of the ranking, edited by an administrator; each run keeps a copy of it."""

    weights = models.JSONField(_("weights"), default=default_weights)
    prior_strength = models.FloatField(
        _("prior strength"),
        default=10.0,
        validators=[MinValueValidator(0)],
        help_text=_("How many hazards' worth of the mean rate every unit's rates are shrunk toward."),
    )
    list_size = models.PositiveSmallIntegerField(
        _("size of the red and black lists"), default=3, validators=[MinValueValidator(1)]
    )
    accident_points = models.FloatField(
        _("points deducted per accident"), default=5.0, validators=[MinValueValidator(0)]
    )
    death_points = models.FloatField(
        _("points deducted per death"), default=10.0, validators=[MinValueValidator(0)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ranking configuration")
        verbose_name_plural = _("ranking configuration")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="ranking_configuration_single"),
            models.CheckConstraint(condition=Q(prior_strength__gte=0), name="ranking_prior_not_negative"),
            models.CheckConstraint(condition=Q(list_size__gte=1), name="ranking_list_size_positive"),
            models.CheckConstraint(
                condition=Q(accident_points__gte=0, death_points__gte=0), name="ranking_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Ranking configuration"))

    def clean(self) -> None:
        if not isinstance(self.weights, dict):
            raise ValidationError({"weights": _("Give one weight for each indicator.")})
        try:
            clean_weights(self.weights)
        except WeightsInvalid as refused:
            raise ValidationError(
                {"weights": [f"{key}: {message}" for key, message in refused.errors.items()]}
            ) from refused

    @classmethod
    def current(cls) -> "RankingConfiguration":
        return cls.objects.get_or_create(pk=1)[0]

    def snapshot(self) -> dict:
        """What a run keeps of the configuration, to be explained after it changes."""
        return {
            "weights": clean_weights(self.weights),
            "prior_strength": self.prior_strength,
            "list_size": self.list_size,
            "accident_points": self.accident_points,
            "death_points": self.death_points,
        }


class RankingRunQuerySet(ScopedQuerySet):
    """A region user sees the runs ranking its region or a region under it; enterprises see none here."""

    region_code_lookup = "scope__code"

    def scope_condition(self, user) -> Q:
        if user.is_region_user:
            return super().scope_condition(user)
        return Q(pk__in=[])


class RankingRun(models.Model):
    """The ranking of the regions under a scope and of the enterprises in it, for one quarter.

    Computed again, a draft is replaced; a published run is never changed.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    scope = models.ForeignKey(
        "hazards.Region", verbose_name=_("scope"), on_delete=models.PROTECT, related_name="ranking_runs"
    )
    configuration = models.JSONField(_("configuration"))
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        "hazards.User",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by the outbox's drain once the notices of the published run exist; null while they are due.
    notices_created_at = models.DateTimeField(_("notices created at"), null=True, blank=True)

    objects = RankingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-year", "-quarter", "scope__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "scope"], name="ranking_run_per_quarter_scope"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="ranking_quarter_valid"),
        ]

    def __str__(self) -> str:
        return f"{quarter_label(self.year, self.quarter)} {self.scope}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class EntryKind(models.TextChoices):
    REGION = "region", _("Region")
    ENTERPRISE = "enterprise", _("Enterprise")


class ListMark(models.TextChoices):
    NONE = "", _("None")
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")


# What an entry's explanation holds for each indicator: the measure's part and whole, the value (per
# enterprise, or the shrunk rate; None without enterprises), the normalised value, the points it brought and
# the points it cost.
EXPLANATION = ("part", "whole", "value", "normalised", "points", "lost")


class RankingEntry(models.Model):
    """One ranked region or enterprise of a run, with every number that explains its score."""

    run = models.ForeignKey(
        RankingRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    region = models.ForeignKey(
        "hazards.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    enterprise = models.ForeignKey(
        "hazards.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # Per indicator, everything that explains the score: EXPLANATION's numbers, in that order.
    explanation = models.JSONField(_("explanation"))
    flags = models.JSONField(_("flags"), default=dict)
    deduction_points = models.FloatField(_("deduction"), default=0.0)
    veto = models.BooleanField(_("veto"), default=False)
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    mark = models.CharField(_("list"), max_length=5, choices=ListMark.choices, blank=True)
    costliest = models.JSONField(_("indicators that cost most"), default=list)
    previous_rank = models.PositiveIntegerField(_("rank last quarter"), null=True, blank=True)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["run", "kind", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REGION, region__isnull=False, enterprise__isnull=True)
                | Q(kind=EntryKind.ENTERPRISE, enterprise__isnull=False, region__isnull=True),
                name="ranking_entry_unit_of_its_kind",
            ),
            models.UniqueConstraint(fields=["run", "region"], name="ranking_entry_region_once"),
            models.UniqueConstraint(fields=["run", "enterprise"], name="ranking_entry_enterprise_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.rank} {self.region or self.enterprise}"

    def indicator(self, key: str) -> dict[str, float | None]:
        """One indicator's numbers by name (EXPLANATION)."""
        return dict(zip(EXPLANATION, self.explanation[key], strict=True))

    @property
    def rank_change(self) -> int | None:
        """Places gained since last quarter (negative: lost)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


class RankingDeduction(models.Model):
    """Accidents and deaths of a region in a quarter, entered by a supervisor with the reason; a veto sends
    the region to the black list whatever its score."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    region = models.ForeignKey(
        "hazards.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="ranking_deductions",
    )
    accidents = models.PositiveIntegerField(_("accidents"), default=0)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    veto = models.BooleanField(_("veto"), default=False)
    reason = models.TextField(_("reason"))
    entered_by = models.ForeignKey(
        "hazards.User", verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ranking deduction")
        verbose_name_plural = _("ranking deductions")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "region"], name="ranking_deduction_once"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="ranking_deduction_quarter"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="ranking_deduction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.region}: {self.accidents} / {self.deaths}"

    @property
    def period(self) -> str:
        return quarter_label(self.year, self.quarter)
