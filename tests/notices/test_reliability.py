"""The notices under faults: each one injected, against PostgreSQL, the real Redis broker and real workers.

The sweep (the hazards.sweep_deadlines task, run here in the test's process) leaves its deliveries pending in
the outbox and, once committed, sends the drain, which hands each one to a send task. A rolled-back sweep
sends nothing; a worker killed while sending, two sweeps at once, a flushed broker, a mail server that refuses
then accepts, a hazard closed before its notice goes out: every due notice is created once, shown in the
portal once, and mailed at least once (once, unless a worker died after the mail server took the message).

The tests that need a worker run on a transactional database (the worker sees only what is committed) and
send to a queue of their own; the mail goes to the sink of tests.notices.workers, in the test's folder.
"""

import datetime
import threading
import uuid

import pytest
import redis
from django.db import connection, transaction
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from hazards.models import Channel, DeliveryState, Hazard, HazardStatus, Notice, NoticeDelivery
from hazards.pages.context_processors import notices as header_notices
from hazards.services.notices import sweep as sweep_module
from hazards.services.notices.delivery import DeliveryFailed, deliveries_hand_out, delivery_send
from hazards.services.notices.sweep import SweepResult, deadlines_sweep
from hazards.tasks import drain_outbox, outbox_nudge, sweep_deadlines
from safety_portal.celery import app
from tests.factories import HazardFactory
from tests.notices.workers import MailSink, Worker, wait_for

DAY = datetime.timedelta(days=1)
UNSENT = [DeliveryState.PENDING, DeliveryState.SENDING]


@pytest.fixture
def broker(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def queue(broker):
    """A queue of the test's own: what this process sends (the sweep's drain) goes there, and its workers
    take only from there (and send there: tests.notices.worker_settings)."""
    name = f"notices-{uuid.uuid4().hex}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    yield name
    app.conf.task_default_queue = previous
    for pattern in (f"{name}*", f"_kombu.binding*.{name}"):
        for key in broker.scan_iter(pattern):
            broker.delete(key)
    # A message a killed worker held unacknowledged would come back to the queue in an hour: drop it now.
    for tag, raw in broker.hgetall("unacked").items():
        if name.encode() in raw:
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)


@pytest.fixture
def sink(tmp_path, settings) -> MailSink:
    """The mail sink, for the workers and for a delivery sent in this process alike."""
    sink = MailSink(tmp_path)
    settings.EMAIL_BACKEND = "tests.notices.workers.SinkBackend"
    settings.EMAIL_FILE_PATH = str(sink.mail_dir)
    settings.NOTICE_TEST_CONTROL_DIR = str(sink.control_dir)
    return sink


@pytest.fixture
def workers(reference_data, queue, sink, tmp_path):
    """Start a worker (as many as the test needs, one after another); each is stopped at the end, before the
    transactional database is emptied. A failed email is retried after 1 s, then 2 s, ... unless told."""
    started: list[Worker] = []

    def start(**env: str) -> Worker:
        worker = Worker(
            name=f"worker{len(started) + 1}",
            queue=queue,
            sink=sink,
            log_dir=tmp_path,
            env={"NOTICE_EMAIL_RETRY_SECONDS": "1", **env},
        )
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def cast_details():
    """Everyone the sweeps here tell has an email address."""
    return {
        "heping_staff": {"email": "staff@example.org"},
        "heping_inspector": {"email": "finder@example.org"},
        "shenyang_supervisor": {"email": "city@example.org"},
        "xigang_staff": {"email": "alone@example.org"},
    }


@pytest.fixture
def manager(cast):
    """The Heping enterprise's second user, with an address of its own."""
    return cast.another("heping_staff", email="manager@example.org")


