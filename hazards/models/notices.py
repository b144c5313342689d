"""Notices: what the portal tells people about deadlines, and how each was delivered, read, acknowledged."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline soon")
    OVERDUE = "overdue", _("Overdue")
    REVIEW_OVERDUE = "review_overdue", _("Review overdue")
    EXTENSION_UNDECIDED = "extension_undecided", _("Extension undecided")
    RANKING_PUBLISHED = "ranking_published", _("Ranking published")
    # Handovers: the person who acts next is told.
    ORDER_ISSUED = "order_issued", _("Rectification order")
    SUBMITTED = "submitted", _("Submitted for verification")
    SENT_BACK = "sent_back", _("Sent back")
    VERIFIED = "verified", _("Verified and closed")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    PLAN_FILED = "plan_filed", _("Rectification plan filed")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the portal")
    EMAIL = "email", _("Email")


class DeliveryState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery state", "Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Not sent, since the hazard no longer needed it by the time the sender came to it.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NoticeQuerySet":
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def in_inbox(self) -> "NoticeQuerySet":
        """Notices delivered in the portal: what the inbox shows and what can be read or acknowledged."""
        return self.filter(deliveries__channel=Channel.IN_APP, deliveries__state=DeliveryState.SENT)

    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)

    def awaiting_acknowledgement(self) -> "NoticeQuerySet":
        return self.filter(requires_acknowledgement=True, acknowledged_at__isnull=True)


class Notice(models.Model):
    """One message to one person about one hazard, at one step of the escalation ladder.

    Unique by (hazard, kind, step, recipient): a second sweep, a second beat or a redelivered task finds the
    row there and creates nothing.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        on_delete=models.PROTECT,
        related_name="notices",
        null=True,
    )
    # A ranking's notice tells a ranked region's supervisors or a ranked enterprise its place.
    # DO_NOTHING keeps Django's one-statement delete of a replaced draft's entries (a draft has no notices,
    # and a published run is never recomputed); the database's foreign key still refuses an orphan.
    ranking_entry = models.ForeignKey(
        "hazards.RankingEntry",
        verbose_name=_("ranking entry"),
        on_delete=models.DO_NOTHING,
        related_name="notices",
        null=True,
        blank=True,
    )
    recipient = models.ForeignKey(
        "hazards.User", verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="notices"
    )
    step = models.PositiveSmallIntegerField(_("step"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    requires_acknowledgement = models.BooleanField(_("acknowledgement asked"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard", "kind", "step", "recipient"],
                name="notice_once_per_hazard_kind_step_recipient",
            ),
            models.UniqueConstraint(
                fields=["ranking_entry", "recipient"], name="notice_once_per_ranking_entry_recipient"
            ),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread"),
            models.Index(
                fields=["created_at"],
                condition=Q(requires_acknowledgement=True, acknowledged_at__isnull=True),
                name="notice_awaiting_ack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient} · {self.hazard or self.ranking_entry}"


class NoticeDelivery(models.Model):
    """A notice on one channel: in the portal it is delivered when created; an email is sent by a task."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="delivery_channel_valid"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"),
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                condition=Q(state__in=[DeliveryState.PENDING, DeliveryState.SENDING]),
                name="delivery_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.channel} {self.state}"
