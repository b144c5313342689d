"""Hazard counts kept beside the hazard table, so dashboards and the ledger's tabs read a few thousand rows
instead of counting a province's million hazards at every request.

The lifecycle services keep them current in the same transaction as the move (hazards.services.counts);
`manage.py hazard_counts --check` compares them with a fresh count and `--rebuild` recounts them.
"""

from django.db import models

from hazards.models.hazards import HazardLevel, HazardStatus
from hazards.models.scoping import ScopedQuerySet

# The statuses whose hazards are counted by deadline: the ones that can still go overdue or wait for review.
ACTIVE_STATUSES = (HazardStatus.OPEN, HazardStatus.SUBMITTED)


class CountQuerySet(ScopedQuerySet):
    """Counts are seen by region users for their subtree and by administrators; enterprises count raw."""

    region_code_lookup = "region__code"

    def scope_condition(self, user):
        if user.is_region_user:
            return super().scope_condition(user)
        return models.Q(pk__in=[])


class ActiveHazardCount(models.Model):
    """How many hazards of a region, sector and level are open or awaiting review, by deadline."""

    region = models.ForeignKey("hazards.Region", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("hazards.Sector", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=8, choices=HazardLevel.choices)
    status = models.CharField(max_length=10, choices=HazardStatus.choices)
    deadline = models.DateField()
    hazards = models.IntegerField(default=0)

    objects = CountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sector", "level", "status", "deadline"], name="active_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.sector_id}/{self.level}/{self.status}/{self.deadline}: {self.hazards}"


class MonthlyHazardCount(models.Model):
    """The hazards of a region, sector and level found and closed in one month (local time).

    found_closed and found_void are the hazards found that month that are now closed or void; closed and
    closed_on_time count by the month of closing.
    """

    region = models.ForeignKey("hazards.Region", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("hazards.Sector", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=8, choices=HazardLevel.choices)
    month = models.DateField(help_text="The first day of the month.")
    found = models.IntegerField(default=0)
    found_closed = models.IntegerField(default=0)
    found_void = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)

    objects = CountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "sector", "level", "month"], name="monthly_count_key"),
        ]
        indexes = [models.Index(fields=["month"], name="monthly_count_month")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.sector_id}/{self.level}/{self.month:%Y-%m}: {self.found} found"


# The two kinds of count row, by name: the model, its key and its counters.
COUNT_MODELS = {"active": ActiveHazardCount, "monthly": MonthlyHazardCount}
KEYS = {
    "active": ("region_id", "sector_id", "level", "status", "deadline"),
    "monthly": ("region_id", "sector_id", "level", "month"),
}
COUNTERS = {
    "active": ("hazards",),
    "monthly": ("found", "found_closed", "found_void", "closed", "closed_on_time"),
}