@pytest.fixture
def overdue(liaoning, cast, manager):
    """A hazard at the Heping enterprise, overdue by the days given (1: its two staff are told), found by its
    inspector; the city's supervisor, at the top of the ladder, is there before the sweep."""
    cast.present("heping_staff", "heping_inspector", "shenyang_supervisor")

    def make(days: int) -> Hazard:
        deadline = timezone.localdate() - days * DAY
        return HazardFactory(
            enterprise=liaoning.enterprises["heping"],
            found_by=cast.heping_inspector,
            original_deadline=deadline,
            deadline=deadline,
        )

    return make


@pytest.fixture
def lone(liaoning, cast):
    """One overdue hazard told to one person: one notice, in the portal and by email."""
    xigang = liaoning.enterprises["xigang"]
    user = cast.xigang_staff
    deadline = timezone.localdate() - DAY
    HazardFactory(
        enterprise=xigang, found_by=cast.heping_inspector, original_deadline=deadline, deadline=deadline
    )
    return user


def queued(broker: redis.Redis, queue: str) -> int:
    """Messages waiting in the queue (every priority)."""
    return sum(broker.llen(key) for key in broker.scan_iter(f"{queue}*"))


def inbox(user) -> int:
    """The unread count the portal's header shows the user: notices delivered in the portal, not yet read."""
    request = RequestFactory().get("/")
    request.user = user
    return header_notices(request)["unread_notices"]


def settled() -> bool:
    """Every delivery has an outcome: none pending or being sent."""
    return NoticeDelivery.objects.exists() and not NoticeDelivery.objects.filter(state__in=UNSENT).exists()


def email_of(user) -> NoticeDelivery:
    return NoticeDelivery.objects.get(channel=Channel.EMAIL, notice__recipient=user)


@pytest.mark.workers
def test_a_sweep_rolled_back_with_its_caller_creates_nothing_and_sends_nothing(
    workers, queue, broker, sink, overdue, cast, manager
):
    overdue(1)

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        assert sweep_deadlines()["created"] == 2
        assert NoticeDelivery.objects.count() == 4  # in the portal and by email, for the two staff
        raise CallerFailed

    assert not Notice.objects.exists() and not NoticeDelivery.objects.exists()
    assert queued(broker, queue) == 0  # the drain waiting for the commit went with the rollback
    # The same sweep committed sends the drain, and the worker mails each of the two once: nothing else came.
    sweep_deadlines()
    assert queued(broker, queue) == 1
    worker = workers()
    wait_for(settled, what="the deliveries to be sent", workers=[worker])
    assert set(NoticeDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert sink.recipients() == ["manager@example.org", "staff@example.org"]


@pytest.mark.workers
def test_a_worker_killed_while_sending_then_a_new_one_leaves_exactly_one_notice_sent(
    workers, sink, lone, settings
):
    sink.block()  # the mail server takes the message, and the worker hangs before it can record that
    first = workers()
    sweep_deadlines()
    wait_for(sink.blocked, what="the worker to be sending the email", workers=[first])
    email = email_of(lone)
    assert (email.state, email.attempts) == (DeliveryState.SENDING, 1)
    first.kill()
    sink.unblock()
    assert email_of(lone).state == DeliveryState.SENDING  # left so by the dead worker
    # A sweep right away leaves it: its sender may still be at work.
    assert deadlines_sweep().requeued == 0
    # Once the time allowed has passed, the next sweep hands it out again, to the new worker.
    stuck = datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"] + 1)
    NoticeDelivery.objects.filter(pk=email.pk).update(claimed_at=F("claimed_at") - stuck)
    second = workers()
    assert sweep_deadlines()["requeued"] == 1
    wait_for(settled, what="the deliveries to be sent", workers=[first, second])

    notice = Notice.objects.get()
    assert notice.recipient == lone and notice.deliveries.count() == 2
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (DeliveryState.SENT, 2, "")
    in_app = notice.deliveries.get(channel=Channel.IN_APP)
    assert (in_app.state, in_app.attempts) == (DeliveryState.SENT, 1)
    assert inbox(lone) == 1
    # At least once to the mail server: here twice, the message the killed worker handed over included.
    messages = sink.messages()
    assert 1 <= len(messages) <= 2
    assert {message["To"] for message in messages} == {"alone@example.org"}
    subjects = {message["Subject"] for message in messages}
    assert len(subjects) == 1 and notice.hazard.number in subjects.pop()  # the same message again


def sweeps_at_once(monkeypatch) -> dict[str, SweepResult | Exception]:
    """Two sweeps in two threads, overlapping for sure: the first holds its transaction open, its notices
    inserted, until PostgreSQL shows the second one waiting for them; then both go on to the end."""
    insert_deliveries = sweep_module._insert_deliveries
    first_inserted, go_on = threading.Event(), threading.Event()

    def held_open(since):
        if threading.current_thread().name == "first":
            first_inserted.set()
            go_on.wait(timeout=15)
        insert_deliveries(since)

    monkeypatch.setattr(sweep_module, "_insert_deliveries", held_open)
    outcomes: dict[str, SweepResult | Exception] = {}

    def sweep():
        try:
            outcomes[threading.current_thread().name] = deadlines_sweep()
            outbox_nudge()  # as the task does
        except Exception as error:
            outcomes[threading.current_thread().name] = error
        finally:
            connection.close()  # this thread's own connection

    def second_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] >= 1

    first = threading.Thread(target=sweep, name="first")
    second = threading.Thread(target=sweep, name="second")
    first.start()
    try:
        assert first_inserted.wait(timeout=10), "the first sweep never inserted its notices"
        second.start()
        wait_for(second_waits_on_a_lock, what="the second sweep to wait for the first one's rows")
    finally:
        go_on.set()
        for thread in (first, second):
            if thread.ident is not None:
                thread.join(timeout=30)
    assert not first.is_alive() and not second.is_alive()
    return outcomes


