"""Logging a hazard: by an inspector on a visit, or by the enterprise from its own checks."""

import datetime
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import (
    Clause,
    Enterprise,
    EventKind,
    EvidenceStage,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    NoticeKind,
    Role,
    User,
)
from hazards.services.counts import counts_add
from hazards.services.evidence import evidence_check, evidence_store
from hazards.services.handovers import handover_notify
from hazards.services.numbering import next_sequence
from hazards.services.workflow import check, move, record_event, required_text

# Which sources each role may log a hazard under.
SOURCES_BY_ROLE = {
    Role.INSPECTOR: {HazardSource.GOVERNMENT_INSPECTION, HazardSource.SPECIAL_CAMPAIGN, HazardSource.REPORT},
    Role.ENTERPRISE: {HazardSource.SELF_INSPECTION},
}


def default_deadline(level: str, found_on: datetime.date) -> datetime.date:
    """The deadline a hazard gets when none is given: a number of days per level (HAZARD_DEADLINE_DAYS)."""
    return found_on + datetime.timedelta(days=settings.HAZARD_DEADLINE_DAYS[level])


def criterion_for(
    level: str, criterion_id: int | None, *, sector_id: int, on: datetime.date
) -> Clause | None:
    """The criterion a hazard of that level needs: for a major one, a clause of a standard of its sector in
    force on that day; for a general one, none. RuleViolation on the field "criterion" otherwise."""
    if level != HazardLevel.MAJOR:
        if criterion_id is not None:
            raise RuleViolation(_("Only a major hazard has a criterion."), field="criterion")
        return None
    if criterion_id is None:
        raise RuleViolation(_("A major hazard needs the criterion it matches."), field="criterion")
    criterion = Clause.objects.in_force(on).filter(pk=criterion_id).first()
    if criterion is None:
        raise RuleViolation(_("Choose a criterion of a standard in force."), field="criterion")
    if not criterion.standard.sectors.filter(pk=sector_id).exists():
        raise RuleViolation(_("This criterion belongs to the standard of another sector."), field="criterion")
    return criterion


@transaction.atomic
def hazard_log(
    *,
    actor: User,
    enterprise_id: int,
    source: str,
    description: str,
    location: str,
    level: str,
    measures: str,
    responsible_person: str,
    criterion_id: int | None = None,
    deadline: datetime.date | None = None,
    found_at: datetime.datetime | None = None,
    fixed_on_spot: bool = False,
    photos: Sequence[UploadedFile] = (),
    after_photos: Sequence[UploadedFile] = (),
    repeat_of: Hazard | None = None,
    attach: Callable[[Hazard], object] | None = None,
) -> Hazard:
    """Log a hazard at an enterprise in the actor's scope; it opens, or closes at once if fixed on the spot.

    A major hazard needs a criterion of a standard in force for the enterprise's sector. A general hazard
    fixed during an inspector's visit is logged with its after-photo and closed at once. The deadline defaults
    per level and is never in the past. The caller may name the hazard it repeats, and attach what it records
    with the hazard (an inspection's finding): attach(hazard) runs in the same transaction, before the photos
    are stored, so a refusal there leaves nothing behind.
    """
    if actor.role not in SOURCES_BY_ROLE:
        raise ActionNotPermitted(_("Only inspectors and enterprises log hazards."))
    enterprise = Enterprise.objects.visible_to(actor).get(pk=enterprise_id)
    if source not in SOURCES_BY_ROLE[actor.role]:
        raise RuleViolation(_("You cannot log a hazard from this source."), field="source")
    if level not in HazardLevel.values:
        raise RuleViolation(_("Choose general or major."), field="level")
    now = timezone.now()
    found_at = found_at or now
    if found_at > now:
        raise RuleViolation(_("A hazard cannot be found in the future."), field="found_at")
    today = local_today()
    deadline = deadline or default_deadline(level, today)
    if deadline < today:
        raise RuleViolation(_("The deadline cannot be in the past."), field="deadline")

    criterion = criterion_for(
        level, criterion_id, sector_id=enterprise.sector_id, on=timezone.localdate(found_at)
    )

    if fixed_on_spot:
        check("fixed_on_spot", Hazard(level=level), actor)  # the hazard as it is about to be logged
        if not after_photos:
            raise RuleViolation(
                _("A hazard fixed on the spot needs a photo after the fix."), field="after_photos"
            )
    elif after_photos:
        raise RuleViolation(_("After-photos belong to a hazard fixed on the spot."), field="after_photos")

    # Every upload is checked before anything is written, so a refused photo leaves nothing behind.
    found = [(upload, evidence_check(upload, photo_only=True, field="photos")) for upload in photos]
    after = [
        (upload, evidence_check(upload, photo_only=True, field="after_photos")) for upload in after_photos
    ]

    year = timezone.localdate(found_at).year
    sequence = next_sequence(Hazard, enterprise.region, year)
    hazard = Hazard.objects.create(
        number=f"{enterprise.region.code}-{year}-{sequence:05d}",
        number_year=year,
        number_sequence=sequence,
        enterprise=enterprise,
        region=enterprise.region,
        sector=enterprise.sector,
        source=source,
        description=required_text(description, "description"),
        location=required_text(location, "location"),
        level=level,
        criterion=criterion,
        measures=required_text(measures, "measures"),
        original_deadline=deadline,
        deadline=deadline,
        found_by=actor,
        found_at=found_at,
        responsible_person=required_text(responsible_person, "responsible_person"),
        fixed_on_spot=fixed_on_spot,
        repeat_of=repeat_of,
    )
    if attach is not None:
        attach(hazard)
    record_event(hazard, EventKind.LOGGED, actor, to_status=HazardStatus.OPEN)
    counts_add(hazard)
    for upload, checked in found:
        evidence_store(hazard=hazard, actor=actor, upload=upload, stage=EvidenceStage.FOUND, checked=checked)
    if fixed_on_spot:
        for upload, checked in after:
            evidence_store(
                hazard=hazard, actor=actor, upload=upload, stage=EvidenceStage.RECTIFIED, checked=checked
            )
        hazard.closed_at = now
        move(hazard, "fixed_on_spot", actor, EventKind.VERIFIED, comment=_("Fixed on the spot."))
    elif actor.role == Role.INSPECTOR:
        # An inspector's finding is a rectification order: the enterprise acts next.
        handover_notify(hazard=hazard, kind=NoticeKind.ORDER_ISSUED)
    return hazard
