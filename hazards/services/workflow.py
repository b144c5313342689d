"""The hazard workflow: one table of what each role may do in each status, and one service per move.

Every service runs in a transaction, locks the hazard row (so two inspectors verifying the same hazard
cannot both win), finds the hazard only within the actor's scope (outside it, Hazard.DoesNotExist), checks
the table, and writes an immutable timeline event. Nothing else changes a hazard's status.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.domain.calendar import local_today
from hazards.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import (
    AuditAction,
    EventKind,
    EvidenceKind,
    EvidenceStage,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardStatus,
    Role,
    SupervisionListing,
    User,
)
from hazards.services.audit import audit_record
from hazards.services.counts import counts_follow

OPEN, SUBMITTED, CLOSED, VOID = (
    HazardStatus.OPEN,
    HazardStatus.SUBMITTED,
    HazardStatus.CLOSED,
    HazardStatus.VOID,
)


def _already_listed(hazard: Hazard) -> str | None:
    if SupervisionListing.objects.filter(hazard=hazard).exists():
        return _("This hazard is already listed for supervision.")
    return None


def _no_pending_extension(hazard: Hazard) -> str | None:
    if not hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
        return _("There is no extension request to decide.")
    return None


def _pending_extension(hazard: Hazard) -> str | None:
    if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
        return _("An extension request is already waiting for a decision.")
    return None


@dataclass(frozen=True)
class Rule:
    """Who may take an action, in which statuses, and the status it leads to (for a move)."""

    roles: frozenset[Role]
    statuses: frozenset[HazardStatus]
    target: HazardStatus | None = None
    major_only: bool = False
    refusal: Callable[[Hazard], str | None] | None = field(default=None, compare=False)


RULES: dict[str, Rule] = {
    # The status moves: the state table.
    "submit": Rule(frozenset({Role.ENTERPRISE}), frozenset({OPEN}), target=SUBMITTED),
    "send_back": Rule(frozenset({Role.INSPECTOR}), frozenset({SUBMITTED}), target=OPEN),
    "verify": Rule(frozenset({Role.INSPECTOR}), frozenset({SUBMITTED}), target=CLOSED),
    "void": Rule(frozenset({Role.SUPERVISOR}), frozenset({OPEN, SUBMITTED}), target=VOID),
    # Actions on the timeline that keep the status.
    "add_evidence": Rule(frozenset({Role.ENTERPRISE, Role.INSPECTOR}), frozenset({OPEN})),
    "request_extension": Rule(frozenset({Role.ENTERPRISE}), frozenset({OPEN}), refusal=_pending_extension),
    "decide_extension": Rule(
        frozenset({Role.INSPECTOR}), frozenset({OPEN, SUBMITTED}), refusal=_no_pending_extension
    ),
    "file_plan": Rule(frozenset({Role.ENTERPRISE}), frozenset({OPEN}), major_only=True),
    "record_suspension": Rule(
        frozenset({Role.INSPECTOR, Role.SUPERVISOR}), frozenset({OPEN, SUBMITTED}), major_only=True
    ),
    "reclassify": Rule(frozenset({Role.INSPECTOR}), frozenset({OPEN, SUBMITTED})),
    "list": Rule(
        frozenset({Role.SUPERVISOR}), frozenset({OPEN, SUBMITTED}), major_only=True, refusal=_already_listed
    ),
}


def check(action: str, hazard: Hazard, actor: User) -> None:
    """Raise the domain error that forbids `action` on `hazard` for `actor`, if any."""
    rule = RULES[action]
    if actor.role not in rule.roles:
        raise ActionNotPermitted(_("Your role may not do this."))
    if hazard.status not in rule.statuses:
        raise InvalidTransition(
            _("Not possible while the hazard is “%(status)s”.") % {"status": hazard.get_status_display()}
        )
    if rule.major_only and not hazard.is_major:
        raise RuleViolation(_("Only a major hazard has this."))
    if rule.refusal and (reason := rule.refusal(hazard)):
        raise RuleViolation(reason)


def permitted_actions(hazard: Hazard, user: User) -> set[str]:
    """The actions the user may take on the hazard now: what the pages offer."""
    allowed = set()
    for action in RULES:
        try:
            check(action, hazard, user)
        except (ActionNotPermitted, InvalidTransition, RuleViolation):
            continue
        allowed.add(action)
    return allowed


def locked_hazard(actor: User, hazard_id: int) -> Hazard:
    """The hazard, locked for this transaction, if the actor may see it; Hazard.DoesNotExist otherwise."""
    return Hazard.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=hazard_id)


def record_event(
    hazard: Hazard,
    kind: EventKind,
    actor: User,
    *,
    comment: str = "",
    from_status: str = "",
    to_status: str = "",
    **data,
) -> HazardEvent:
    """Write one immutable line of the hazard's timeline; a change of status also goes to the audit log."""
    event = HazardEvent.objects.create(
        hazard=hazard,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        data=data,
    )
    if from_status and to_status and from_status != to_status:
        audit_record(
            action=AuditAction.STATUS_MOVE,
            actor=actor,
            obj=hazard,
            label=hazard.number,
            detail={"from": str(from_status), "to": str(to_status), "event": str(kind)},
        )
    return event


