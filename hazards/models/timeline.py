from django.db import models
from django.utils.translation import gettext_lazy as _

from hazards.models.hazards import HazardStatus


class EventKind(models.TextChoices):
    LOGGED = "logged", _("Logged")
    SUBMITTED = "submitted", _("Submitted for verification")
    SENT_BACK = "sent_back", _("Sent back")
    VERIFIED = "verified", _("Verified and closed")
    VOIDED = "voided", _("Voided")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
    PLAN_FILED = "plan_filed", _("Rectification plan filed")
    SUSPENSION_RECORDED = "suspension_recorded", _("Production suspension recorded")
    LISTED = "listed", _("Listed for supervision")
    DELISTED = "delisted", _("Delisted")
    ORDER_ISSUED = "order_issued", _("Rectification order issued")
    ACKNOWLEDGED = "acknowledged", _("Notice acknowledged")
    RECLASSIFIED = "reclassified", _("Level changed")


class ImmutableEventError(Exception):
    pass


class HazardEvent(models.Model):
    """One line of a hazard's timeline: who did what, from which status to which, when. Never changed."""

    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        "hazards.User", verbose_name=_("actor"), on_delete=models.PROTECT, related_name="hazard_events"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=HazardStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="hazard_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableEventError("A timeline event is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("A timeline event is never deleted.")
