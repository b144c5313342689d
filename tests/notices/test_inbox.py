"""The notices in the portal: the inbox, the header's count, reading and acknowledging, and who was told."""

import datetime

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
    User,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST_URL = "/notices/"


def make_notice(
    hazard: Hazard,
    recipient: User,
    *,
    kind: str = NoticeKind.OVERDUE,
    step: int = 0,
    state: str = DeliveryState.SENT,
    email: str | None = None,
    **fields,
) -> Notice:
    """A notice with its in-portal delivery in `state` (sent: delivered now), and an email one if asked."""
    notice = Notice.objects.create(kind=kind, hazard=hazard, recipient=recipient, step=step, **fields)
    sent = state == DeliveryState.SENT
    NoticeDelivery.objects.create(
        notice=notice,
        channel=Channel.IN_APP,
        state=state,
        attempts=1 if sent else 0,
        sent_at=timezone.now() if sent else None,
    )
    if email is not None:
        NoticeDelivery.objects.create(notice=notice, channel=Channel.EMAIL, state=email)
    return notice


def listed(response) -> list[int]:
    return [notice.pk for notice in response.context["page"].object_list]


def fields_of(notice: Notice) -> tuple:
    notice.refresh_from_db()
    return (notice.read_at, notice.acknowledged_at)


# --- The list ----------------------------------------------------------------------------------------


def test_it_lists_only_the_users_notices_delivered_in_the_portal_newest_first(client, make_hazard, cast):
    hazard = make_hazard()
    older = make_notice(hazard, cast.heping_staff, kind=NoticeKind.DUE_SOON)
    newer = make_notice(hazard, cast.heping_staff, kind=NoticeKind.OVERDUE)
    make_notice(hazard, cast.heping_staff, kind=NoticeKind.OVERDUE, step=1, state=DeliveryState.PENDING)
    make_notice(hazard, cast.heping_staff, kind=NoticeKind.OVERDUE, step=2, state=DeliveryState.WITHDRAWN)
    make_notice(hazard, cast.shenhe_staff)  # someone else's
    client.force_login(cast.heping_staff)
    response = client.get(reverse("notice_list"), **EN)
    assert response.status_code == 200
    assert listed(response) == [newer.pk, older.pk]
    text = response.content.decode()
    assert hazard.number in text and hazard.enterprise.name in text
    assert reverse("hazard_detail", args=[hazard.pk]) in text
    assert hazard.deadline.strftime("%Y-%m-%d") in text
    assert "Deadline soon" in text and "Overdue" in text


