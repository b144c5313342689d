"""The hazard workflow: the one table of the actions on a hazard, and one service per status move.

Each action is declared once, under its key: its rule (who may, in which statuses, on which level, the status
a move leads to), the service that takes it, and its route under the hazard's address. Pages and API read this
table; their own parts of an action (the page's form and words, the API's input and schema words) are keyed by
the same key in their layers, and the page routes and API actions are generated from it.

Every service runs in a transaction, locks the hazard row (so two inspectors verifying the same hazard
cannot both win), finds the hazard only within the actor's scope (outside it, Hazard.DoesNotExist), checks
the table, and writes an immutable timeline event. A status changes only in `move`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazards.lib.calendar import local_today
from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import (
    AuditAction,
    EventKind,
    EvidenceKind,
    EvidenceStage,
    ExtensionStatus,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
    NoticeKind,
    Role,
    SupervisionListing,
    User,
)
from hazards.services.audit import audit_record
from hazards.services.counts import counts_follow
from hazards.services.handovers import handover_notify

OPEN, SUBMITTED, CLOSED, VOID = (
    HazardStatus.OPEN,
    HazardStatus.SUBMITTED,
    HazardStatus.CLOSED,
    HazardStatus.VOID,
)
ENTERPRISE, INSPECTOR, SUPERVISOR = Role.ENTERPRISE, Role.INSPECTOR, Role.SUPERVISOR


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
    """Who may take an action, on a hazard of which statuses and level, and the status a move leads to.

    An action taken `at_logging` is taken as the hazard is logged (its statuses are those of the hazard being
    logged), never on a logged hazard's page. `role_refusal` and `level_refusal` are what a refused actor is
    told where the general words ("Your role may not do this.", "Only a major hazard has this.") do not fit.
    """

    roles: frozenset[Role]
    statuses: frozenset[HazardStatus]
    target: HazardStatus | None = None
    level: HazardLevel | None = None
    at_logging: bool = False
    refusal: Callable[[Hazard], str | None] | None = field(default=None, compare=False)
    role_refusal: Promise | None = None
    level_refusal: Promise | None = None


@dataclass(frozen=True)
class Action:
    """One action on a hazard: its rule, the service that takes it, and its route under the hazard's address.

    The service is named by its dotted path: the services import this module for its rules and moves. An
    action without a route is taken on another form of its own: the hazard's logging (fixed on the spot) or
    the evidence upload, whose routes are the evidence's.
    """

    rule: Rule
    service: str
    route: str | None = None

    def perform(self, **kwargs) -> object:
        """Call the action's service with these keyword arguments (actor, hazard_id and its input)."""
        return import_string(self.service)(**kwargs)


def _rule(roles: Iterable[Role], statuses: Iterable[HazardStatus], **facts) -> Rule:
    return Rule(frozenset(roles), frozenset(statuses), **facts)


WORKFLOW = "hazards.services.workflow"
MAJOR = "hazards.services.major"
EXTENSIONS = "hazards.services.extensions"

# Every action on a hazard, under the key that pages and API use for it too: Action(rule, service, route).
ACTIONS: dict[str, Action] = {
    # The status moves: the state table.
    "submit": Action(_rule({ENTERPRISE}, {OPEN}, target=SUBMITTED), f"{WORKFLOW}.hazard_submit", "submit/"),
    "send_back": Action(
        _rule({INSPECTOR}, {SUBMITTED}, target=OPEN), f"{WORKFLOW}.hazard_send_back", "send-back/"
    ),
    "verify": Action(_rule({INSPECTOR}, {SUBMITTED}, target=CLOSED), f"{WORKFLOW}.hazard_verify", "verify/"),
    "void": Action(_rule({SUPERVISOR}, {OPEN, SUBMITTED}, target=VOID), f"{WORKFLOW}.hazard_void", "void/"),
    "fixed_on_spot": Action(
        _rule(
            {INSPECTOR},
            {OPEN},
            target=CLOSED,
            level=HazardLevel.GENERAL,
            at_logging=True,
            role_refusal=gettext_lazy("Only an inspector closes a hazard fixed on the spot."),
            level_refusal=gettext_lazy("Only a general hazard can be fixed on the spot."),
        ),
        "hazards.services.hazards.hazard_log",
    ),
    # Actions on the timeline that keep the status.
    "plan": Action(_rule({ENTERPRISE}, {OPEN}, level=HazardLevel.MAJOR), f"{MAJOR}.plan_file", "plan/"),
    "extension_request": Action(
        _rule({ENTERPRISE}, {OPEN}, refusal=_pending_extension),
        f"{EXTENSIONS}.extension_request",
        "extension/",
    ),
    "extension_decide": Action(
        _rule({INSPECTOR}, {OPEN, SUBMITTED}, refusal=_no_pending_extension),
        f"{EXTENSIONS}.extension_decide",
        "extension/decide/",
    ),
    "suspension": Action(
        _rule({INSPECTOR, SUPERVISOR}, {OPEN, SUBMITTED}, level=HazardLevel.MAJOR),
        f"{MAJOR}.suspension_record",
        "suspension/",
    ),
    "listing": Action(
        _rule({SUPERVISOR}, {OPEN, SUBMITTED}, level=HazardLevel.MAJOR, refusal=_already_listed),
        f"{MAJOR}.hazard_list_for_supervision",
        "listing/",
    ),
    "reclassify": Action(_rule({INSPECTOR}, {OPEN, SUBMITTED}), f"{MAJOR}.hazard_reclassify", "level/"),
    "add_evidence": Action(_rule({ENTERPRISE, INSPECTOR}, {OPEN}), "hazards.services.evidence.evidence_add"),
}


