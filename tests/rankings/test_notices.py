"""A published ranking tells each ranked region's supervisors and each ranked enterprise its place, once: the
notices are created with the publication, their deliveries left pending for the outbox's drain."""

import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from hazards.models import Channel, DeliveryState, Notice, NoticeDelivery, NoticeKind, RankingRun, Role, User
from hazards.services.notices.delivery import deliveries_hand_out, delivery_send
from hazards.services.rankings.compute import ranking_compute
from hazards.services.rankings.notices import ranking_notices_create
from hazards.services.rankings.publication import ranking_publish
from tests.factories import enterprise_user, supervisor
from tests.rankings.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(liaoning, quarter):
    people = {
        "province": supervisor(liaoning.province),
        "shenyang": supervisor(liaoning.shenyang, email="shenyang@example.org", language="en"),
        "dalian": supervisor(liaoning.dalian),
        "heping_staff": enterprise_user(liaoning.enterprises["heping"], email="staff@example.org"),
        "retired": enterprise_user(liaoning.enterprises["heping"], is_active=False),
    }
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    ranking_publish(actor=people["province"], run_id=run.pk)
    return run, people


def test_publishing_leaves_the_notices_due_in_the_database_and_sends_no_task(
    liaoning, quarter, django_capture_on_commit_callbacks
):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ranking_publish(actor=supervisor(liaoning.province), run_id=run.pk)
    # A lost broker loses nothing: what is due is in the rows the publication committed.
    assert not callbacks
    assert Notice.objects.filter(ranking_entry__run=run).exists()
    deliveries = NoticeDelivery.objects.filter(notice__ranking_entry__run=run)
    assert deliveries.exists()
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.PENDING}
    assert set(deliveries.values_list("pk", flat=True)) == set(deliveries_hand_out())


def test_publishing_in_a_transaction_that_rolls_back_leaves_no_notice(liaoning, quarter):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        ranking_publish(actor=supervisor(liaoning.province), run_id=run.pk)
        assert Notice.objects.exists()
        raise CallerFailed
    assert not Notice.objects.exists() and not NoticeDelivery.objects.exists()


@pytest.mark.parametrize("through", ["page", "api", "command"])
def test_the_interface_that_publishes_drains_the_outbox_once_committed(
    liaoning, quarter, client, django_capture_on_commit_callbacks, through
):
    from rest_framework.test import APIClient

    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    publisher = supervisor(liaoning.province)
    with mock.patch("hazards.tasks.drain_outbox.delay") as drain:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            if through == "page":
                client.force_login(publisher)
                assert client.post(reverse("ranking_publish", args=[run.pk])).status_code == 302
            elif through == "api":
                api = APIClient()
                api.force_authenticate(publisher)
                assert api.post(f"/api/v1/rankings/{run.pk}/publish/").status_code == 200
            else:
                call_command("compute_ranking", f"{YEAR}Q{QUARTER}", "--publish", stdout=io.StringIO())
        drain.assert_not_called()
        for callback in callbacks:
            callback()
    drain.assert_called_once_with()


def test_each_ranked_unit_is_told_once(published):
    run, people = published
    dalian = list(User.objects.filter(role=Role.SUPERVISOR, region__code="210200"))
    assert len(dalian) == 2  # the fixture's own and the quarter's
    assert Notice.objects.filter(ranking_entry__run=run).count() == 4
    told = {
        (notice.recipient, notice.ranking_entry.region.code if notice.ranking_entry.region else "enterprise")
        for notice in Notice.objects.filter(kind=NoticeKind.RANKING_PUBLISHED)
    }
    assert told == {
        (people["shenyang"], "210100"),
        *((user, "210200") for user in dalian),
        (people["heping_staff"], "enterprise"),
    }
    assert ranking_notices_create(run_id=run.pk) == 0  # a second task, a redelivered one: nothing more
    channels = sorted(NoticeDelivery.objects.values_list("notice__recipient__username", "channel"))
    assert channels == sorted(
        [
            (people["shenyang"].username, Channel.IN_APP),
            (people["shenyang"].username, Channel.EMAIL),
            *((user.username, Channel.IN_APP) for user in dalian),
            (people["heping_staff"].username, Channel.IN_APP),
            (people["heping_staff"].username, Channel.EMAIL),
        ]
    )


def test_a_draft_tells_no_one(liaoning, quarter):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    with pytest.raises(RankingRun.DoesNotExist):
        ranking_notices_create(run_id=run.pk)
    assert not Notice.objects.exists()


def test_the_email_gives_the_rank_the_score_and_what_cost_most(published):
    run, people = published
    ranking_notices_create(run_id=run.pk)
    entry = run.entries.get(region__code="210100")
    email = NoticeDelivery.objects.get(notice__recipient=people["shenyang"], channel=Channel.EMAIL)
    delivery_send(delivery_id=email.pk)
    [message] = mail.outbox
    assert message.subject == f"The ranking of 辽宁省, {YEAR} Q{QUARTER}: you are number {entry.rank}"
    assert f"沈阳市 is number {entry.rank} with a score of {entry.score:.2f}" in message.body
    assert "It is on the red list." in message.body
    assert reverse("ranking_detail", args=[run.pk]) in message.body


def test_the_inbox_shows_the_place(client, published):
    run, people = published
    ranking_notices_create(run_id=run.pk)
    for delivery in NoticeDelivery.objects.filter(channel=Channel.IN_APP):
        delivery_send(delivery_id=delivery.pk)
    client.force_login(people["heping_staff"])
    html = client.get(reverse("notice_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="ranking-notice"' in html and "和平区燃气有限公司: number 1" in html
    client.force_login(people["shenyang"])
    html = client.get(reverse("notice_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("ranking_detail", args=[run.pk])}"' in html
