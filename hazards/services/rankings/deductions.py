"""Deductions of a region's ranking score: accidents and deaths of a quarter, entered by a supervisor."""

from django.db import transaction
from django.utils.translation import gettext as _

from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import RankingDeduction, Region, RegionLevel, Role, User
from hazards.services.rankings.compute import parse_quarter
from hazards.services.workflow import required_text

MAX_COUNT = 10_000


@transaction.atomic
def ranking_deduction_enter(
    *,
    actor: User,
    quarter: str,
    region_code: str,
    accidents: int,
    deaths: int,
    veto: bool,
    reason: str,
) -> RankingDeduction:
    """Enter (or correct) the accidents and deaths of a city or county in the actor's scope for a quarter.

    Region.DoesNotExist for a region outside the scope. A ranking already published keeps its scores.
    """
    if actor.role != Role.SUPERVISOR:
        raise ActionNotPermitted(_("Only a supervisor enters accidents and deaths."))
    year, number = parse_quarter(quarter)
    region = Region.objects.visible_to(actor).get(code=region_code)
    if region.level == RegionLevel.PROVINCE:
        raise RuleViolation(_("A province is not ranked: enter the city or county."), field="region")
    for name, value in (("accidents", accidents), ("deaths", deaths)):
        if value is None or not 0 <= value <= MAX_COUNT:
            raise RuleViolation(_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_COUNT}, field=name)
    reason = required_text(reason, "reason", _("Say what happened: the reason is kept with the deduction."))
    deduction, _created = RankingDeduction.objects.update_or_create(
        year=year,
        quarter=number,
        region=region,
        defaults={
            "accidents": accidents,
            "deaths": deaths,
            "veto": bool(veto),
            "reason": reason,
            "entered_by": actor,
        },
    )
    return deduction
