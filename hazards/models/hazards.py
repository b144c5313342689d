import datetime

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hazards.lib.calendar import local_midnight, local_today
from hazards.models.scoping import ScopedQuerySet


class HazardSource(models.TextChoices):
    GOVERNMENT_INSPECTION = "government_inspection", _("Government inspection")
    SELF_INSPECTION = "self_inspection", _("Enterprise self-inspection")
    REPORT = "report", _("Report from staff or the public")
    SPECIAL_CAMPAIGN = "special_campaign", _("Special campaign")


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    SUBMITTED = "submitted", _("Awaiting review")
    CLOSED = "closed", pgettext_lazy("hazard status", "Closed")
    VOID = "void", _("Void")


class HazardState(models.TextChoices):
    """What a hazard shows as its state in every list, badge, export and API answer: its status, except that
    an open hazard sent back from review shows as sent back (已退回), not as a new one (sent_back_q)."""

    OPEN = HazardStatus.OPEN.value, HazardStatus.OPEN.label
    SENT_BACK = "sent_back", pgettext_lazy("hazard status", "Sent back")
    SUBMITTED = HazardStatus.SUBMITTED.value, HazardStatus.SUBMITTED.label
    CLOSED = HazardStatus.CLOSED.value, HazardStatus.CLOSED.label
    VOID = HazardStatus.VOID.value, HazardStatus.VOID.label


# The glossary's rules over the hazard table, as conditions: the querysets below filter by them, and an
# aggregate counts with them (they name only fields that the kept counts share: status and deadline).


def overdue_q(day: datetime.date, *, as_of_start: bool = False) -> Q:
    """Overdue (逾期) on `day`: its deadline in force is over before the day, and it is neither submitted nor
    closed (nor void); derived, never stored.

    As the hazards stand now by default (the sweep's partial index: open, by deadline). With as_of_start, as
    each stood when `day` began (the end of a quarter), from the times it keeps: found before then, not
    rectified then, and not waiting then for the review of a submission made before; the deadline is the
    current one, extensions included.
    """
    if not as_of_start:
        return Q(status=HazardStatus.OPEN, deadline__lt=day)
    moment = local_midnight(day)
    awaiting_review = Q(status=HazardStatus.SUBMITTED, submitted_at__lt=moment)
    return unrectified_q(moment) & Q(found_at__lt=moment, deadline__lt=day) & ~awaiting_review


def unrectified_q(moment: datetime.datetime) -> Q:
    """Not rectified at that moment: not void (logged in error), and not closed before it."""
    return ~Q(status=HazardStatus.VOID) & (~Q(status=HazardStatus.CLOSED) | Q(closed_at__gte=moment))


def listed_q(*, during: tuple[datetime.datetime, datetime.datetime] | None = None) -> Q:
    """Listed for supervision (挂牌督办) and not delisted; with during=(start, end), listed at some time in
    [start, end): listed before its end and not delisted before its start."""
    if during is None:
        return Q(listing__isnull=False, listing__delisted_at__isnull=True)
    start, end = during
    return Q(listing__listed_at__lt=end) & (
        Q(listing__delisted_at__isnull=True) | Q(listing__delisted_at__gte=start)
    )


def sent_back_q() -> Q:
    """Sent back (已退回): open again because a review refused its rectification. A hazard is logged open with
    no submission time, and only the send-back takes a submitted one back to open, keeping the time of the
    submission: an open hazard with a submission time was sent back. Submitting it again ends the state."""
    return Q(status=HazardStatus.OPEN, submitted_at__isnull=False)


def state_expression() -> Case:
    """The hazard's HazardState in the database (an annotation for lists and exports)."""
    return Case(
        When(sent_back_q(), then=Value(HazardState.SENT_BACK.value)),
        default=F("status"),
        output_field=models.CharField(),
    )


def on_time_q() -> Q:
    """On time: closed from a submission made by the deadline then in force (the submission's local day)."""
    return Q(status=HazardStatus.CLOSED, submitted_at__isnull=False, submitted_at__date__lte=F("deadline"))


class HazardQuerySet(ScopedQuerySet):
    region_code_lookup = "region__code"
    enterprise_lookup = "enterprise"

    def overdue(self, today: datetime.date | None = None) -> "HazardQuerySet":
        """Past the deadline in force and neither submitted nor closed (逾期); derived, never stored."""
        return self.filter(overdue_q(today or local_today()))

    def listed(self) -> "HazardQuerySet":
        """Listed for supervision and not delisted."""
        return self.filter(listed_q())

    def on_time(self) -> "HazardQuerySet":
        """Closed from a submission made by the deadline then in force."""
        return self.filter(on_time_q())

    def sent_back(self) -> "HazardQuerySet":
        """Open again after a review refused the rectification (已退回)."""
        return self.filter(sent_back_q())

    def to_do(self) -> "HazardQuerySet":
        """Open hazards, overdue first (they have the earliest deadlines), then by deadline."""
        return self.filter(status=HazardStatus.OPEN).order_by("deadline", "id")

    def awaiting_review(self) -> "HazardQuerySet":
        return self.filter(status=HazardStatus.SUBMITTED).order_by("submitted_at", "id")


