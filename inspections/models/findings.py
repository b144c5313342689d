"""Findings: what an inspection adds to each hazard it finds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.Model):
    """A hazard found in an inspection (one per hazard): the inspection, the checklist item it failed, if
    any, and the key the device sent with it."""

    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="finding",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    checklist_item = models.ForeignKey(
        "inspections.ChecklistItem",
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    # Sent by the device with each finding, so a retried send never logs the hazard twice.
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return str(self.hazard)
