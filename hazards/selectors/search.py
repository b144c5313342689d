"""The ledger's text search (?q=): a hazard's number or description, its enterprise's name or credit code.

A substring match (icontains). On PostgreSQL the trigram GIN indexes of migration 0018_search serve it (they
index UPPER(column), the expression icontains compares); on SQLite it is a plain LIKE. The search only narrows
a queryset already scoped by visible_to(user).
"""

from django.db.models import Count, Q

from hazards.lib.calendar import local_today
from hazards.models import Enterprise, HazardStatus, Role, User
from hazards.models.hazards import HazardQuerySet, overdue_q

SEARCH_MAX_LENGTH = 100

# The columns searched, and the trigram indexes that serve them on PostgreSQL (migration 0018_search).
HAZARD_SEARCH_FIELDS = ("number", "description")
ENTERPRISE_SEARCH_FIELDS = ("name", "credit_code")


def search_hazards(hazards: HazardQuerySet, text: str) -> HazardQuerySet:
    """The hazards whose number, description, enterprise name or enterprise credit code contain the text."""
    text = " ".join(text.split())
    if not text:
        return hazards
    # The enterprises' ids first, as a list: a subquery beside the other terms keeps PostgreSQL from
    # combining the indexes (an OR with a subplan reads the whole table).
    enterprises = list(
        Enterprise.objects.filter(Q(name__icontains=text) | Q(credit_code__icontains=text)).values_list(
            "pk", flat=True
        )
    )
    return hazards.filter(
        Q(number__icontains=text) | Q(description__icontains=text) | Q(enterprise_id__in=enterprises)
    )


def counts_of(hazards: HazardQuerySet, user: User) -> dict[str, int]:
    """How many of these hazards each tab of the list holds (the keys of LIST_FILTERS), in one query."""
    counts = hazards.order_by().aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in HazardStatus.values},
        overdue=Count("id", filter=overdue_q(local_today())),
        all=Count("id"),
    )
    to_do = counts[HazardStatus.OPEN]
    if user.role != Role.ENTERPRISE:
        to_do += counts[HazardStatus.SUBMITTED]
    counts["to_do"] = to_do
    return counts
