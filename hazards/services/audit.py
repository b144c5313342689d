"""The audit log's one writer: `audit_record`, called by the login signals, the workflow, evidence, exports,
rankings, the admin and the middleware that sees refused requests.

A row is written in the caller's transaction (so a move and its row commit or roll back together). What a
user typed (a username, a path) is stored as data; the Python log line shows it escaped (repr), so a newline
in it cannot forge a line.
"""

import logging

from django.db import models
from django.http import HttpRequest

from hazards.lib import request_context as audit_context
from hazards.lib.client_ip import client_ip
from hazards.models import AuditAction, AuditEvent, Region, User

logger = logging.getLogger("hazards.audit")

USERNAME_LENGTH = AuditEvent._meta.get_field("username").max_length
LABEL_LENGTH = AuditEvent._meta.get_field("object_label").max_length
PATH_LENGTH = 500


def _text(value: str) -> str:
    """Text as typed, except NUL, which PostgreSQL cannot store: shown escaped instead."""
    return value.replace("\x00", "\\x00")


def _region_code_of_enterprise(enterprise_id: int) -> str:
    return Region.objects.filter(enterprises__pk=enterprise_id).values_list("code", flat=True).first() or ""


def region_code_of_user(user: User | None) -> str:
    """The region whose supervisors see what the user did: the user's region, or the enterprise's."""
    if user is None:
        return ""
    if user.region_id is not None:
        return user.region.code
    if user.enterprise_id is not None:
        return _region_code_of_enterprise(user.enterprise_id)
    return ""


def region_code_of(obj: models.Model) -> str:
    """The region of a hazard, an enterprise, a ranking run, a report... (empty when it has none)."""
    if isinstance(obj, Region):
        return obj.code
    for field in ("region", "scope"):
        if getattr(obj, f"{field}_id", None) is not None:
            return getattr(obj, field).code
    if getattr(obj, "enterprise_id", None) is not None:
        return _region_code_of_enterprise(obj.enterprise_id)
    return ""


def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    username: str | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: object = "",
    label: str = "",
    region_code: str | None = None,
    detail: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one audit row: who (the actor, or the name typed), when, from where, what, on which object.

    The address is the request's (by default the request being served; none in a worker or a command). The
    region is given, else the object's, else the actor's. `detail` must be JSON: ids, codes, short texts.
    """
    request = request if request is not None else audit_context.current_request()
    if actor is not None and not actor.is_authenticated:
        actor = None
    if username is None:
        username = actor.get_username() if actor is not None else ""
    detail = dict(detail or {})
    username = _text(username)
    if len(username) > USERNAME_LENGTH:
        detail["username_length"] = len(username)
        username = username[:USERNAME_LENGTH]
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        label = label or str(obj)
    if region_code is None:
        region_code = (region_code_of(obj) if obj is not None else "") or region_code_of_user(actor)
    event = AuditEvent.objects.create(
        actor=actor,
        username=username,
        ip=client_ip(request) if request is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_label=_text(label)[:LABEL_LENGTH],
        region_code=region_code or "",
        detail=detail,
    )
    # Every value a user could have typed goes through %r: escaped, quoted, on one line.
    logger.info(
        "audit action=%s user=%r ip=%s object=%r id=%r label=%r",
        event.action,
        event.username,
        event.ip,
        event.object_type,
        event.object_id,
        event.object_label,
    )
    return event


def audit_refused(request: HttpRequest, status: int) -> AuditEvent:
    """A refused request: a 403, or a 404 for an object outside the user's scope."""
    object_type, object_id = getattr(request, audit_context.OUT_OF_SCOPE, ("", ""))
    return audit_record(
        action=AuditAction.ACCESS_DENIED,
        actor=getattr(request, "user", None),  # an anonymous user is recorded as no actor
        object_type=object_type,
        object_id=object_id,
        detail={"status": status, "method": request.method, "path": _text(request.path[:PATH_LENGTH])},
        request=request,
    )


def query_detail(params) -> dict[str, list[str]]:
    """A request's query (the filters of an export) as short JSON data: what was asked, not every byte."""
    return {
        _text(str(key)[:50]): [_text(str(value)[:200]) for value in params.getlist(key)[:10]]
        for key in list(params.keys())[:30]
    }


def audit_export(
    *,
    actor: User,
    what: str,
    fmt: str,
    params=None,
    obj: models.Model | None = None,
    rows: int | None = None,
    background: bool = False,
) -> AuditEvent:
    """An export of the ledger, the statistics or a ranking, in a file or handed to a worker."""
    detail: dict = {"export": what, "format": fmt}
    if params is not None:
        detail["filters"] = query_detail(params)
    if rows is not None:
        detail["rows"] = rows
    if background:
        detail["background"] = True
    return audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=obj,
        object_type="" if obj is not None else what,
        label="" if obj is not None else what,
        region_code=region_code_of_user(actor) if obj is None else None,
        detail=detail,
    )
