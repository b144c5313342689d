"""The hazard workflow: every move for every role and status, the obligations of major hazards, the race."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import (
    EventKind,
    EvidenceKind,
    EvidenceStage,
    Hazard,
    HazardEvent,
    HazardStatus,
    RectificationPlan,
    SupervisionListing,
)
from hazards.services.workflow import (
    ACTIONS,
    hazard_send_back,
    hazard_submit,
    hazard_verify,
    hazard_void,
    permitted_actions,
)
from tests.factories import EvidenceFactory, HazardFactory, in_status

MOVES = {
    "submit": lambda actor, hazard: hazard_submit(actor=actor, hazard_id=hazard.pk),
    "send_back": lambda actor, hazard: hazard_send_back(
        actor=actor, hazard_id=hazard.pk, reasons="照片不清楚"
    ),
    "verify": lambda actor, hazard: hazard_verify(actor=actor, hazard_id=hazard.pk, comment="整改到位"),
    "void": lambda actor, hazard: hazard_void(actor=actor, hazard_id=hazard.pk, reason="重复登记"),
}
ROLES = ["inspector", "supervisor", "enterprise", "administrator"]
# The role's member of the cast: each works at (or over) 和平区燃气有限公司.
ACTOR = {
    "inspector": "heping_inspector",
    "supervisor": "shenyang_supervisor",
    "enterprise": "heping_staff",
    "administrator": "admin",
}


def add_plan(hazard: Hazard, user) -> RectificationPlan:
    return RectificationPlan.objects.create(
        hazard=hazard,
        responsible_person="钱七",
        measures="停用并更换",
        funds_amount=50000,
        deadline=hazard.deadline,
        emergency_plan="现场应急处置方案",
        filed_by=user,
    )


@pytest.fixture
def make_hazard(make_hazard):
    """The shared make_hazard, each hazard with a photo of its rectification."""

    def make(**fields) -> Hazard:
        hazard = make_hazard(**fields)
        EvidenceFactory(hazard=hazard, stage=EvidenceStage.RECTIFIED)
        return hazard

    return make


def snapshot(hazard: Hazard):
    hazard.refresh_from_db()
    return hazard.status, hazard.deadline, hazard.events.count()


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", HazardStatus.values)
def test_each_move_is_allowed_exactly_by_the_state_table(make_hazard, cast, move, role, status):
    hazard = make_hazard(**in_status(status))
    rule = ACTIONS[move].rule
    before = snapshot(hazard)
    if role in rule.roles and status in rule.statuses:
        MOVES[move](getattr(cast, ACTOR[role]), hazard)
        hazard.refresh_from_db()
        assert hazard.status == rule.target
        event = hazard.events.get()
        assert (event.from_status, event.to_status, event.actor) == (
            status,
            rule.target,
            getattr(cast, ACTOR[role]),
        )
    else:
        expected = ActionNotPermitted if role not in rule.roles else InvalidTransition
        with pytest.raises(expected):
            MOVES[move](getattr(cast, ACTOR[role]), hazard)
        assert snapshot(hazard) == before


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("outsider", ["shenhe_staff", "dalian_inspector"])
def test_a_user_outside_the_scope_cannot_find_the_hazard(make_hazard, cast, move, outsider):
    hazard = make_hazard(submitted=move in ("send_back", "verify"))
    before = snapshot(hazard)
    with pytest.raises(Hazard.DoesNotExist):
        MOVES[move](getattr(cast, outsider), hazard)
    assert snapshot(hazard) == before


def test_the_pages_offer_what_the_table_allows(make_hazard, cast):
    assert "submit" in permitted_actions(make_hazard(), cast.heping_staff)
    assert "verify" not in permitted_actions(make_hazard(), cast.heping_inspector)
    submitted = make_hazard(submitted=True)
    assert {"verify", "send_back"} <= permitted_actions(submitted, cast.heping_inspector)
    assert "void" in permitted_actions(submitted, cast.shenyang_supervisor)
    assert permitted_actions(make_hazard(closed=True), cast.shenyang_supervisor) == set()


def test_submitting_needs_an_after_rectification_file(liaoning, cast):
    hazard = HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)
    EvidenceFactory(hazard=hazard, stage=EvidenceStage.FOUND)
    with pytest.raises(RuleViolation, match="rectification"):
        hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    assert snapshot(hazard) == (HazardStatus.OPEN, hazard.deadline, 0)
    EvidenceFactory(hazard=hazard, stage=EvidenceStage.RECTIFIED)
    hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED and hazard.submitted_at is not None
    assert hazard.events.get().data == {"on_time": True}


def test_a_major_hazard_is_submitted_only_with_its_plan(make_hazard, cast):
    hazard = make_hazard(major=True)
    with pytest.raises(RuleViolation, match="plan"):
        hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    add_plan(hazard, cast.heping_staff)
    assert hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk).status == HazardStatus.SUBMITTED


def test_a_major_hazard_closes_only_with_an_assessment_document_and_the_on_site_review(make_hazard, cast):
    hazard = make_hazard(submitted=True, major=True)
    verifier = cast.heping_inspector
    with pytest.raises(RuleViolation, match="assessment"):
        hazard_verify(actor=verifier, hazard_id=hazard.pk, reviewed_on_site_on=timezone.localdate())
    # A photo is no assessment document.
    EvidenceFactory(hazard=hazard, stage=EvidenceStage.ASSESSMENT, kind=EvidenceKind.PHOTO)
    with pytest.raises(RuleViolation, match="assessment"):
        hazard_verify(actor=verifier, hazard_id=hazard.pk, reviewed_on_site_on=timezone.localdate())
    EvidenceFactory(hazard=hazard, stage=EvidenceStage.ASSESSMENT, kind=EvidenceKind.DOCUMENT)
    with pytest.raises(RuleViolation) as missing_review:
        hazard_verify(actor=verifier, hazard_id=hazard.pk)
    assert missing_review.value.field == "reviewed_on_site_on"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(RuleViolation):
        hazard_verify(actor=verifier, hazard_id=hazard.pk, reviewed_on_site_on=tomorrow)
    assert snapshot(hazard)[0] == HazardStatus.SUBMITTED

    hazard_verify(actor=verifier, hazard_id=hazard.pk, reviewed_on_site_on=timezone.localdate())
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert timezone.localdate(hazard.reviewed_on_site_at) == timezone.localdate()


@pytest.mark.parametrize(
    ("move", "field"),
    [
        (lambda c, h: hazard_send_back(actor=c.heping_inspector, hazard_id=h.pk, reasons="  "), "reasons"),
        (lambda c, h: hazard_void(actor=c.shenyang_supervisor, hazard_id=h.pk, reason=""), "reason"),
    ],
)
def test_a_move_that_needs_a_reason_refuses_an_empty_one(make_hazard, cast, move, field):
    hazard = make_hazard(submitted=True)
    before = snapshot(hazard)
    with pytest.raises(RuleViolation) as caught:
        move(cast, hazard)
    assert caught.value.field == field
    assert snapshot(hazard) == before


@pytest.mark.parametrize("ending", ["verify", "void"])
def test_closing_or_voiding_ends_the_listing(make_hazard, cast, ending):
    hazard = make_hazard(submitted=True, major=True, listed=True)
    EvidenceFactory(hazard=hazard, stage=EvidenceStage.ASSESSMENT, kind=EvidenceKind.DOCUMENT)
    if ending == "verify":
        hazard_verify(
            actor=cast.heping_inspector, hazard_id=hazard.pk, reviewed_on_site_on=timezone.localdate()
        )
    else:
        hazard_void(actor=cast.shenyang_supervisor, hazard_id=hazard.pk, reason="误报")
    assert SupervisionListing.objects.get(hazard=hazard).delisted_at is not None
    assert list(hazard.events.values_list("kind", flat=True)) == [
        EventKind.VERIFIED if ending == "verify" else EventKind.VOIDED,
        EventKind.DELISTED,
    ]


def test_a_closed_hazard_keeps_its_submission_on_time_when_the_deadline_was_met(make_hazard, cast):
    hazard = make_hazard(submitted=True)
    hazard_verify(actor=cast.heping_inspector, hazard_id=hazard.pk)
    assert hazard.events.get(kind=EventKind.VERIFIED).data == {"on_time": True}


def test_timeline_events_are_never_changed_or_deleted(make_hazard, cast):
    hazard = make_hazard(submitted=True)
    hazard_send_back(actor=cast.heping_inspector, hazard_id=hazard.pk, reasons="不合格")
    event = hazard.events.get()
    event.comment = "rewritten"
    with pytest.raises(Exception, match="never changed"):
        event.save()
    with pytest.raises(Exception, match="never deleted"):
        event.delete()
    assert HazardEvent.objects.get(pk=event.pk).comment == "不合格"


def test_two_inspectors_verifying_at_the_same_moment_only_one_wins(reference_data, make_hazard, cast):
    hazard = make_hazard(submitted=True)  # with its photo of the rectification
    verifiers = [cast.heping_inspector, cast.shenyang_inspector]
    barrier = threading.Barrier(len(verifiers))
    outcomes: list[str] = []

    def verify(user):
        try:
            barrier.wait(timeout=10)
            hazard_verify(actor=user, hazard_id=hazard.pk, comment=f"by {user.username}")
            outcomes.append("verified")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=verify, args=(user,)) for user in verifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "verified"]
    assert hazard.events.filter(kind=EventKind.VERIFIED).count() == 1
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
