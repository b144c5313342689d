"""Audit rows are append-only: no path in the code changes or deletes one, and PostgreSQL refuses it too."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from hazards.models import AppendOnlyError, AuditAction, AuditEvent
from hazards.services.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(liaoning) -> AuditEvent:
    return audit_record(action=AuditAction.LOGIN_FAILED, username="mallory", region_code="210100")


def test_saving_a_row_again_is_refused(event):
    event.username = "alice"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).username == "mallory"


def test_deleting_a_row_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda: AuditEvent.objects.update(username="alice"),
        lambda: AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).update(username="alice"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["username"]),
    ],
    ids=["manager-update", "queryset-update", "queryset-delete", "bulk-update"],
)
def test_queryset_writes_are_refused(event, write):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        write()
    assert AuditEvent.objects.get(pk=event.pk).username == "mallory"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE hazards_auditevent SET username = 'alice'",
        "UPDATE hazards_auditevent SET occurred_at = occurred_at - interval '1 day'",
        "DELETE FROM hazards_auditevent",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(event, sql):
    assert connection.vendor == "postgresql"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).username == "mallory"


def test_postgresql_still_takes_new_rows_through_raw_sql(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO hazards_auditevent (username, action, object_type, object_id, object_label, "
            "region_code, detail) VALUES ('bob', 'logout', '', '', '', '', '{}')"
        )
    assert AuditEvent.objects.filter(username="bob").get().occurred_at is not None


def test_a_user_with_audit_rows_cannot_be_deleted(liaoning, cast):
    from django.db.models import ProtectedError

    user = cast.shenyang_supervisor
    audit_record(action=AuditAction.LOGIN, actor=user)
    with pytest.raises(ProtectedError):
        user.delete()


# --- The admin shows the log and changes nothing ----------------------------------------------------------


def test_the_admin_lists_and_shows_rows_read_only(client, event, cast):
    client.force_login(cast.admin)
    changelist = reverse("admin:hazards_auditevent_changelist")
    response = client.get(changelist, {"action__exact": "login_failed"})
    assert response.status_code == 200
    assert event in response.context["cl"].result_list
    assert client.get(changelist, {"q": "mallory"}).status_code == 200
    detail = client.get(reverse("admin:hazards_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"] and not detail.context["has_delete_permission"]
    assert b'name="_save"' not in detail.content


def test_the_admin_offers_no_add_change_or_delete(client, event, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("admin:hazards_auditevent_add")).status_code == 403
    change = client.post(
        reverse("admin:hazards_auditevent_change", args=[event.pk]), {"username": "alice", "action": "login"}
    )
    assert change.status_code == 403
    assert (
        client.post(reverse("admin:hazards_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        reverse("admin:hazards_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).username == "mallory"
