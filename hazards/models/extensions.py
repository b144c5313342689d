from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExtensionRequest(models.Model):
    """The enterprise asks for a later deadline (延期); an inspector decides. The original deadline stays."""

    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="extensions"
    )
    current_deadline = models.DateField(_("deadline when asked"))
    requested_deadline = models.DateField(_("requested deadline"))
    reasons = models.TextField(_("reasons"))
    requested_by = models.ForeignKey(
        "hazards.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "hazards.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_deadline__gt=models.F("current_deadline")),
                name="extension_later_than_current",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExtensionStatus.values), name="extension_status_valid"
            ),
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_hazard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard}: {self.requested_deadline}"
