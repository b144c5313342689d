"""Inspections: a visit or a self-inspection at an enterprise, its checklist answers and its order."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.models.scoping import ScopedQuerySet


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SPECIAL_CAMPAIGN = "special_campaign", _("Special campaign")
    UNANNOUNCED = "unannounced", _("Unannounced")
    CROSS_REGION = "cross_region", _("Cross-region")
    SELF_INSPECTION = "self_inspection", _("Enterprise self-inspection")


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ItemAnswer(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class InspectionQuerySet(ScopedQuerySet):
    region_code_lookup = "region__code"
    enterprise_lookup = "enterprise"

    def scope_condition(self, user) -> Q:
        """An enterprise sees a covert inspection (暗查暗访) of itself, answers and all, once completed."""
        condition = super().scope_condition(user)
        if user.is_enterprise_user:
            condition &= ~Q(kind=InspectionKind.UNANNOUNCED) | Q(status=InspectionStatus.COMPLETED)
        return condition


class Inspection(models.Model):
    """One inspection (检查/排查) of an enterprise with a checklist version; findings become hazards."""

    enterprise = models.ForeignKey(
        "hazards.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    region = models.ForeignKey(
        "hazards.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="inspections",
        editable=False,
    )
    inspectors = models.ManyToManyField(
        "hazards.User", verbose_name=_("inspectors"), related_name="inspections"
    )
    started_by = models.ForeignKey(
        "hazards.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    checklist = models.ForeignKey(
        "inspections.ChecklistVersion",
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InspectionStatus.choices,
        default=InspectionStatus.IN_PROGRESS,
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InspectionKind.values), name="inspection_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.IN_PROGRESS, completed_at__isnull=True)
                | Q(status=InspectionStatus.COMPLETED, completed_at__isnull=False)
                | Q(status=InspectionStatus.CANCELLED, completed_at__isnull=True),
                name="inspection_completed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.CANCELLED, cancelled_at__isnull=False)
                & ~Q(cancel_reason="")
                | ~Q(status=InspectionStatus.CANCELLED) & Q(cancelled_at__isnull=True),
                name="inspection_cancelled_has_time_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["region", "date"], name="inspection_region_date")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date:%Y-%m-%d}"

    @property
    def shown_to_enterprise(self) -> bool:
        """Whether the inspected enterprise may see it: a covert one (暗查暗访) only once completed."""
        return self.kind != InspectionKind.UNANNOUNCED or self.status == InspectionStatus.COMPLETED

    @property
    def is_self_inspection(self) -> bool:
        return self.kind == InspectionKind.SELF_INSPECTION


class ItemResult(models.Model):
    """The answer to one checklist item in one inspection; an item is answered once."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        "inspections.ChecklistItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="results"
    )
    answer = models.CharField(_("answer"), max_length=16, choices=ItemAnswer.choices)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        "hazards.User", verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="item_answered_once"),
            models.CheckConstraint(condition=Q(answer__in=ItemAnswer.values), name="item_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.get_answer_display()}"


class InspectionEventKind(models.TextChoices):
    ANSWER_CHANGED = "answer_changed", _("Answer changed")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionEvent(models.Model):
    """One immutable line of the inspection's record: an answer changed, the inspection cancelled."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionEventKind.choices)
    actor = models.ForeignKey(
        "hazards.User", verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.kind}"


class RectificationOrder(models.Model):
    """The numbered order (责令限期整改指令书) issued on completing an inspection: its open hazards."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="order"
    )
    region = models.ForeignKey(
        "hazards.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    number_year = models.PositiveSmallIntegerField(_("year of the number"))
    number_sequence = models.PositiveIntegerField(_("sequence of the number"))
    number = models.CharField(_("number"), max_length=40, unique=True)
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name=_("hazards"), related_name="orders")
    issued_by = models.ForeignKey(
        "hazards.User", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number_year", "number_sequence"],
                name="order_number_unique_per_region_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number
