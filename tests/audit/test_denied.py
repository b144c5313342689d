"""Denied access: a 403, and a 404 for an object outside the user's scope, each write one row; a 404 for an
address or id that names nothing writes none."""

import pytest
from django.urls import reverse

from hazards.models import AuditAction, EvidenceStage
from hazards.services.evidence import evidence_add
from tests.audit.conftest import ADDRESS, FROM, only, rows
from tests.factories import photo_upload

pytestmark = pytest.mark.django_db


def test_a_403_is_recorded_with_the_user_and_path(client, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_new"), **FROM)
    assert response.status_code == 403
    event = only(AuditAction.ACCESS_DENIED)
    assert (event.actor, event.ip, event.region_code) == (cast.shenyang_supervisor, ADDRESS, "210100")
    assert event.detail == {"status": 403, "method": "GET", "path": "/hazards/new/"}


def test_a_hazard_outside_the_scope_is_recorded_as_denied(client, cast, outside_hazard):
    client.force_login(cast.shenyang_inspector)
    response = client.get(reverse("hazard_detail", args=[outside_hazard.pk]), **FROM)
    assert response.status_code == 404
    event = only(AuditAction.ACCESS_DENIED)
    assert (event.actor, event.object_type, event.object_id) == (
        cast.shenyang_inspector,
        "hazards.hazard",
        str(outside_hazard.pk),
    )
    assert event.detail["status"] == 404


def test_a_hazard_that_does_not_exist_is_a_404_not_recorded(client, cast, outside_hazard):
    client.force_login(cast.shenyang_inspector)
    assert client.get(reverse("hazard_detail", args=[outside_hazard.pk + 1000])).status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    assert not rows(AuditAction.ACCESS_DENIED)


def test_a_move_on_a_hazard_outside_the_scope_is_recorded_as_denied(client, cast, outside_hazard):
    client.force_login(cast.shenyang_inspector)
    assert client.post(reverse("hazard_verify", args=[outside_hazard.pk]), {}).status_code == 404
    assert only(AuditAction.ACCESS_DENIED).object_id == str(outside_hazard.pk)
    assert not rows(AuditAction.STATUS_MOVE)


def test_the_api_records_a_hazard_outside_the_scope_and_a_forbidden_move(
    api, cast, outside_hazard, make_hazard
):
    client = api(cast.heping_staff)
    assert client.get(f"/api/v1/hazards/{outside_hazard.pk}/", **FROM).status_code == 404
    assert client.get(f"/api/v1/hazards/{outside_hazard.pk + 1000}/").status_code == 404
    [denied] = rows(AuditAction.ACCESS_DENIED)
    assert (denied.actor, denied.ip, denied.object_id) == (cast.heping_staff, ADDRESS, str(outside_hazard.pk))
    inside = make_hazard()
    assert client.post(f"/api/v1/hazards/{inside.pk}/verify/", {}, format="json").status_code == 403
    forbidden = rows(AuditAction.ACCESS_DENIED)[-1]
    assert (forbidden.actor, forbidden.detail["status"]) == (cast.heping_staff, 403)
    assert len(rows(AuditAction.ACCESS_DENIED)) == 2


def test_evidence_of_a_hazard_outside_the_scope_is_recorded_as_denied(
    client, api, cast, outside_hazard, evidence_root
):
    evidence = evidence_add(
        actor=cast.zhongshan_staff,
        hazard_id=outside_hazard.pk,
        upload=photo_upload(),
        stage=EvidenceStage.RECTIFIED,
    )
    client.force_login(cast.shenyang_supervisor)
    assert client.get(reverse("evidence_download", args=[outside_hazard.pk, evidence.pk])).status_code == 404
    url = f"/api/v1/hazards/{outside_hazard.pk}/evidence/{evidence.pk}/download/"
    assert api(cast.shenyang_inspector).get(url).status_code == 404
    assert (
        api(cast.shenyang_inspector)
        .get(f"/api/v1/hazards/{outside_hazard.pk}/evidence/{evidence.pk + 99}/download/")
        .status_code
        == 404
    )
    denied = rows(AuditAction.ACCESS_DENIED)
    assert [(row.actor, row.object_type, row.object_id) for row in denied] == [
        (cast.shenyang_supervisor, "hazards.evidence", str(evidence.pk)),
        (cast.shenyang_inspector, "hazards.evidence", str(evidence.pk)),
    ]
    assert not rows(AuditAction.EVIDENCE_DOWNLOAD)


def test_a_nul_in_a_refused_path_is_stored_escaped(cast):
    """PostgreSQL stores no NUL: the path of a refused request keeps it as the four characters \\x00."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.shenyang_supervisor)
    response = client.post("/hazards/exports/a%00b/download/", **FROM)
    assert response.status_code == 403  # no CSRF token
    assert only(AuditAction.ACCESS_DENIED).detail["path"] == "/hazards/exports/a\\x00b/download/"
