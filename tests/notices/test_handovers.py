"""Handover notices: each move that hands a hazard on tells whoever acts next, in the inbox and by email."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from hazards.lib.errors import RuleViolation
from hazards.models import (
    Channel,
    DeliveryState,
    HazardLevel,
    HazardSource,
    Notice,
    NoticeDelivery,
    NoticeKind,
)
from hazards.services.extensions import extension_decide, extension_request
from hazards.services.hazards import hazard_log
from hazards.services.major import plan_file
from hazards.services.notices.delivery import deliveries_hand_out, delivery_send
from hazards.services.workflow import hazard_send_back, hazard_submit, hazard_verify
from tests.factories import EvidenceFactory, HazardFactory

# Everyone who could be told by mistake: the other enterprises, inspectors and supervisors around 和平区.
BYSTANDERS = (
    "heping_staff",
    "shenhe_staff",
    "zhongshan_staff",
    "heping_inspector",
    "co_inspector",
    "shenyang_inspector",
    "zhongshan_inspector",
    "shenyang_supervisor",
)


@pytest.fixture
def cast_details():
    return {
        "heping_staff": {"email": "staff@example.org", "language": "en"},
        "heping_inspector": {"email": "li@example.org", "language": "zh-hans"},
    }


def log_order(cast, liaoning):
    return hazard_log(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        source=HazardSource.GOVERNMENT_INSPECTION,
        description="燃气报警器失效",
        location="厨房",
        level=HazardLevel.GENERAL,
        measures="更换报警器",
        responsible_person="周九",
    )


def submitted(cast, liaoning):
    return HazardFactory(
        enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector, submitted=True
    )


def open_hazard(cast, liaoning, **traits):
    hazard = HazardFactory(
        enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector, **traits
    )
    EvidenceFactory(hazard=hazard, uploaded_by=cast.heping_staff)
    return hazard


def ask_extension(cast, hazard):
    return extension_request(
        actor=cast.heping_staff,
        hazard_id=hazard.pk,
        requested_deadline=hazard.deadline + datetime.timedelta(days=15),
        reasons="设备到货延迟",
    )


def decide_extension(cast, liaoning):
    hazard = open_hazard(cast, liaoning)
    ask_extension(cast, hazard)
    extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=True)
    return hazard


def file_plan(cast, liaoning):
    hazard = open_hazard(cast, liaoning, major=True)
    plan_file(
        actor=cast.heping_staff,
        hazard_id=hazard.pk,
        responsible_person="钱七",
        measures="停用储罐",
        funds_amount=Decimal("1000"),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        emergency_plan="现场处置方案",
    )
    return hazard


def with_hazard(make, act):
    def run(cast, liaoning):
        hazard = make(cast, liaoning)
        act(cast, hazard)
        return hazard

    return run


# Each handover: how it happens (returning the hazard) and who acts next.
HANDOVERS = {
    NoticeKind.ORDER_ISSUED: (log_order, {"heping_staff"}),
    NoticeKind.SUBMITTED: (
        with_hazard(open_hazard, lambda cast, h: hazard_submit(actor=cast.heping_staff, hazard_id=h.pk)),
        {"heping_inspector"},
    ),
    NoticeKind.SENT_BACK: (
        with_hazard(
            submitted,
            lambda cast, h: hazard_send_back(actor=cast.heping_inspector, hazard_id=h.pk, reasons="照片不清"),
        ),
        {"heping_staff"},
    ),
    NoticeKind.VERIFIED: (
        with_hazard(submitted, lambda cast, h: hazard_verify(actor=cast.co_inspector, hazard_id=h.pk)),
        {"heping_staff"},
    ),
    NoticeKind.EXTENSION_REQUESTED: (with_hazard(open_hazard, ask_extension), {"heping_inspector"}),
    NoticeKind.EXTENSION_DECIDED: (decide_extension, {"heping_staff"}),
    NoticeKind.PLAN_FILED: (file_plan, {"heping_inspector"}),
}


def recipients(cast, kind) -> set[str]:
    ids = set(Notice.objects.filter(kind=kind).values_list("recipient_id", flat=True))
    return {name for name in BYSTANDERS if getattr(cast, name).pk in ids}


@pytest.mark.parametrize("kind", HANDOVERS, ids=str)
def test_a_handover_tells_whoever_acts_next_and_nobody_else(kind, cast, liaoning):
    cast.present(*BYSTANDERS)
    happen, told = HANDOVERS[kind]
    hazard = happen(cast, liaoning)
    assert recipients(cast, kind) == told
    assert set(Notice.objects.filter(kind=kind).values_list("hazard_id", flat=True)) == {hazard.pk}
    for notice in Notice.objects.filter(kind=kind):
        # Rows in the outbox, both channels, waiting for its drain.
        assert set(notice.deliveries.values_list("channel", "state")) == {
            (Channel.IN_APP, DeliveryState.PENDING),
            (Channel.EMAIL, DeliveryState.PENDING),
        }


def test_every_enterprise_user_of_the_hazards_enterprise_gets_the_order(cast, liaoning):
    cast.present("heping_staff", "shenhe_staff")
    colleague = cast.another("heping_staff", email="")
    hazard = log_order(cast, liaoning)
    notices = Notice.objects.filter(kind=NoticeKind.ORDER_ISSUED, hazard=hazard)
    assert set(notices.values_list("recipient_id", flat=True)) == {cast.heping_staff.pk, colleague.pk}
    # A user without an address is told in the portal only.
    assert list(notices.get(recipient=colleague).deliveries.values_list("channel", flat=True)) == [
        Channel.IN_APP
    ]


def test_an_inactive_user_is_not_told(cast, liaoning):
    cast.heping_staff.is_active = False
    cast.heping_staff.save()
    log_order(cast, liaoning)
    assert not Notice.objects.filter(kind=NoticeKind.ORDER_ISSUED).exists()


def test_a_hazard_the_enterprise_reported_itself_goes_to_the_inspectors_over_its_region(cast, liaoning):
    cast.present(*BYSTANDERS)
    hazard = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_staff,
        source=HazardSource.SELF_INSPECTION,
    )
    EvidenceFactory(hazard=hazard, uploaded_by=cast.heping_staff)
    hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    assert recipients(cast, NoticeKind.SUBMITTED) == {
        "heping_inspector",
        "co_inspector",
        "shenyang_inspector",
    }


def test_a_second_send_back_tells_the_enterprise_again(cast, liaoning):
    hazard = submitted(cast, liaoning)
    EvidenceFactory(hazard=hazard, uploaded_by=cast.heping_staff)
    hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="照片不清")
    hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="仍未整改")
    steps = Notice.objects.filter(kind=NoticeKind.SENT_BACK, recipient=cast.heping_staff)
    assert sorted(steps.values_list("step", flat=True)) == [1, 2]
    assert Notice.objects.filter(kind=NoticeKind.SUBMITTED, recipient=cast.heping_inspector).count() == 1


def test_a_refused_move_tells_nobody(cast, liaoning):
    hazard = submitted(cast, liaoning)
    with pytest.raises(RuleViolation):
        hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="  ")
    assert not Notice.objects.exists()
    assert not NoticeDelivery.objects.exists()


def test_the_outbox_delivers_each_in_the_recipients_language(cast, liaoning):
    hazard = open_hazard(cast, liaoning)
    ask_extension(cast, hazard)
    extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=False, comment="理由不足")
    for delivery_id in deliveries_hand_out():
        assert delivery_send(delivery_id=delivery_id) == DeliveryState.SENT
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "li@example.org": f"隐患 {hazard.number}：申请延期",
        "staff@example.org": f"Hazard {hazard.number}: extension decided",
    }
    inbox = Notice.objects.in_inbox()
    assert set(inbox.values_list("recipient_id", "kind")) == {
        (cast.heping_inspector.pk, NoticeKind.EXTENSION_REQUESTED),
        (cast.heping_staff.pk, NoticeKind.EXTENSION_DECIDED),
    }
