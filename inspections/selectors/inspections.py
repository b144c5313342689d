"""Reads of inspections for the pages: every function takes the user and starts from visible_to(user).

Each page is read in a fixed number of queries, however many items, inspections or findings it shows.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import ActionNotPermitted, DomainError, InvalidTransition
from hazards.models import Clause, Enterprise, Hazard, Role, User
from hazards.models.criteria import ClauseQuerySet
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionEvent,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)
from inspections.models.inspections import InspectionQuerySet

PAGE_SIZE = 25
RECENT_SIZE = 10
SEARCH_LIMIT = 20

# The list's filters for an inspector (?scope=...): the inspections taken part in, or all of the region.
MINE, ALL = "mine", "all"
SCOPES: dict[str, Promise] = {MINE: _("Mine"), ALL: _("All in the region")}


def visible_inspections(user: User) -> InspectionQuerySet:
    """Every inspection the user may see: the one starting point of the reads below."""
    return Inspection.objects.visible_to(user)


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT of queryset's rows per group_by, as an annotation (0 when there are none)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def work_refusal(inspection: Inspection, user: User) -> DomainError | None:
    """Why the user may not work on the inspection now, as locked_inspection would refuse it, or None.

    Only what a page shows or offers (uses the prefetched inspectors); the services decide on every post.
    """
    if not any(inspector.pk == user.pk for inspector in inspection.inspectors.all()):
        return ActionNotPermitted(gettext("Only the inspection's own inspectors work on it."))
    if inspection.status == InspectionStatus.CANCELLED:
        return InvalidTransition(gettext("This inspection is cancelled."))
    if inspection.status != InspectionStatus.IN_PROGRESS:
        return InvalidTransition(gettext("This inspection is completed."))
    return None


def can_work_on(inspection: Inspection, user: User) -> bool:
    """Whether the page offers the user the checklist's buttons: one of its inspectors, while in progress."""
    return work_refusal(inspection, user) is None


# --- The list ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionListPage:
    scope: str
    # The filters the user may choose between (an inspector's); empty for the other roles.
    scopes: list[tuple[str, Promise]]
    page: Page


def inspection_list(user: User, *, scope: str | None = None) -> tuple[str, InspectionQuerySet]:
    """The user's inspections, today's first, then by date (latest first), with their progress counts.

    An inspector sees those taken part in, or (scope=all) every one of the region; the other roles every
    inspection in their scope.
    """
    inspections = visible_inspections(user)
    chosen = ALL
    if user.role == Role.INSPECTOR:
        chosen = scope if scope in SCOPES else MINE
        if chosen == MINE:
            inspections = inspections.filter(inspectors=user)
    today = local_today()
    inspections = (
        inspections.select_related("enterprise", "checklist__template", "order")
        .annotate(
            today_first=Case(When(date=today, then=Value(0)), default=Value(1), output_field=IntegerField()),
            item_count=_count(ChecklistItem.objects.filter(version=OuterRef("checklist")), "version"),
            answered_count=_count(ItemResult.objects.filter(inspection=OuterRef("pk")), "inspection"),
            finding_count=_count(Finding.objects.filter(inspection=OuterRef("pk")), "inspection"),
        )
        .order_by("today_first", "-date", "-id")
    )
    return chosen, inspections


def inspection_list_page(
    user: User, *, scope: str | None = None, page: str | int | None = 1
) -> InspectionListPage:
    """One page (PAGE_SIZE inspections) of the list."""
    chosen, inspections = inspection_list(user, scope=scope)
    return InspectionListPage(
        scope=chosen,
        scopes=list(SCOPES.items()) if user.role == Role.INSPECTOR else [],
        page=Paginator(inspections, PAGE_SIZE).get_page(page),
    )


# --- Starting an inspection -------------------------------------------------------------------------------


def enterprise_search(user: User, query: str, *, limit: int = SEARCH_LIMIT) -> list[Enterprise]:
    """Enterprises in the user's scope whose name or unified social credit code contains the query."""
    query = (query or "").strip()
    if not query:
        return []
    condition = Q(name__icontains=query) | Q(credit_code__icontains=query.upper())
    return list(
        Enterprise.objects.visible_to(user).filter(condition).select_related("region", "sector")[:limit]
    )


def enterprise_to_inspect(user: User, enterprise_id: int) -> Enterprise:
    """The enterprise an inspection is started at; Enterprise.DoesNotExist outside the user's scope."""
    return Enterprise.objects.visible_to(user).select_related("region", "sector").get(pk=enterprise_id)


def checklists_offered() -> QuerySet[ChecklistTemplate]:
    """The checklists an inspection can run: those with at least one version."""
    return ChecklistTemplate.objects.filter(versions__isnull=False).distinct().select_related("sector")


def default_checklist(enterprise: Enterprise) -> ChecklistTemplate | None:
    """The checklist of the enterprise's sector, as inspection_start picks it when none is chosen."""
    return ChecklistTemplate.objects.filter(sector=enterprise.sector_id).order_by("id").first()


def co_inspectors_offered(user: User) -> QuerySet[User]:
    """The other active inspectors of the user's scope, who may join an inspection."""
    return (
        User.objects.visible_to(user)
        .filter(role=Role.INSPECTOR, is_active=True)
        .exclude(pk=user.pk)
        .order_by("first_name", "username")
    )


