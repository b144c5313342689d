"""A published ranking tells each ranked region's supervisors and each ranked enterprise its place, once: the
publication leaves the notices due, and the outbox's drain (a task, nudged on commit and run every minute by
beat) creates them, one run at a time, and hands out their deliveries."""

import importlib
import io
import logging
import threading
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from hazards.models import Channel, DeliveryState, Notice, NoticeDelivery, NoticeKind, RankingRun, Role, User
from hazards.services.notices.delivery import delivery_send
from hazards.services.rankings import notices as ranking_notices
from hazards.services.rankings.compute import ranking_compute
from hazards.services.rankings.notices import ranking_notices_create, ranking_notices_create_due
from hazards.services.rankings.publication import ranking_publish
from hazards.tasks import drain_outbox, send_delivery
from tests.rankings.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("hazards.migrations.0017_ranking_run_notices_created")


@pytest.fixture
def cast_details():
    return {
        "shenyang_supervisor": {"email": "shenyang@example.org", "language": "en"},
        "heping_staff": {"email": "staff@example.org"},
    }


@pytest.fixture
def ranked(cast, quarter):
    """The people a published ranking of the quarter may tell, there before it is published: the supervisors
    of 沈阳市 and of 大连市 (the quarter's and another), the Heping enterprise's staff and a retired user of
    it, and the province's supervisor (whose own region is not ranked)."""
    cast.present("province_supervisor", "shenyang_supervisor", "dalian_supervisor", "heping_staff")
    cast.another("dalian_supervisor")
    cast.another("heping_staff", is_active=False)


@pytest.fixture
def publish(liaoning, cast, ranked):
    """Compute and publish a scope's run, as its supervisor does; its notices are left to the drain."""

    def publish(scope=None) -> RankingRun:
        run = ranking_compute(year=YEAR, quarter=QUARTER, scope=scope or liaoning.province)
        return ranking_publish(actor=cast.province_supervisor, run_id=run.pk)

    return publish


@pytest.fixture
def published(publish):
    run = publish()
    assert ranking_notices_create_due() == [run.pk]
    return run


@pytest.fixture
def sends(monkeypatch) -> list[int]:
    """The send tasks the drain hands out (the delivery ids they carry), none of them run."""
    ids: list[int] = []
    monkeypatch.setattr(send_delivery, "delay", lambda delivery_id: ids.append(delivery_id))
    return ids


def notices_of(run: RankingRun):
    return Notice.objects.filter(ranking_entry__run=run)


def test_publishing_creates_no_notice_and_leaves_them_due(publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = publish()
    assert not callbacks  # the service sends no task
    run.refresh_from_db()
    assert run.is_published and run.notices_created_at is None
    assert not Notice.objects.exists() and not NoticeDelivery.objects.exists()


def test_the_drain_creates_a_published_runs_notices_and_hands_out_their_deliveries(publish, sends):
    run = publish()
    assert drain_outbox() == {"rankings": 1, "deliveries": 6, "exports": 0}
    run.refresh_from_db()
    assert run.notices_created_at is not None
    assert notices_of(run).count() == 4
    deliveries = NoticeDelivery.objects.filter(notice__ranking_entry__run=run)
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.PENDING}
    assert sorted(sends) == sorted(deliveries.values_list("pk", flat=True))


def test_two_drains_create_a_runs_notices_once(publish, sends):
    run = publish()
    drain_outbox()
    notices = set(notices_of(run).values_list("pk", "created_at"))
    assert drain_outbox() == {"rankings": 0, "deliveries": 0, "exports": 0}
    assert set(notices_of(run).values_list("pk", "created_at")) == notices
    assert len(sends) == NoticeDelivery.objects.count() == 6


def test_a_rerun_of_a_runs_notices_creates_and_sends_nothing_twice(publish, sends):
    run = publish()
    drain_outbox()
    deliveries = set(NoticeDelivery.objects.values_list("pk", flat=True))
    # As if the mark were lost: the notices' unique constraints still keep a rerun from doing anything twice.
    RankingRun.objects.filter(pk=run.pk).update(notices_created_at=None)
    assert ranking_notices_create(run_id=run.pk) == 0
    RankingRun.objects.filter(pk=run.pk).update(notices_created_at=None)
    assert drain_outbox() == {"rankings": 1, "deliveries": 0, "exports": 0}
    assert set(NoticeDelivery.objects.values_list("pk", flat=True)) == deliveries
    assert notices_of(run).count() == 4 and len(sends) == 6


@pytest.mark.django_db(transaction=True)
def test_a_drain_skips_a_run_that_another_drain_holds_and_never_waits_for_it(reference_data, publish):
    run = publish()
    others: list[int] = []

    def second_drain():
        try:
            others.extend(ranking_notices_create_due())
        finally:
            connection.close()

    # The first drain holds the run's row, in the middle of creating its notices.
    with transaction.atomic():
        RankingRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
        thread = threading.Thread(target=second_drain)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert others == [] and not notices_of(run).exists()
    assert ranking_notices_create_due() == [run.pk]
    assert notices_of(run).count() == 4