def test_it_is_at_notices_and_an_anonymous_visitor_is_asked_to_log_in(client, make_hazard, cast):
    notice = make_notice(make_hazard(), cast.heping_staff)
    assert reverse("notice_list") == LIST_URL
    for url in (LIST_URL, reverse("notice_read", args=[notice.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name in ("notice_read", "notice_acknowledge"):
        response = client.post(reverse(name, args=[notice.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert fields_of(notice) == (None, None)


def test_unread_ones_are_highlighted_with_a_mark_read_button_and_the_filter_keeps_them(
    client, make_hazard, cast
):
    hazard = make_hazard()
    unread = make_notice(hazard, cast.heping_staff, kind=NoticeKind.OVERDUE)
    read = make_notice(hazard, cast.heping_staff, kind=NoticeKind.DUE_SOON, read_at=timezone.now())
    client.force_login(cast.heping_staff)
    text = client.get(LIST_URL, **EN).content.decode()
    assert f'data-notice="{unread.pk}" data-unread="yes"' in text
    assert f'data-notice="{read.pk}" data-unread="no"' in text
    assert f'action="{reverse("notice_read", args=[unread.pk])}"' in text
    assert f'action="{reverse("notice_read", args=[read.pk])}"' not in text
    assert listed(client.get(LIST_URL, {"show": "unread"})) == [unread.pk]
    assert listed(client.get(LIST_URL, {"show": "nonsense"})) == [read.pk, unread.pk]


def test_the_acknowledge_button_shows_only_on_a_notice_that_asks_for_it_and_is_not_acknowledged(
    client, make_hazard, cast
):
    hazard = make_hazard(major=True)
    asks = make_notice(hazard, cast.heping_staff, requires_acknowledgement=True)
    done = make_notice(
        hazard, cast.heping_staff, step=1, requires_acknowledgement=True, acknowledged_at=timezone.now()
    )
    plain = make_notice(hazard, cast.heping_staff, kind=NoticeKind.DUE_SOON)
    client.force_login(cast.heping_staff)
    text = client.get(LIST_URL, **EN).content.decode()
    assert f'action="{reverse("notice_acknowledge", args=[asks.pk])}"' in text
    assert f'action="{reverse("notice_acknowledge", args=[done.pk])}"' not in text
    assert f'action="{reverse("notice_acknowledge", args=[plain.pk])}"' not in text
    assert "Acknowledged on" in text


def test_it_shows_25_a_page(client, make_hazard, cast):
    hazard = make_hazard()
    for step in range(27):
        make_notice(hazard, cast.heping_staff, step=step)
    client.force_login(cast.heping_staff)
    assert len(listed(client.get(LIST_URL))) == 25
    assert len(listed(client.get(LIST_URL, {"page": 2}))) == 2


def test_the_lists_query_count_does_not_grow_with_the_number_of_notices(client, make_hazard, cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST_URL).status_code == 200
        return len(context)

    client.force_login(cast.heping_staff)
    make_notice(make_hazard(), cast.heping_staff)
    few = queries()
    for _ in range(6):
        make_notice(make_hazard(major=True), cast.heping_staff, requires_acknowledgement=True)
    assert queries() == few


# --- The header --------------------------------------------------------------------------------------


def test_the_header_links_to_the_notices_with_the_unread_count(client, make_hazard, cast):
    hazard = make_hazard()
    make_notice(hazard, cast.heping_staff)
    make_notice(hazard, cast.heping_staff, step=1)
    make_notice(hazard, cast.heping_staff, step=2, read_at=timezone.now())
    make_notice(hazard, cast.heping_staff, kind=NoticeKind.DUE_SOON, state=DeliveryState.PENDING)
    client.force_login(cast.heping_staff)
    text = client.get(reverse("home"), **EN).content.decode()
    assert f'href="{LIST_URL}" data-testid="notices-link"' in text
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">2</span>' in text


def test_the_header_shows_no_badge_when_all_is_read_and_no_link_to_an_anonymous_visitor(
    client, make_hazard, cast
):
    make_notice(make_hazard(), cast.heping_staff, read_at=timezone.now())
    client.force_login(cast.heping_staff)
    text = client.get(reverse("home"), **EN).content.decode()
    assert 'data-testid="notices-link"' in text
    assert 'data-testid="unread-count"' not in text
    client.logout()
    assert 'data-testid="notices-link"' not in client.get(reverse("login")).content.decode()


# --- Mark read, acknowledge --------------------------------------------------------------------------


def test_mark_read_sets_read_at_once_and_goes_back_to_the_list_with_its_filter(client, make_hazard, cast):
    notice = make_notice(make_hazard(), cast.heping_staff)
    client.force_login(cast.heping_staff)
    url = reverse("notice_read", args=[notice.pk])
    response = client.post(url, {"next": f"{LIST_URL}?show=unread"})
    assert response.status_code == 302 and response.url == f"{LIST_URL}?show=unread"
    read_at, acknowledged_at = fields_of(notice)
    assert read_at is not None and acknowledged_at is None
    client.post(url)
    assert fields_of(notice) == (read_at, None)
    assert not HazardEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).exists()


def test_a_next_elsewhere_is_ignored(client, make_hazard, cast):
    notice = make_notice(make_hazard(), cast.heping_staff)
    client.force_login(cast.heping_staff)
    response = client.post(reverse("notice_read", args=[notice.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == LIST_URL


def test_acknowledge_sets_both_times_puts_it_on_the_timeline_and_a_second_click_changes_nothing(
    client, make_hazard, cast
):
    hazard = make_hazard(major=True)
    notice = make_notice(hazard, cast.heping_staff, requires_acknowledgement=True)
    client.force_login(cast.heping_staff)
    url = reverse("notice_acknowledge", args=[notice.pk])
    response = client.post(url, {"next": LIST_URL})
    assert response.status_code == 302 and response.url == LIST_URL
    read_at, acknowledged_at = fields_of(notice)
    assert read_at is not None and acknowledged_at is not None
    events = HazardEvent.objects.filter(hazard=hazard, kind=EventKind.ACKNOWLEDGED)
    assert [(event.actor, event.data["notice_id"]) for event in events] == [(cast.heping_staff, notice.pk)]
    client.post(url)
    assert fields_of(notice) == (read_at, acknowledged_at)
    assert events.count() == 1
    text = client.get(LIST_URL, **EN).content.decode()
    assert f'action="{url}"' not in text and "Acknowledged on" in text


def test_htmx_gets_the_updated_row_and_the_badge(client, make_hazard, cast):
    notice = make_notice(make_hazard(major=True), cast.heping_staff, requires_acknowledgement=True)
    make_notice(make_hazard(), cast.heping_staff)
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("notice_acknowledge", args=[notice.pk]), {"next": LIST_URL}, HTTP_HX_REQUEST="true", **EN
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f'data-notice="{notice.pk}" data-unread="no"' in text and "Acknowledged on" in text
    assert 'id="notice-badge" hx-swap-oob="true"' in text and 'data-testid="unread-count">1<' in text


def test_another_users_notice_is_not_found_and_nothing_changes(client, make_hazard, cast):
    hazard = make_hazard(major=True)
    notice = make_notice(hazard, cast.shenhe_staff, requires_acknowledgement=True)
    for user in (cast.heping_staff, cast.shenyang_supervisor):
        client.force_login(user)
        for name in ("notice_read", "notice_acknowledge"):
            assert client.post(reverse(name, args=[notice.pk])).status_code == 404
    assert client.post(reverse("notice_read", args=[notice.pk + 1000])).status_code == 404
    assert fields_of(notice) == (None, None)
    assert not HazardEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).exists()


def test_the_actions_answer_get_with_405(client, make_hazard, cast):
    notice = make_notice(make_hazard(), cast.heping_staff, requires_acknowledgement=True)
    client.force_login(cast.heping_staff)
    for name in ("notice_read", "notice_acknowledge"):
        assert client.get(reverse(name, args=[notice.pk])).status_code == 405
    assert fields_of(notice) == (None, None)


# --- Who was told, on the hazard's page --------------------------------------------------------------


def test_the_hazard_page_shows_a_supervisor_who_was_told_on_which_channel_and_when(client, make_hazard, cast):
    hazard = make_hazard(major=True, deadline=timezone.localdate() - datetime.timedelta(days=3))
    acknowledged = make_notice(
        hazard,
        cast.heping_staff,
        requires_acknowledgement=True,
        read_at=timezone.now(),
        acknowledged_at=timezone.now(),
        email=DeliveryState.SENT,
    )
    NoticeDelivery.objects.filter(notice=acknowledged, channel=Channel.EMAIL).update(
        sent_at=timezone.now(), attempts=1
    )
    unanswered = make_notice(hazard, cast.heping_inspector, step=1, requires_acknowledgement=True)
    NoticeDelivery.objects.create(
        notice=unanswered,
        channel=Channel.EMAIL,
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
    )
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    section = text[text.index('data-testid="notices"') : text.index('data-testid="timeline"')]
    assert "张安全" in section and "Enterprise" in section and hazard.enterprise.name in section
    assert "李检查" in section and "Inspector" in section
    assert "In the portal" in section and "Email" in section
    assert 'data-channel="email" data-state="sent"' in section
    assert 'data-channel="email" data-state="failed"' in section
    assert "5 attempts" in section and "SMTPRecipientsRefused: mailbox unavailable" in section
    read_at = timezone.localtime(acknowledged.read_at).strftime("%Y-%m-%d %H:%M")
    assert f"Read {read_at}" in section and f"Acknowledged {read_at}" in section
    assert "Not acknowledged" in section and "Not read" in section


def test_the_enterprise_does_not_see_who_was_told(client, make_hazard, cast):
    hazard = make_hazard()
    make_notice(hazard, cast.heping_staff)
    client.force_login(cast.heping_staff)
    response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
    assert response.status_code == 200
    assert response.context["notices"] is None
    assert 'data-testid="notices"' not in response.content.decode()


def test_an_administrator_and_an_inspector_see_it_too(client, make_hazard, cast):
    hazard = make_hazard()
    notice = make_notice(hazard, cast.heping_staff)
    for user in (cast.heping_inspector, cast.admin):
        client.force_login(user)
        response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
        assert [n.pk for n in response.context["notices"]] == [notice.pk]
        assert 'data-testid="notices"' in response.content.decode()


def test_the_hazard_pages_query_count_does_not_grow_with_its_notices(client, make_hazard, cast):
    hazard = make_hazard()
    url = reverse("hazard_detail", args=[hazard.pk])
    client.force_login(cast.shenyang_supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    make_notice(hazard, cast.heping_staff, email=DeliveryState.PENDING)
    few = queries()
    for step, user in enumerate(
        [cast.heping_inspector, cast.shenyang_supervisor, cast.dalian_supervisor], start=1
    ):
        make_notice(hazard, user, step=step, email=DeliveryState.FAILED)
    assert queries() == few
