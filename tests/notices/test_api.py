"""The notices API: the user's inbox as the page lists it, one notice, reading and acknowledging it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.models import (
    Channel,
    DeliveryState,
    EventKind,
    Hazard,
    HazardEvent,
    Notice,
    NoticeDelivery,
    NoticeKind,
    RankingEntry,
    User,
)
from hazards.services.rankings.compute import ranking_compute
from tests.api.helpers import error

pytestmark = pytest.mark.django_db
LIST = reverse("api:notice-list")


def make_notice(
    recipient: User,
    hazard: Hazard | None = None,
    *,
    kind: str = NoticeKind.OVERDUE,
    step: int = 0,
    state: str = DeliveryState.SENT,
    **fields,
) -> Notice:
    """A notice with its in-portal delivery in `state` (sent: delivered now, so in the inbox)."""
    notice = Notice.objects.create(kind=kind, hazard=hazard, recipient=recipient, step=step, **fields)
    sent = state == DeliveryState.SENT
    NoticeDelivery.objects.create(
        notice=notice,
        channel=Channel.IN_APP,
        state=state,
        attempts=1 if sent else 0,
        sent_at=timezone.now() if sent else None,
    )
    return notice


def ranking_notice(recipient: User, entry: RankingEntry) -> Notice:
    return make_notice(recipient, kind=NoticeKind.RANKING_PUBLISHED, step=0, ranking_entry=entry)


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def detail_url(notice: Notice, action: str = "detail") -> str:
    return reverse(f"api:notice-{action}", args=[notice.pk])


# --- Reading the inbox ---------------------------------------------------------------------------------


def test_it_lists_only_the_users_notices_delivered_in_the_portal_newest_first(api, cast, make_hazard):
    hazard = make_hazard()
    older = make_notice(cast.heping_staff, hazard, kind=NoticeKind.DUE_SOON)
    newer = make_notice(cast.heping_staff, hazard, kind=NoticeKind.OVERDUE)
    make_notice(cast.heping_staff, hazard, step=1, state=DeliveryState.PENDING)  # not delivered yet
    make_notice(cast.heping_staff, hazard, step=2, state=DeliveryState.WITHDRAWN)  # never delivered
    make_notice(cast.shenyang_inspector, hazard)  # someone else's
    response = api(cast.heping_staff).get(LIST)
    assert listed(response) == [newer.pk, older.pk]
    assert response.json()["count"] == 2


def test_a_notice_shows_its_hazard_in_brief_and_when_it_was_delivered(api, cast, make_hazard):
    hazard = make_hazard()
    notice = make_notice(cast.heping_staff, hazard, step=1, requires_acknowledgement=True)
    delivered_at = NoticeDelivery.objects.get(notice=notice).sent_at
    body = api(cast.heping_staff).get(detail_url(notice)).json()
    assert body == {
        "id": notice.pk,
        "kind": "overdue",
        "step": 1,
        "created_at": body["created_at"],
        "delivered_at": body["delivered_at"],
        "read_at": None,
        "requires_acknowledgement": True,
        "acknowledged_at": None,
        "hazard": {"id": hazard.pk, "number": hazard.number, "enterprise_name": "和平区燃气有限公司"},
        "ranking": None,
    }
    assert body["delivered_at"] == delivered_at.astimezone(timezone.get_current_timezone()).isoformat()


def test_a_ranking_notice_names_the_run_the_rank_and_the_score(api, cast, liaoning):
    run = ranking_compute(year=2025, quarter=3, scope=liaoning.shenyang)
    entry = run.entries.get(region=liaoning.counties["heping"])
    notice = ranking_notice(cast.shenyang_supervisor, entry)
    [row] = api(cast.shenyang_supervisor).get(LIST).json()["results"]
    assert row["id"] == notice.pk and row["kind"] == "ranking_published" and row["hazard"] is None
    assert row["ranking"] == {
        "run": run.pk,
        "year": 2025,
        "quarter": 3,
        "rank": entry.rank,
        "score": entry.score,
    }


def test_the_unread_filter_keeps_the_unread_or_the_read_ones(api, cast, make_hazard):
    hazard = make_hazard()
    read = make_notice(cast.shenyang_inspector, hazard, kind=NoticeKind.DUE_SOON, read_at=timezone.now())
    unread = make_notice(cast.shenyang_inspector, hazard, kind=NoticeKind.OVERDUE)
    client = api(cast.shenyang_inspector)
    assert listed(client.get(LIST, {"unread": "true"})) == [unread.pk]
    assert listed(client.get(LIST, {"unread": "false"})) == [read.pk]
    assert listed(client.get(LIST, {"unread": ""})) == [unread.pk, read.pk]
    assert listed(client.get(LIST)) == [unread.pk, read.pk]


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_an_unread_filter_that_is_not_a_boolean_is_a_400_naming_it(api, cast, make_hazard, value):
    make_notice(cast.shenyang_inspector, make_hazard())
    response = api(cast.shenyang_inspector).get(LIST, {"unread": value})
    assert response.status_code == 400
    body = error(response)
    assert list(body["fields"]) == ["unread"] and body["code"] == "invalid"


def test_the_lists_query_count_does_not_grow_with_the_page(api, cast, liaoning, make_hazard):
    run = ranking_compute(year=2025, quarter=3, scope=liaoning.shenyang)
    for entry in run.entries.all():
        ranking_notice(cast.shenyang_supervisor, entry)
    for enterprise in liaoning.enterprises.values():
        make_notice(cast.shenyang_supervisor, make_hazard(enterprise=enterprise))
    client = api(cast.shenyang_supervisor)
    counts = []
    for page_size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(listed(response)) == min(page_size, 8)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Another user's notice ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "action"), [("get", "detail"), ("post", "read"), ("post", "acknowledge")])
def test_another_users_notice_does_not_exist_for_this_user(api, cast, make_hazard, method, action):
    notice = make_notice(cast.heping_staff, make_hazard(), requires_acknowledgement=True)
    for user in (cast.shenyang_inspector, cast.shenyang_supervisor, cast.zhongshan_staff, cast.admin):
        response = getattr(api(user), method)(detail_url(notice, action))
        assert response.status_code == 404, user
        assert error(response)["code"] == "not_found"
    notice.refresh_from_db()
    assert (notice.read_at, notice.acknowledged_at) == (None, None)
    assert not HazardEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).exists()


def test_a_notice_not_delivered_in_the_portal_cannot_be_read_or_acknowledged(api, cast, make_hazard):
    notice = make_notice(cast.heping_staff, make_hazard(), state=DeliveryState.PENDING)
    client = api(cast.heping_staff)
    assert client.get(detail_url(notice)).status_code == 404
    assert client.post(detail_url(notice, "read")).status_code == 404
    assert client.post(detail_url(notice, "acknowledge")).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_id_beyond_any_row_is_a_404(api, cast):
    response = api(cast.heping_staff).post(f"{LIST}{'9' * 30}/read/")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


def test_an_anonymous_client_is_asked_to_authenticate(api, cast, make_hazard):
    notice = make_notice(cast.heping_staff, make_hazard())
    client = api(None)
    assert client.get(LIST).status_code == 401
    assert client.get(detail_url(notice)).status_code == 401
    assert client.post(detail_url(notice, "read")).status_code == 401
    assert client.post(detail_url(notice, "acknowledge")).status_code == 401
    notice.refresh_from_db()
    assert notice.read_at is None


# --- Reading and acknowledging ---------------------------------------------------------------------------


def test_marking_read_answers_the_notice_read_and_keeps_the_first_time(api, cast, make_hazard):
    notice = make_notice(cast.heping_staff, make_hazard(), requires_acknowledgement=True)
    client = api(cast.heping_staff)
    response = client.post(detail_url(notice, "read"))
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None and notice.acknowledged_at is None
    body = response.json()
    assert body["id"] == notice.pk and body["read_at"] is not None and body["acknowledged_at"] is None
    assert body["delivered_at"] is not None  # read again as the list reads it
    first = notice.read_at
    assert client.post(detail_url(notice, "read")).json()["read_at"] == body["read_at"]
    notice.refresh_from_db()
    assert notice.read_at == first
    assert listed(client.get(LIST, {"unread": "true"})) == []
    assert not HazardEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).exists()


def test_acknowledging_answers_the_notice_and_writes_the_hazards_timeline_event_once(api, cast, make_hazard):
    hazard = make_hazard()
    notice = make_notice(cast.heping_staff, hazard, step=2, requires_acknowledgement=True)
    client = api(cast.heping_staff)
    response = client.post(detail_url(notice, "acknowledge"))
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None and notice.read_at is not None
    assert response.json()["acknowledged_at"] is not None and response.json()["read_at"] is not None
    [event] = HazardEvent.objects.filter(hazard=hazard, kind=EventKind.ACKNOWLEDGED)
    assert event.actor == cast.heping_staff
    assert event.data == {"notice_id": notice.pk, "notice_kind": "overdue", "step": 2}
    assert client.post(detail_url(notice, "acknowledge")).status_code == 200
    assert HazardEvent.objects.filter(hazard=hazard, kind=EventKind.ACKNOWLEDGED).count() == 1


def test_acknowledging_a_notice_that_asked_for_none_only_marks_it_read(api, cast, make_hazard):
    hazard = make_hazard()
    notice = make_notice(cast.heping_staff, hazard)
    response = api(cast.heping_staff).post(detail_url(notice, "acknowledge"))
    assert response.status_code == 200
    assert response.json()["read_at"] is not None and response.json()["acknowledged_at"] is None
    assert not HazardEvent.objects.filter(hazard=hazard, kind=EventKind.ACKNOWLEDGED).exists()
