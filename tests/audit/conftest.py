"""Fixtures of the audit log's tests: a client address, and row helpers."""

import pytest

from hazards.models import AuditAction, AuditEvent

ADDRESS = "203.0.113.7"
FROM = {"REMOTE_ADDR": ADDRESS}


def rows(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def only(action: AuditAction) -> AuditEvent:
    """The one row of the action; fails when there are none or several."""
    found = rows(action)
    assert len(found) == 1, f"{len(found)} rows of {action}: {found}"
    return found[0]


@pytest.fixture
def evidence_files(evidence_root):
    return evidence_root
