"""The major-hazard criteria catalogue: official determination standards and their numbered clauses.

Its tables keep the names they were created with (inspections_*): the catalogue moved here, its rows did not.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.lib.calendar import local_today


class StandardScope(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")


class StandardQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> "StandardQuerySet":
        on = on or local_today()
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class Standard(models.Model):
    """An official standard for determining major accident hazards in one sector (重大事故隐患判定标准)."""

    # One standard may serve several sectors: hazardous chemicals and fireworks share one, for instance.
    sectors = models.ManyToManyField(
        "hazards.Sector",
        verbose_name=_("sectors"),
        related_name="standards",
        db_table="inspections_standard_sectors",
    )
    number = models.CharField(_("official number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("scope"), max_length=10, choices=StandardScope.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        db_table = "inspections_standard"
        verbose_name = _("major-hazard standard")
        verbose_name_plural = _("major-hazard standards")
        ordering = ["-effective_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="standard_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ClauseQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> "ClauseQuerySet":
        return self.filter(standard__in=Standard.objects.in_force(on))

    def of_sector(self, sector) -> "ClauseQuerySet":
        return self.filter(standard__sectors=sector)


class Clause(models.Model):
    """A numbered clause of a standard: a hazard that matches it is a major hazard (a criterion)."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="clauses"
    )
    number = models.CharField(_("clause number"), max_length=32)
    text = models.TextField(_("text"))
    summary_en = models.CharField(_("English summary"), max_length=255, blank=True)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        db_table = "inspections_clause"
        verbose_name = _("major-hazard criterion")
        verbose_name_plural = _("major-hazard criteria")
        ordering = ["standard", "id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="clause_number_unique_per_standard"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.number} {self.number}"
