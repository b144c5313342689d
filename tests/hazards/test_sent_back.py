"""A hazard sent back (已退回): one rule (open, with the time of a submission) gives its state in every badge
and list, the ledger's export and the API, and its page opens with the reasons of the last send-back."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from hazards.models import Hazard, HazardState, HazardStatus
from hazards.services.workflow import hazard_send_back
from tests.hazards.helpers import EN

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(make_hazard, cast) -> Hazard:
    hazard = make_hazard(submitted=True, description="护栏缺失")
    hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="first try")
    hazard = make_hazard(submitted=True, description="消防通道堵塞")
    hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="照片不清楚\n请补拍全貌")
    return Hazard.objects.get(pk=hazard.pk)


def test_a_sent_back_hazard_is_open_and_shows_as_sent_back(sent_back, make_hazard):
    new = make_hazard()
    assert sent_back.status == HazardStatus.OPEN
    assert (sent_back.state, new.state) == (HazardState.SENT_BACK, HazardState.OPEN)
    with translation.override("zh-hans"):
        assert sent_back.get_state_display() == "已退回" and new.get_state_display() == "待整改"
    assert set(Hazard.objects.sent_back()) == set(Hazard.objects.filter(submitted_at__isnull=False)) - {new}
    assert new not in Hazard.objects.sent_back()


def test_submitting_again_ends_the_sent_back_state(sent_back):
    sent_back.status = HazardStatus.SUBMITTED
    assert not sent_back.is_sent_back and sent_back.state == HazardState.SUBMITTED
    closed = Hazard(status=HazardStatus.CLOSED, submitted_at=sent_back.submitted_at)
    assert closed.state == HazardState.CLOSED


def test_the_ledger_and_its_badges_show_sent_back(client, cast, sent_back, make_hazard):
    make_hazard(description="新隐患")
    client.force_login(cast.heping_inspector)
    body = client.get(reverse("hazard_list"), {"status": "all"}).content.decode()
    assert body.count("已退回") == 4  # two hazards, each on a card and in the table
    assert body.count('status-sent_back"') == 4
    assert "Sent back" in client.get(reverse("hazard_list"), {"status": "all"}, **EN).content.decode()


def test_the_home_list_of_the_enterprise_shows_sent_back(client, cast, sent_back):
    client.force_login(cast.heping_staff)
    body = client.get(reverse("home")).content.decode()
    assert "已退回" in body


def test_the_hazards_page_opens_with_the_reasons_of_the_last_send_back(client, cast, sent_back):
    client.force_login(cast.heping_staff)
    body = client.get(reverse("hazard_detail", args=[sent_back.pk])).content.decode()
    assert 'data-testid="sent-back-reasons"' in body
    assert "照片不清楚<br>请补拍全貌" in body
    assert body.index('data-testid="sent-back-reasons"') < body.index("hazard-facts")
    assert "已退回" in body


def test_the_page_of_a_hazard_submitted_again_has_no_send_back_notice(client, cast, sent_back, make_hazard):
    Hazard.objects.filter(pk=sent_back.pk).update(status=HazardStatus.SUBMITTED)
    client.force_login(cast.heping_staff)
    body = client.get(reverse("hazard_detail", args=[sent_back.pk])).content.decode()
    assert 'data-testid="sent-back-reasons"' not in body
    fresh = make_hazard()
    body = client.get(reverse("hazard_detail", args=[fresh.pk])).content.decode()
    assert 'data-testid="sent-back-reasons"' not in body and "已退回" not in body


def test_the_ledger_export_writes_sent_back_as_the_state(client, cast, sent_back, make_hazard):
    fresh = make_hazard()
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("hazard_export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    state = {row[0]: row[6] for row in rows[1:]}
    assert state[sent_back.number] == "已退回" and state[fresh.number] == "待整改"


def test_the_api_gives_the_state_next_to_the_status(api, cast, sent_back, make_hazard):
    fresh = make_hazard()
    client = api(cast.heping_staff)
    body = client.get(f"/api/v1/hazards/{sent_back.pk}/").json()
    assert (body["status"], body["state"]) == ("open", "sent_back")
    assert client.get(f"/api/v1/hazards/{fresh.pk}/").json()["state"] == "open"


def test_a_hazard_sent_back_elsewhere_stays_out_of_sight(client, cast, make_hazard):
    hazard = make_hazard(of_another_region=True, found_by=cast.dalian_inspector, submitted=True)
    hazard_send_back(actor=cast.dalian_inspector, hazard_id=hazard.pk, reasons="大连的理由")
    client.force_login(cast.heping_staff)
    assert client.get(reverse("hazard_detail", args=[hazard.pk])).status_code == 404
    assert hazard.number not in client.get(reverse("hazard_list"), {"status": "all"}).content.decode()