@pytest.mark.workers
def test_two_sweeps_at_once_create_each_notice_once_and_neither_fails(
    workers, sink, overdue, cast, manager, monkeypatch
):
    overdue(8)  # the two staff, the finder one step up, the city's supervisor at the top
    worker = workers()
    outcomes = sweeps_at_once(monkeypatch)
    assert set(outcomes) == {"first", "second"}
    assert all(isinstance(outcome, SweepResult) for outcome in outcomes.values()), outcomes
    told = sorted(Notice.objects.values_list("kind", "step", "recipient__username"))
    assert told == sorted(
        [
            ("overdue", 0, cast.heping_staff.username),
            ("overdue", 0, manager.username),
            ("overdue", 1, cast.heping_inspector.username),
            ("overdue", 2, cast.shenyang_supervisor.username),
        ]
    )
    assert NoticeDelivery.objects.filter(channel=Channel.IN_APP).count() == 4
    assert NoticeDelivery.objects.filter(channel=Channel.EMAIL).count() == 4
    # Both sweeps sent the drain once committed; each email still went out once.
    wait_for(settled, what="the deliveries to be sent", workers=[worker])
    assert set(NoticeDelivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}
    assert sink.recipients() == sorted(
        ["staff@example.org", "manager@example.org", "finder@example.org", "city@example.org"]
    )
    assert [
        inbox(user) for user in (cast.heping_staff, manager, cast.heping_inspector, cast.shenyang_supervisor)
    ] == [1, 1, 1, 1]


def test_two_sweeps_at_once_report_between_them_the_notices_created(
    reference_data, queue, overdue, cast, monkeypatch
):
    overdue(8)
    outcomes = sweeps_at_once(monkeypatch)
    assert Notice.objects.count() == 4
    assert outcomes["first"].created + outcomes["second"].created == 4


