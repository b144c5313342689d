"""Extensions (延期): the enterprise asks for a later deadline, an inspector decides; the original stays."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today, working_days_between
from hazards.lib.errors import RuleViolation
from hazards.models import EventKind, ExtensionRequest, ExtensionStatus, NoticeKind, User
from hazards.services.counts import counts_follow
from hazards.services.handovers import handover_notify
from hazards.services.workflow import check, locked_hazard, record_event, required_text


@transaction.atomic
def extension_request(
    *, actor: User, hazard_id: int, requested_deadline: datetime.date, reasons: str
) -> ExtensionRequest:
    """Ask for a later deadline, with reasons.

    A hazard listed for supervision must ask at least LISTED_EXTENSION_NOTICE_WORKING_DAYS Chinese working
    days before its deadline (20 by default).
    """
    hazard = locked_hazard(actor, hazard_id)
    check("extension_request", hazard, actor)
    reasons = required_text(reasons, "reasons", _("Give the reasons for the extension."))
    if requested_deadline <= hazard.deadline:
        raise RuleViolation(
            _("Ask for a date after the current deadline, %(deadline)s.") % {"deadline": hazard.deadline},
            field="requested_deadline",
        )
    if hazard.is_listed:
        notice = settings.LISTED_EXTENSION_NOTICE_WORKING_DAYS
        left = working_days_between(local_today(), hazard.deadline)
        if left < notice:
            raise RuleViolation(
                _(
                    "A hazard listed for supervision asks for an extension at least %(notice)d working days "
                    "before its deadline; %(left)d are left."
                )
                % {"notice": notice, "left": left},
                field="requested_deadline",
            )
    extension = ExtensionRequest.objects.create(
        hazard=hazard,
        current_deadline=hazard.deadline,
        requested_deadline=requested_deadline,
        reasons=reasons,
        requested_by=actor,
    )
    record_event(
        hazard,
        EventKind.EXTENSION_REQUESTED,
        actor,
        comment=reasons,
        extension_id=extension.pk,
        requested_deadline=requested_deadline.isoformat(),
    )
    handover_notify(hazard=hazard, kind=NoticeKind.EXTENSION_REQUESTED)
    return extension


@transaction.atomic
def extension_decide(*, actor: User, hazard_id: int, approve: bool, comment: str = "") -> ExtensionRequest:
    """Approve the pending request (the hazard gets its deadline) or reject it with a reason."""
    hazard = locked_hazard(actor, hazard_id)
    check("extension_decide", hazard, actor)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise RuleViolation(_("Say why the extension is rejected."), field="comment")
    extension = hazard.extensions.get(status=ExtensionStatus.PENDING)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_comment = comment
    extension.save()
    if approve:
        previous = hazard.deadline
        with counts_follow(hazard):
            hazard.deadline = extension.requested_deadline
            hazard.save(update_fields=["deadline", "updated_at"])
        record_event(
            hazard,
            EventKind.EXTENSION_APPROVED,
            actor,
            comment=comment,
            extension_id=extension.pk,
            previous_deadline=previous.isoformat(),
            deadline=hazard.deadline.isoformat(),
        )
    else:
        record_event(hazard, EventKind.EXTENSION_REJECTED, actor, comment=comment, extension_id=extension.pk)
    handover_notify(hazard=hazard, kind=NoticeKind.EXTENSION_DECIDED)
    return extension
