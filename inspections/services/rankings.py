"""What inspections counts for the quarterly ranking: the inspections by the authorities, per enterprise."""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hazards.lib.contributions import RankingIndicator
from hazards.models import RiskColour
from inspections.models import Inspection, InspectionKind, InspectionStatus


def inspections_counted(
    start: datetime.datetime, end: datetime.datetime, region_prefix: str
) -> Iterator[tuple[int, int]]:
    """(enterprise id, count) of the inspections by the authorities completed in [start, end) at enterprises
    of the regions whose code starts with region_prefix; a red or orange enterprise's count twice."""
    high_risk = Q(enterprise__risk_colour__in=[RiskColour.RED, RiskColour.ORANGE])
    rows = (
        Inspection.objects.filter(
            enterprise__region__code__startswith=region_prefix,
            status=InspectionStatus.COMPLETED,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .exclude(kind=InspectionKind.SELF_INSPECTION)
        .values("enterprise_id")
        .annotate(n=Count("id"), high=Count("id", filter=high_risk))
        .order_by()
    )
    for row in rows:
        yield row["enterprise_id"], row["n"] + row["high"]


# The ranking's indicator, between the listed hazards closed and the share of repeats.
INSPECTIONS_INDICATOR = RankingIndicator(
    key="inspections",
    label=_("Inspections per enterprise (red and orange count twice)"),
    count=inspections_counted,
    before="repeat_share",
)
