"""Reads of hazards for the pages: every function takes the user and starts from visible_to(user)."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from hazards.lib.calendar import local_today
from hazards.lib.contributions import HazardFields, registered
from hazards.models import (
    ActiveHazardCount,
    EventKind,
    Evidence,
    EvidenceStage,
    ExtensionRequest,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
    MonthlyHazardCount,
    Notice,
    NoticeDelivery,
    ProductionSuspension,
    RectificationPlan,
    Role,
    SupervisionListing,
    User,
)
from hazards.models.counts import ACTIVE_STATUSES
from hazards.models.hazards import HazardQuerySet, overdue_q

PAGE_SIZE = 25
HOME_LIST_SIZE = 10

# The list's filters (?status=...): the workflow's statuses and a few views across them.
TO_DO, OVERDUE, ALL = "to_do", "overdue", "all"
LIST_FILTERS: dict[str, str] = {
    TO_DO: _("To do"),
    HazardStatus.OPEN: HazardStatus.OPEN.label,
    OVERDUE: _("Overdue"),
    HazardStatus.SUBMITTED: HazardStatus.SUBMITTED.label,
    HazardStatus.CLOSED: HazardStatus.CLOSED.label,
    HazardStatus.VOID: HazardStatus.VOID.label,
    ALL: _("All"),
}


def visible_hazards(user: User) -> HazardQuerySet:
    """Every hazard the user may see: the one starting point of the reads below."""
    return Hazard.objects.visible_to(user)


def default_filter(user: User) -> str:
    """An enterprise and an inspector open the list on their work; a supervisor on the whole register."""
    return TO_DO if user.role in (Role.ENTERPRISE, Role.INSPECTOR) else ALL


def _to_do(hazards: HazardQuerySet, user: User) -> HazardQuerySet:
    if user.role == Role.ENTERPRISE:
        # Its hazards to rectify, the earliest deadline (the overdue) first.
        return hazards.to_do()
    # Region users: what awaits review first (oldest submission first), then what is open by deadline.
    return (
        hazards.filter(status__in=[HazardStatus.SUBMITTED, HazardStatus.OPEN])
        .annotate(
            review_first=Case(
                When(status=HazardStatus.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("review_first", "submitted_at", "deadline", "id")
    )


def hazard_list(user: User, *, status: str | None = None) -> tuple[str, HazardQuerySet]:
    """The hazards of the list page under a filter (an unknown one falls back to the role's default)."""
    chosen = status if status in LIST_FILTERS else default_filter(user)
    return chosen, hazards_by_status(visible_hazards(user).select_related("enterprise"), user, chosen)


def hazards_by_status(hazards: HazardQuerySet, user: User, chosen: str) -> HazardQuerySet:
    """The hazards under one of the list's filters (a key of LIST_FILTERS), in that filter's order."""
    if chosen == TO_DO:
        hazards = _to_do(hazards, user)
    elif chosen == OVERDUE:
        hazards = hazards.overdue().order_by("deadline", "id")
    elif chosen == HazardStatus.OPEN:
        hazards = hazards.to_do()
    elif chosen == HazardStatus.SUBMITTED:
        hazards = hazards.awaiting_review()
    elif chosen == HazardStatus.CLOSED:
        hazards = hazards.filter(status=HazardStatus.CLOSED).order_by("-closed_at", "-id")
    elif chosen == HazardStatus.VOID:
        hazards = hazards.filter(status=HazardStatus.VOID)
    return hazards


def hazard_counts(user: User) -> dict[str, int]:
    """How many hazards each filter of the list holds: from the kept counts for region users and
    administrators (two queries at any size), from the hazards themselves for an enterprise (one query)."""
    today = local_today()
    if user.role == Role.ENTERPRISE:
        counts = visible_hazards(user).aggregate(
            **{status: Count("id", filter=Q(status=status)) for status in HazardStatus.values},
            overdue=Count("id", filter=overdue_q(today)),
            all=Count("id"),
        )
        counts[TO_DO] = counts[HazardStatus.OPEN]
        return counts
    active = ActiveHazardCount.objects.visible_to(user).aggregate(
        **{status: Sum("hazards", filter=Q(status=status)) for status in ACTIVE_STATUSES},
        overdue=Sum("hazards", filter=overdue_q(today)),
    )
    monthly = MonthlyHazardCount.objects.visible_to(user).aggregate(
        **{HazardStatus.CLOSED: Sum("found_closed"), HazardStatus.VOID: Sum("found_void"), ALL: Sum("found")}
    )
    counts = {key: value or 0 for key, value in {**active, **monthly}.items()}
    counts[TO_DO] = counts[HazardStatus.OPEN] + counts[HazardStatus.SUBMITTED]
    return counts


def hazard_detail(user: User, hazard_id: int) -> Hazard:
    """The hazard with everything its page shows, in a fixed number of queries; DoesNotExist outside scope."""
    contributed = [name for part in registered(HazardFields) for name in part.select_related]
    return (
        visible_hazards(user)
        .select_related(
            "enterprise",
            "region",
            "sector",
            "criterion__standard",
            "found_by__region",
            "listing__listed_by",
            "plan__filed_by",
            *contributed,
        )
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("events", queryset=HazardEvent.objects.select_related("actor")),
            Prefetch("suspensions", queryset=ProductionSuspension.objects.select_related("recorded_by")),
            Prefetch(
                "extensions",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            ),
        )
        .get(pk=hazard_id)
    )