def test_a_run_published_while_the_broker_was_down_is_notified_at_the_next_drain(
    liaoning, cast, ranked, client, sends, django_capture_on_commit_callbacks
):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    client.force_login(cast.province_supervisor)
    with (
        mock.patch("hazards.tasks.drain_outbox.delay", side_effect=OperationalError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.post(reverse("ranking_publish", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.is_published and not notices_of(run).exists()
    # Beat's drain, the broker back.
    assert drain_outbox()["rankings"] == 1
    assert notices_of(run).count() == 4 and len(sends) == 6


def test_a_run_whose_notices_fail_is_logged_left_due_and_notified_by_the_next_drain(
    liaoning, publish, sends, caplog
):
    province, city = publish(), publish(liaoning.shenyang)
    create, calls = ranking_notices.deliveries_create, []

    def fail_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # the province's run, the first published, after its notices are inserted
            raise RuntimeError("database said no")
        return create(**kwargs)

    with mock.patch.object(ranking_notices, "deliveries_create", fail_first), caplog.at_level(logging.ERROR):
        assert ranking_notices_create_due() == [city.pk]
    assert f"The notices of ranking run {province.pk} failed" in caplog.text
    province.refresh_from_db()
    assert province.notices_created_at is None and not notices_of(province).exists()
    assert notices_of(city).exists()
    assert drain_outbox()["rankings"] == 1
    assert notices_of(province).count() == 4


def test_publishing_in_a_transaction_that_rolls_back_leaves_nothing_due(liaoning, cast, ranked):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        ranking_publish(actor=cast.province_supervisor, run_id=run.pk)
        raise CallerFailed
    assert ranking_notices_create_due() == []
    assert not Notice.objects.exists() and not NoticeDelivery.objects.exists()


def test_a_run_notified_before_the_migration_is_not_notified_again(liaoning, publish, sends):
    notified, silent = publish(), publish(liaoning.shenyang)
    ranking_notices_create(run_id=notified.pk)
    # As they were before the migration: published, the first with its notices, neither marked.
    RankingRun.objects.update(notices_created_at=None)
    first = notices_of(notified).earliest("created_at").created_at
    MIGRATION.mark_notified_runs(apps, None)
    notified.refresh_from_db()
    silent.refresh_from_db()
    assert notified.notices_created_at == first and silent.notices_created_at is None
    notices = set(Notice.objects.values_list("pk", flat=True))
    assert ranking_notices_create_due() == [silent.pk]
    assert not notices_of(notified).exclude(pk__in=notices).exists()
    assert notices_of(silent).exists()


@pytest.mark.parametrize("through", ["page", "api", "command"])
def test_the_interface_that_publishes_drains_the_outbox_once_committed(
    liaoning, quarter, cast, client, django_capture_on_commit_callbacks, through
):
    from rest_framework.test import APIClient

    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    publisher = cast.province_supervisor
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
    assert not Notice.objects.exists()  # the drain it nudged creates them


def test_each_ranked_unit_is_told_once(published, cast):
    run = published
    dalian = list(User.objects.filter(role=Role.SUPERVISOR, region__code="210200"))
    assert len(dalian) == 2  # the fixture's own and the quarter's
    assert Notice.objects.filter(ranking_entry__run=run).count() == 4
    told = {
        (notice.recipient, notice.ranking_entry.region.code if notice.ranking_entry.region else "enterprise")
        for notice in Notice.objects.filter(kind=NoticeKind.RANKING_PUBLISHED)
    }
    assert told == {
        (cast.shenyang_supervisor, "210100"),
        *((user, "210200") for user in dalian),
        (cast.heping_staff, "enterprise"),
    }
    assert ranking_notices_create(run_id=run.pk) == 0  # a rerun, a second drain: nothing more
    channels = sorted(NoticeDelivery.objects.values_list("notice__recipient__username", "channel"))
    assert channels == sorted(
        [
            (cast.shenyang_supervisor.username, Channel.IN_APP),
            (cast.shenyang_supervisor.username, Channel.EMAIL),
            *((user.username, Channel.IN_APP) for user in dalian),
            (cast.heping_staff.username, Channel.IN_APP),
            (cast.heping_staff.username, Channel.EMAIL),
        ]
    )


def test_a_draft_tells_no_one(liaoning, quarter):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    with pytest.raises(RankingRun.DoesNotExist):
        ranking_notices_create(run_id=run.pk)
    assert ranking_notices_create_due() == []
    assert not Notice.objects.exists()


def test_the_email_gives_the_rank_the_score_and_what_cost_most(published, cast):
    run = published
    ranking_notices_create(run_id=run.pk)
    entry = run.entries.get(region__code="210100")
    email = NoticeDelivery.objects.get(notice__recipient=cast.shenyang_supervisor, channel=Channel.EMAIL)
    delivery_send(delivery_id=email.pk)
    [message] = mail.outbox
    assert message.subject == f"The ranking of 辽宁省, {YEAR} Q{QUARTER}: you are number {entry.rank}"
    assert f"沈阳市 is number {entry.rank} with a score of {entry.score:.2f}" in message.body
    assert "It is on the red list." in message.body
    assert reverse("ranking_detail", args=[run.pk]) in message.body


def test_the_inbox_shows_the_place(client, published, cast):
    run = published
    ranking_notices_create(run_id=run.pk)
    for delivery in NoticeDelivery.objects.filter(channel=Channel.IN_APP):
        delivery_send(delivery_id=delivery.pk)
    client.force_login(cast.heping_staff)
    html = client.get(reverse("notice_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="ranking-notice"' in html and "和平区燃气有限公司: number 1" in html
    client.force_login(cast.shenyang_supervisor)
    html = client.get(reverse("notice_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("ranking_detail", args=[run.pk])}"' in html
