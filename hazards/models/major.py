"""What a major hazard adds: the rectification plan, production suspension and listed supervision."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RectificationPlan(models.Model):
    """A major hazard's plan of the five implementations (五落实), filed before it is submitted."""

    hazard = models.OneToOneField(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="plan"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=64)
    measures = models.TextField(_("measures"))
    funds_amount = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(_("plan deadline"))
    emergency_plan = models.TextField(_("emergency plan"))
    filed_by = models.ForeignKey(
        "hazards.User", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="plans_filed"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        constraints = [
            models.CheckConstraint(condition=Q(funds_amount__gte=0), name="plan_funds_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.hazard)


class ProductionSuspension(models.Model):
    """Production or use suspended while a major hazard is rectified (停产停业)."""

    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="suspensions"
    )
    scope = models.CharField(_("scope"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "hazards.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("production suspension")
        verbose_name_plural = _("production suspensions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="suspension_range"
            ),
        ]

    def __str__(self) -> str:
        return self.scope


class SupervisionListing(models.Model):
    """A major hazard listed for supervision (挂牌督办) by a named authority, until it closes."""

    hazard = models.OneToOneField(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="listing"
    )
    authority = models.CharField(_("supervising authority"), max_length=120)
    listed_by = models.ForeignKey(
        "hazards.User", verbose_name=_("listed by"), on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(_("listed at"))
    delisted_at = models.DateTimeField(_("delisted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision listing")
        verbose_name_plural = _("supervision listings")
        constraints = [
            models.CheckConstraint(
                condition=Q(delisted_at__isnull=True) | Q(delisted_at__gte=F("listed_at")),
                name="listing_delisted_after_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.hazard}"

    @property
    def is_active(self) -> bool:
        return self.delisted_at is None
