"""Reads of the audit log: what a user may see of it, filtered."""

import datetime

from hazards.lib.calendar import local_midnight
from hazards.models import AuditEvent, Role, User
from hazards.models.audit import AuditEventQuerySet


def can_view_audit_log(user: User) -> bool:
    """Supervisors (their region and below) and administrators (everything)."""
    return user.is_authenticated and (user.sees_everything or user.role == Role.SUPERVISOR)


def audit_events(
    user: User,
    *,
    action: str = "",
    username: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> AuditEventQuerySet:
    """The rows the user may see, newest first; dates are whole days in the portal's time zone."""
    events = AuditEvent.objects.visible_to(user)
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(username=username)
    if date_from is not None:
        events = events.filter(occurred_at__gte=local_midnight(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=local_midnight(date_to + datetime.timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")