def check(action: str, hazard: Hazard, actor: User) -> None:
    """Raise the domain error that forbids `action` on `hazard` for `actor`, if any.

    For an action taken at logging, `hazard` is the hazard about to be logged, and its level is the actor's
    choice: a refusal of the level is on the field "level".
    """
    rule = ACTIONS[action].rule
    if actor.role not in rule.roles:
        raise ActionNotPermitted(str(rule.role_refusal or _("Your role may not do this.")))
    if hazard.status not in rule.statuses:
        raise InvalidTransition(
            _("Not possible while the hazard is “%(status)s”.") % {"status": hazard.get_status_display()}
        )
    if rule.level and hazard.level != rule.level:
        raise RuleViolation(
            str(rule.level_refusal or _("Only a major hazard has this.")),
            field="level" if rule.at_logging else None,
        )
    if rule.refusal and (reason := rule.refusal(hazard)):
        raise RuleViolation(reason)


def permitted_actions(hazard: Hazard, user: User) -> set[str]:
    """The actions the user may take on the logged hazard now: what the pages and the API offer."""
    allowed = set()
    for key, action in ACTIONS.items():
        if action.rule.at_logging:
            continue
        try:
            check(key, hazard, user)
        except (ActionNotPermitted, InvalidTransition, RuleViolation):
            continue
        allowed.add(key)
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


def move(hazard: Hazard, action: str, actor: User, kind: EventKind, *, comment: str = "", **data) -> None:
    """Take the hazard to its action's target status; the counts follow, the timeline and audit log record it.

    The one place a hazard's status is assigned. The caller holds the hazard (locked, or just logged in its
    transaction) and has checked the action's rule; the hazard's other changes are saved with it.
    """
    from_status = hazard.status
    with counts_follow(hazard):
        hazard.status = ACTIONS[action].rule.target
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
    move(
        hazard,
        "submit",
        actor,
        EventKind.SUBMITTED,
        comment=comment.strip(),
        on_time=hazard.submitted_by_deadline,
    )
    handover_notify(hazard=hazard, kind=NoticeKind.SUBMITTED)
    return hazard


@transaction.atomic
def hazard_send_back(*, actor: User, hazard_id: int, reasons: str) -> Hazard:
    """The inspector finds the rectification insufficient: back to open, with the reasons."""
    hazard = locked_hazard(actor, hazard_id)
    check("send_back", hazard, actor)
    reasons = required_text(reasons, "reasons", _("Say why the rectification is sent back."))
    move(hazard, "send_back", actor, EventKind.SENT_BACK, comment=reasons)
    handover_notify(hazard=hazard, kind=NoticeKind.SENT_BACK)
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
    move(hazard, "verify", actor, EventKind.VERIFIED, comment=comment.strip(), on_time=on_time)
    delist(hazard, actor, now)
    handover_notify(hazard=hazard, kind=NoticeKind.VERIFIED)
    return hazard


@transaction.atomic
def hazard_void(*, actor: User, hazard_id: int, reason: str) -> Hazard:
    """A supervisor voids a hazard logged in error. It stays in the register, marked void."""
    hazard = locked_hazard(actor, hazard_id)
    check("void", hazard, actor)
    reason = required_text(reason, "reason", _("Say why the hazard is void."))
    move(hazard, "void", actor, EventKind.VOIDED, comment=reason)
    delist(hazard, actor, timezone.now())
    return hazard


def delist(hazard: Hazard, actor: User, when: datetime.datetime) -> None:
    """End the hazard's listing for supervision, if it has one, on its timeline."""
    if SupervisionListing.objects.filter(hazard=hazard, delisted_at__isnull=True).update(delisted_at=when):
        record_event(hazard, EventKind.DELISTED, actor)