# --- The checklist page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    """One item of the checklist with its answer, if any, and the hazards logged for it."""

    item: ChecklistItem
    result: ItemResult | None
    hazards: list[Hazard]

    @property
    def answer(self) -> str | None:
        return self.result.answer if self.result else None

    @property
    def failed(self) -> bool:
        return self.answer == ItemAnswer.FAIL

    @property
    def needs_finding(self) -> bool:
        return self.failed and not self.hazards


@dataclass(frozen=True)
class InspectionChecklist:
    inspection: Inspection
    rows: list[ChecklistRow]
    # Every hazard the inspection logged, with or without an item, in the order found.
    findings: list[Hazard]
    order: RectificationOrder | None
    can_work: bool

    @property
    def item_count(self) -> int:
        return len(self.rows)

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.rows if row.result)

    @property
    def first_unanswered(self) -> ChecklistRow | None:
        return next((row for row in self.rows if row.result is None), None)

    @property
    def is_completed(self) -> bool:
        return self.inspection.status == InspectionStatus.COMPLETED

    @property
    def is_cancelled(self) -> bool:
        return self.inspection.status == InspectionStatus.CANCELLED

    @property
    def events(self) -> list:
        """The inspection's record: answers changed, its cancelling, oldest first (prefetched)."""
        return list(self.inspection.events.all())


def inspection_checklist(user: User, inspection_id: int) -> InspectionChecklist:
    """The inspection with its items, answers and findings; Inspection.DoesNotExist outside the scope."""
    inspection = (
        visible_inspections(user)
        .select_related("enterprise__region", "enterprise__sector", "checklist__template", "order")
        .prefetch_related(
            "inspectors",
            "results",
            Prefetch("events", queryset=InspectionEvent.objects.select_related("actor")),
            Prefetch("checklist__items", queryset=ChecklistItem.objects.select_related("clause__standard")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("hazard__repeat_of").order_by(
                    "hazard__found_at", "hazard_id"
                ),
            ),
        )
        .get(pk=inspection_id)
    )
    results = {result.item_id: result for result in inspection.results.all()}
    findings = [finding.hazard for finding in inspection.findings.all()]
    by_item: dict[int, list[Hazard]] = {}
    for hazard in findings:
        if hazard.finding.checklist_item_id is not None:
            by_item.setdefault(hazard.finding.checklist_item_id, []).append(hazard)
    rows = [
        ChecklistRow(item=item, result=results.get(item.pk), hazards=by_item.get(item.pk, []))
        for item in inspection.checklist.items.all()
    ]
    return InspectionChecklist(
        inspection=inspection,
        rows=rows,
        findings=findings,
        order=getattr(inspection, "order", None),
        can_work=can_work_on(inspection, user),
    )


def next_item_id(user: User, inspection_id: int, item_id: int) -> int | None:
    """The first unanswered item after this one (else before it), where the checklist page scrolls to."""
    inspection = visible_inspections(user).get(pk=inspection_id)
    answered = set(inspection.results.values_list("item_id", flat=True))
    items = list(inspection.checklist.items.values_list("pk", flat=True))
    after = items[items.index(item_id) + 1 :] if item_id in items else items
    return next((pk for pk in [*after, *items] if pk not in answered), None)


# --- Logging a finding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingTarget:
    """What a finding is logged for: the inspection, and the checklist item if it has one."""

    inspection: Inspection
    item: ChecklistItem | None
    refusal: DomainError | None


def finding_target(user: User, inspection_id: int, item_id: int | None) -> FindingTarget:
    """The inspection (and its item) of the finding form; DoesNotExist outside the scope or the checklist."""
    inspection = (
        visible_inspections(user)
        .select_related("enterprise__sector", "checklist__template")
        .prefetch_related("inspectors")
        .get(pk=inspection_id)
    )
    item = None
    if item_id is not None:
        item = inspection.checklist.items.select_related("clause__standard").get(pk=item_id)
    return FindingTarget(inspection=inspection, item=item, refusal=work_refusal(inspection, user))


def criteria_for(enterprise: Enterprise) -> ClauseQuerySet:
    """The major-hazard criteria a finding at the enterprise may match: in force, of its sector."""
    return Clause.objects.in_force().of_sector(enterprise.sector_id).select_related("standard")


# --- The rectification order ----------------------------------------------------------------------------


def inspection_order(user: User, inspection_id: int) -> RectificationOrder:
    """The order the inspection issued, with its hazards; DoesNotExist without one or outside the scope."""
    return (
        RectificationOrder.objects.filter(inspection__in=visible_inspections(user))
        .select_related("inspection__enterprise", "region", "issued_by__region")
        .prefetch_related(
            Prefetch("hazards", queryset=Hazard.objects.select_related("criterion__standard").order_by("id"))
        )
        .get(inspection_id=inspection_id)
    )


# --- The enterprise page --------------------------------------------------------------------------------


def enterprise_inspections(user: User, enterprise: Enterprise) -> dict[str, list[Inspection]]:
    """The enterprise's recent inspections, as its page shows them (the part inspections adds to it)."""
    inspections = (
        visible_inspections(user)
        .filter(enterprise=enterprise)
        .select_related("checklist__template", "order")
        .order_by("-date", "-id")[:RECENT_SIZE]
    )
    return {"inspections": list(inspections)}