# Who sees on a hazard's page whom the portal told about it: the authorities, not the enterprise.
NOTICE_READERS = (Role.INSPECTOR, Role.SUPERVISOR, Role.ADMINISTRATOR)


def notices_of(user: User, hazard: Hazard) -> list[Notice] | None:
    """Every notice of the hazard with its deliveries, the proof of who was told; None if not for this user.

    Two queries whatever their number: the notices with their recipients, then all their deliveries.
    """
    if not (user.sees_everything or user.role in NOTICE_READERS):
        return None
    return list(
        Notice.objects.filter(hazard=hazard)
        .select_related("recipient__enterprise", "recipient__region")
        .prefetch_related(Prefetch("deliveries", queryset=NoticeDelivery.objects.order_by("-channel")))
        .order_by("created_at", "id")
    )


def hazard_for_action(user: User, hazard_id: int) -> Hazard:
    """The hazard an action is asked on, as the workflow's check() needs it; DoesNotExist outside scope."""
    return visible_hazards(user).get(pk=hazard_id)


def hazard_for_order(user: User, hazard_id: int) -> Hazard:
    """The hazard with what its printable rectification order shows; DoesNotExist outside scope."""
    return (
        visible_hazards(user)
        .select_related("enterprise", "region", "found_by__region", "criterion__standard")
        .get(pk=hazard_id)
    )


@dataclass(frozen=True)
class HazardEvidence:
    """A hazard's evidence as its page shows it: photos before and after, and the documents."""

    found: list[Evidence]
    rectified: list[Evidence]
    documents: list[Evidence]

    @property
    def has_photos(self) -> bool:
        return bool(self.found or self.rectified)


def evidence_by_stage(hazard: Hazard) -> HazardEvidence:
    """Photos grouped by stage for the before/after view; uses the prefetched evidence of hazard_detail."""
    found, rectified, documents = [], [], []
    for item in hazard.evidence.all():
        if not item.is_photo:
            documents.append(item)
        elif item.stage == EvidenceStage.FOUND:
            found.append(item)
        else:
            rectified.append(item)
    return HazardEvidence(found=found, rectified=rectified, documents=documents)


def last_send_back(hazard: Hazard) -> HazardEvent | None:
    """While the hazard is sent back, the send-back that did it (its reasons), from the prefetched events."""
    if not hazard.is_sent_back:
        return None
    return next((e for e in reversed(hazard.events.all()) if e.kind == EventKind.SENT_BACK), None)


def plan_of(hazard: Hazard) -> RectificationPlan | None:
    return getattr(hazard, "plan", None)


def listing_of(hazard: Hazard) -> SupervisionListing | None:
    return getattr(hazard, "listing", None)


def pending_extension(hazard: Hazard) -> ExtensionRequest | None:
    """The extension request waiting for a decision, from the prefetched requests."""
    return next((e for e in hazard.extensions.all() if e.status == ExtensionStatus.PENDING), None)


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows a role: a short list of hazards and its total, or the region's counts."""

    hazards: list[Hazard] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def home_summary(user: User) -> HomeSummary:
    """An enterprise's to-do, an inspector's reviews, a supervisor's counts."""
    hazards = visible_hazards(user).select_related("enterprise")
    if user.role == Role.ENTERPRISE:
        to_do = hazards.to_do()
        return HomeSummary(hazards=list(to_do[:HOME_LIST_SIZE]), total=to_do.count())
    if user.role == Role.INSPECTOR:
        awaiting = hazards.awaiting_review()
        return HomeSummary(hazards=list(awaiting[:HOME_LIST_SIZE]), total=awaiting.count())
    if user.role == Role.SUPERVISOR:
        return HomeSummary(counts=region_counts(user))
    return HomeSummary()


def region_counts(user: User) -> dict[str, int]:
    """Open, overdue, major (not closed or void) and listed (not delisted) hazards in the user's scope."""
    counts = ActiveHazardCount.objects.visible_to(user).aggregate(
        open=Sum("hazards", filter=Q(status=HazardStatus.OPEN)),
        overdue=Sum("hazards", filter=overdue_q(local_today())),
        major=Sum("hazards", filter=Q(level=HazardLevel.MAJOR)),
    )
    listed = visible_hazards(user).listed().count()
    return {**{key: value or 0 for key, value in counts.items()}, "listed": listed}