class Hazard(models.Model):
    """One hidden danger (事故隐患) found at an enterprise. Its status changes only through the workflow."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    number_year = models.PositiveSmallIntegerField(_("year of the number"), editable=False)
    number_sequence = models.PositiveIntegerField(_("sequence of the number"), editable=False)
    enterprise = models.ForeignKey(
        "hazards.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="hazards"
    )
    region = models.ForeignKey(
        "hazards.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="hazards",
        editable=False,
    )
    sector = models.ForeignKey(
        "hazards.Sector",
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="hazards",
        editable=False,
    )
    source = models.CharField(_("source"), max_length=24, choices=HazardSource.choices)
    description = models.TextField(_("description"))
    location = models.CharField(_("location on site"), max_length=200)
    level = models.CharField(_("level"), max_length=8, choices=HazardLevel.choices)
    criterion = models.ForeignKey(
        "hazards.Clause",
        verbose_name=_("major-hazard criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
    )
    measures = models.TextField(_("required measures"))
    original_deadline = models.DateField(_("original deadline"), editable=False)
    deadline = models.DateField(_("deadline"))
    found_by = models.ForeignKey(
        "hazards.User", verbose_name=_("found by"), on_delete=models.PROTECT, related_name="hazards_found"
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    responsible_person = models.CharField(_("responsible person"), max_length=64)
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        editable=False,
        help_text=_("A hazard closed at the same enterprise for the same checklist item within a year."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    reviewed_on_site_at = models.DateTimeField(
        _("reviewed on site at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number_year", "number_sequence"],
                name="hazard_number_unique_per_region_year",
            ),
            models.CheckConstraint(condition=Q(status__in=HazardStatus.values), name="hazard_status_valid"),
            models.CheckConstraint(condition=Q(level__in=HazardLevel.values), name="hazard_level_valid"),
            models.CheckConstraint(condition=Q(source__in=HazardSource.values), name="hazard_source_valid"),
            models.CheckConstraint(
                condition=Q(level=HazardLevel.GENERAL) | Q(criterion__isnull=False),
                name="hazard_major_has_criterion",
            ),
            models.CheckConstraint(
                condition=Q(fixed_on_spot=False) | Q(level=HazardLevel.GENERAL),
                name="hazard_fixed_on_spot_is_general",
            ),
            models.CheckConstraint(
                condition=~Q(status=HazardStatus.CLOSED) | Q(closed_at__isnull=False),
                name="hazard_closed_has_time",
            ),
        ]
        indexes = [
            # The rows that can still go overdue, by deadline: what the deadline sweep reads.
            models.Index(
                fields=["deadline"], condition=Q(status=HazardStatus.OPEN), name="hazard_open_deadline"
            ),
            # The ledger's orders: newest found first, last closed first, longest waiting for review first.
            models.Index(fields=["found_at", "id"], name="hazard_found_order"),
            models.Index(
                fields=["closed_at", "id"],
                condition=Q(status=HazardStatus.CLOSED),
                name="hazard_closed_order",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status=HazardStatus.SUBMITTED),
                name="hazard_submitted_order",
            ),
            # Major hazards by when they were found: the supervisors' most common narrowing of the ledger.
            models.Index(
                fields=["found_at"], condition=Q(level=HazardLevel.MAJOR), name="hazard_major_found"
            ),
            models.Index(fields=["region", "status"], name="hazard_region_status"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:40]}"

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    @property
    def deadline_extended(self) -> bool:
        return self.deadline != self.original_deadline

    # The same rules for one hazard in memory (its page, a list's badges, a move deciding what it records).

    def overdue_on(self, today: datetime.date | None = None) -> bool:
        """overdue_q(today) for this hazard."""
        return self.status == HazardStatus.OPEN and self.deadline < (today or local_today())

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on()

    @property
    def is_sent_back(self) -> bool:
        """sent_back_q() for this hazard."""
        return self.status == HazardStatus.OPEN and self.submitted_at is not None

    @property
    def state(self) -> str:
        """Its HazardState: the status, or sent back."""
        return HazardState.SENT_BACK.value if self.is_sent_back else self.status

    def get_state_display(self) -> str:
        return HazardState(self.state).label

    @property
    def is_listed(self) -> bool:
        """listed_q() for this hazard (reads its listing, selected or not)."""
        listing = getattr(self, "listing", None)
        return listing is not None and listing.is_active

    @property
    def submitted_by_deadline(self) -> bool:
        """Its submission was made by the deadline in force (the submission's local day)."""
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) <= self.deadline

    @property
    def is_on_time(self) -> bool:
        """on_time_q() for this hazard: closed from a submission made by the deadline then in force."""
        return self.status == HazardStatus.CLOSED and self.submitted_by_deadline