@pytest.mark.workers
def test_after_the_broker_is_flushed_the_drain_sends_every_notice_once(
    workers, queue, broker, sink, overdue, cast, manager, settings
):
    overdue(1)
    sweep_deadlines()  # the drain is queued; no worker is there yet
    drain_outbox()  # and the four sends it queues, handing the deliveries out
    assert queued(broker, queue) == 1 + 4
    broker.flushdb()  # Redis loses them all
    assert queued(broker, queue) == 0

    worker = workers()
    # Handed out a moment ago, the deliveries are left to their sends for now: the next sweep creates
    # nothing, and its drain sends nothing.
    assert sweep_deadlines()["created"] == 0  # the notices are in the database already
    assert deliveries_hand_out() == []
    # Once a sender has had the time to take them, the drain hands them out again.
    lost = datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"])
    NoticeDelivery.objects.update(claimed_at=F("claimed_at") - lost)
    sweep_deadlines()
    wait_for(settled, what="the deliveries to be sent", workers=[worker])
    assert Notice.objects.count() == 2
    assert set(NoticeDelivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}
    assert sink.recipients() == ["manager@example.org", "staff@example.org"]
    assert inbox(cast.heping_staff) == inbox(manager) == 1


def test_a_refused_email_stays_pending_with_its_error_and_is_sent_once_when_the_server_accepts(
    sink, lone, monkeypatch
):
    deadlines_sweep()  # no drain: sent here, by hand
    email = email_of(lone)
    sink.refuse(1)
    with pytest.raises(DeliveryFailed, match="Connection refused"):
        delivery_send(delivery_id=email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (DeliveryState.PENDING, 1)
    assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert sink.messages() == []
    # Its task's retry comes for it after its wait; the drain, only if that retry is lost.
    assert email.pk not in deliveries_hand_out()
    assert email.pk in deliveries_hand_out(now=email.claimed_at + datetime.timedelta(hours=1))

    assert delivery_send(delivery_id=email.pk) == DeliveryState.SENT
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (DeliveryState.SENT, 2, "")
    assert email.sent_at is not None
    assert delivery_send(delivery_id=email.pk) is None  # a task delivered twice sends nothing more
    assert sink.recipients() == ["alone@example.org"] and sink.refused() == 1


@pytest.mark.workers
def test_a_worker_retries_a_refused_email_waiting_longer_each_time_and_sends_it_once(workers, sink, lone):
    sink.refuse(2)
    worker = workers(NOTICE_EMAIL_RETRY_SECONDS="2")
    sweep_deadlines()
    seen: set[tuple[str, int, bool]] = set()

    def sent() -> bool:
        email = email_of(lone)
        seen.add((email.state, email.attempts, bool(email.last_error)))
        return email.state == DeliveryState.SENT

    wait_for(sent, what="the email to be sent", workers=[worker], timeout=20)
    email = email_of(lone)
    assert (email.state, email.attempts, email.last_error) == (DeliveryState.SENT, 3, "")
    # Between the attempts it waited pending, its error kept (2 s, then 4 s: seen by polling).
    assert {(DeliveryState.PENDING, 1, True), (DeliveryState.PENDING, 2, True)} <= seen
    assert sink.refused() == 2 and sink.recipients() == ["alone@example.org"]
    log = worker.log()
    assert "retry: Retry in 2s" in log and "retry: Retry in 4s" in log
    assert inbox(lone) == 1


@pytest.mark.workers
def test_a_hazard_closed_between_the_sweep_and_the_send_is_told_to_no_one(
    workers, queue, broker, sink, overdue, cast, manager
):
    hazard = overdue(1)
    sweep_deadlines()
    assert queued(broker, queue) == 1  # the drain sent, nothing handed out yet
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.CLOSED, closed_at=timezone.now())

    worker = workers()
    wait_for(settled, what="the deliveries to be settled", workers=[worker])
    assert Notice.objects.filter(hazard=hazard).count() == 2
    deliveries = NoticeDelivery.objects.values_list("state", "attempts", "sent_at")
    assert set(deliveries) == {(DeliveryState.WITHDRAWN, 0, None)}
    assert sink.messages() == []
    assert inbox(cast.heping_staff) == inbox(manager) == 0
