"""Reads of an enterprise for its page: every function takes the user and starts from visible_to(user)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from hazards.lib.calendar import local_today
from hazards.lib.contributions import EnterprisePart, registered
from hazards.models import Enterprise, Hazard, HazardStatus, User

RECENT_SIZE = 10


@dataclass(frozen=True)
class ShownPart:
    """A registered part of the page with what it read for the user."""

    template: str
    context: dict


@dataclass(frozen=True)
class EnterpriseOverview:
    enterprise: Enterprise
    # Open (to rectify), overdue, and repeats (hazards marked as a repeat of one closed, void ones aside).
    counts: dict[str, int]
    hazards: list[Hazard]
    # The parts other apps add to the page (their inspections, for one), by slot.
    parts: dict[str, list[ShownPart]] = field(default_factory=dict)


def enterprise_overview(user: User, enterprise_id: int) -> EnterpriseOverview:
    """An enterprise with its hazard counts, its recent hazards and the registered parts of its page;
    Enterprise.DoesNotExist outside the user's scope."""
    enterprise = Enterprise.objects.visible_to(user).select_related("region", "sector").get(pk=enterprise_id)
    hazards = Hazard.objects.visible_to(user).filter(enterprise=enterprise)
    today = local_today()
    counts = hazards.aggregate(
        open=Count("id", filter=Q(status=HazardStatus.OPEN)),
        overdue=Count("id", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
        repeats=Count("id", filter=Q(repeat_of__isnull=False) & ~Q(status=HazardStatus.VOID)),
    )
    parts: dict[str, list[ShownPart]] = {}
    for part in registered(EnterprisePart):
        context = dict(part.context(user, enterprise)) if part.context else {}
        parts.setdefault(part.slot, []).append(ShownPart(part.template, context))
    return EnterpriseOverview(
        enterprise=enterprise,
        counts=counts,
        hazards=list(hazards.order_by("-found_at", "-id")[:RECENT_SIZE]),
        parts=parts,
    )