def _move(hazard: Hazard, action: str, actor: User, kind: EventKind, *, comment: str = "", **data) -> None:
    from_status = hazard.status
    with counts_follow(hazard):
        hazard.status = RULES[action].target
        hazard.save()
    record_event(
        hazard, kind, actor, comment=comment, from_status=from_status, to_status=hazard.status, **data
    )


def required_text(value: str, field: str, message: str | None = None) -> str:
    """The text stripped, or a RuleViolation on the field when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message or _("This field is required."), field=field)
    return value


@transaction.atomic
def hazard_submit(*, actor: User, hazard_id: int, comment: str = "") -> Hazard:
    """The enterprise declares the hazard rectified, with evidence (and its plan, if major)."""
    hazard = locked_hazard(actor, hazard_id)
    check("submit", hazard, actor)
    if not hazard.evidence.filter(stage=EvidenceStage.RECTIFIED).exists():
        raise RuleViolation(_("Upload at least one photo or document of the rectification first."))
    if hazard.is_major and not hasattr(hazard, "plan"):
        raise RuleViolation(_("A major hazard needs its rectification plan before it is submitted."))
    hazard.submitted_at = timezone.now()
    _move(
        hazard,
        "submit",
        actor,
        EventKind.SUBMITTED,
        comment=comment.strip(),
        on_time=hazard.submitted_by_deadline,
    )
    return hazard


@transaction.atomic
def hazard_send_back(*, actor: User, hazard_id: int, reasons: str) -> Hazard:
    """The inspector finds the rectification insufficient: back to open, with the reasons."""
    hazard = locked_hazard(actor, hazard_id)
    check("send_back", hazard, actor)
    reasons = required_text(reasons, "reasons", _("Say why the rectification is sent back."))
    _move(hazard, "send_back", actor, EventKind.SENT_BACK, comment=reasons)
    return hazard


@transaction.atomic
def hazard_verify(
    *,
    actor: User,
    hazard_id: int,
    comment: str = "",
    reviewed_on_site_on: datetime.date | None = None,
) -> Hazard:
    """The inspector accepts the rectification and the hazard closes (销号); a listing ends with it.

    A major hazard also needs an assessment document among its evidence and the date of the on-site review.
    """
    hazard = locked_hazard(actor, hazard_id)
    check("verify", hazard, actor)
    if hazard.is_major:
        assessed = hazard.evidence.filter(stage=EvidenceStage.ASSESSMENT, kind=EvidenceKind.DOCUMENT).exists()
        if not assessed:
            raise RuleViolation(
                _("A major hazard closes only with an assessment document among its evidence.")
            )
        if reviewed_on_site_on is None:
            raise RuleViolation(
                _("Record the date of the on-site review of this major hazard."), field="reviewed_on_site_on"
            )
        if reviewed_on_site_on > local_today():
            raise RuleViolation(_("The on-site review cannot be in the future."), field="reviewed_on_site_on")
        hazard.reviewed_on_site_at = timezone.make_aware(
            datetime.datetime.combine(reviewed_on_site_on, datetime.time(12))
        )
    now = timezone.now()
    hazard.closed_at = now
    on_time = hazard.submitted_by_deadline
    _move(hazard, "verify", actor, EventKind.VERIFIED, comment=comment.strip(), on_time=on_time)
    delist(hazard, actor, now)
    return hazard


@transaction.atomic
def hazard_void(*, actor: User, hazard_id: int, reason: str) -> Hazard:
    """A supervisor voids a hazard logged in error. It stays in the register, marked void."""
    hazard = locked_hazard(actor, hazard_id)
    check("void", hazard, actor)
    reason = required_text(reason, "reason", _("Say why the hazard is void."))
    _move(hazard, "void", actor, EventKind.VOIDED, comment=reason)
    delist(hazard, actor, timezone.now())
    return hazard


def delist(hazard: Hazard, actor: User, when: datetime.datetime) -> None:
    """End the hazard's listing for supervision, if it has one, on its timeline."""
    if SupervisionListing.objects.filter(hazard=hazard, delisted_at__isnull=True).update(delisted_at=when):
        record_event(hazard, EventKind.DELISTED, actor)
