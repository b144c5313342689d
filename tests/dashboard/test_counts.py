"""The kept hazard counts behind the dashboards equal a fresh count of the hazards after every move."""

import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from hazards.lib.errors import RuleViolation
from hazards.models import (
    ActiveHazardCount,
    EvidenceStage,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    MonthlyHazardCount,
)
from hazards.services.counts import counts_differences, counts_rebuild, stored_rows
from hazards.services.evidence import evidence_add
from hazards.services.extensions import extension_decide, extension_request
from hazards.services.hazards import hazard_log
from hazards.services.major import hazard_list_for_supervision, plan_file
from hazards.services.workflow import hazard_send_back, hazard_submit, hazard_verify, hazard_void
from tests.factories import EvidenceFactory, HazardFactory, major_criterion, photo_upload

DAY = datetime.timedelta(days=1)


def log(cast, **fields) -> Hazard:
    defaults = {
        "actor": cast.heping_inspector,
        "enterprise_id": cast.liaoning.enterprises["heping"].pk,
        "source": HazardSource.GOVERNMENT_INSPECTION,
        "description": "燃气管道锈蚀",
        "location": "锅炉房",
        "level": HazardLevel.GENERAL,
        "measures": "更换锈蚀管段",
        "responsible_person": "赵六",
    }
    return hazard_log(**{**defaults, **fields})


def rectify(cast, hazard: Hazard, seed: int = 1) -> None:
    evidence_add(
        actor=cast.heping_staff,
        hazard_id=hazard.pk,
        upload=photo_upload("after.jpg", seed=seed),
        stage=EvidenceStage.RECTIFIED,
    )


def assert_counts_equal_the_hazards() -> None:
    assert counts_differences() == []


@pytest.mark.django_db
def test_the_counts_follow_every_move_of_the_lifecycle(cast, evidence_root):
    steps = []

    def step(name: str) -> None:
        differences = counts_differences()
        assert differences == [], f"after {name}: {differences}"
        steps.append(name)

    general = log(cast)
    step("logging")
    log(cast, fixed_on_spot=True, after_photos=[photo_upload("fixed.jpg", seed=2)])
    step("fixed on the spot")
    rectify(cast, general)
    hazard_submit(actor=cast.heping_staff, hazard_id=general.pk)
    step("submission")
    hazard_send_back(actor=cast.heping_inspector, hazard_id=general.pk, reasons="照片不清楚")
    step("send back")
    extension_request(
        actor=cast.heping_staff,
        hazard_id=general.pk,
        requested_deadline=general.deadline + 20 * DAY,
        reasons="设备需定制",
    )
    extension_decide(actor=cast.heping_inspector, hazard_id=general.pk, approve=True, comment="同意")
    step("extension approved")
    hazard_submit(actor=cast.heping_staff, hazard_id=general.pk)
    hazard_verify(actor=cast.heping_inspector, hazard_id=general.pk, comment="整改到位")
    step("verification")

    major = log(cast, level=HazardLevel.MAJOR, criterion_id=major_criterion().pk)
    hazard_list_for_supervision(
        actor=cast.shenyang_supervisor, hazard_id=major.pk, authority="沈阳市应急管理局"
    )
    plan_file(
        actor=cast.heping_staff,
        hazard_id=major.pk,
        responsible_person="王五",
        measures="停产改造",
        funds_amount=Decimal("1000.00"),
        deadline=major.deadline,
        emergency_plan="现场处置方案",
    )
    step("major hazard listed, with its plan")
    hazard_void(actor=cast.shenyang_supervisor, hazard_id=major.pk, reason="重复登记")
    step("void")

    assert len(steps) == 8
    # The counts hold what happened, not only what a recount of nothing would give.
    monthly = MonthlyHazardCount.objects.get(level=HazardLevel.GENERAL)
    assert (monthly.found, monthly.found_closed, monthly.closed, monthly.closed_on_time) == (2, 2, 2, 1)
    assert MonthlyHazardCount.objects.get(level=HazardLevel.MAJOR).found_void == 1
    assert sum(ActiveHazardCount.objects.values_list("hazards", flat=True)) == 0


@pytest.mark.django_db
def test_an_extension_moves_the_hazard_to_its_new_deadline(cast):
    hazard = log(cast)
    extension_request(
        actor=cast.heping_staff,
        hazard_id=hazard.pk,
        requested_deadline=hazard.deadline + 10 * DAY,
        reasons="设备需定制",
    )
    extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=True)
    counted = {(row.deadline, row.hazards) for row in ActiveHazardCount.objects.all() if row.hazards}
    assert counted == {(hazard.deadline + 10 * DAY, 1)}
    assert_counts_equal_the_hazards()


@pytest.mark.django_db
def test_a_refused_move_leaves_the_counts_as_they_were(cast, evidence_root):
    hazard = log(cast, level=HazardLevel.MAJOR, criterion_id=major_criterion().pk)
    before = stored_rows()
    with pytest.raises(RuleViolation):
        hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)  # no evidence, no plan
    assert stored_rows() == before


@pytest.mark.django_db
def test_a_move_that_fails_after_counting_leaves_the_counts_as_they_were(cast, evidence_root):
    hazard = log(cast)
    rectify(cast, hazard)
    before = stored_rows()
    with (
        mock.patch("hazards.services.workflow.record_event", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        hazard_submit(actor=cast.heping_staff, hazard_id=hazard.pk)
    assert stored_rows() == before
    assert_counts_equal_the_hazards()


@pytest.mark.django_db
def test_a_recount_equals_the_hazards_written_without_counting(liaoning, cast):
    enterprise = liaoning.enterprises["shenhe"]
    now = timezone.now()
    Hazard.objects.bulk_create(
        [
            HazardFactory.build(
                enterprise=enterprise, found_by=cast.heping_inspector, number_sequence=900 + i
            )
            for i in range(3)
        ]
        + [
            HazardFactory.build(
                enterprise=enterprise,
                found_by=cast.heping_inspector,
                number_sequence=950,
                status=HazardStatus.CLOSED,
                found_at=now - 70 * DAY,
                submitted_at=now - 40 * DAY,
                closed_at=now - 39 * DAY,
            )
        ]
    )
    missing = counts_differences()  # the active row, the months found and the month closed: none stored
    assert len(missing) >= 3 and all("stored {}" in line for line in missing)
    assert counts_rebuild() == len(missing)
    assert_counts_equal_the_hazards()


@pytest.mark.django_db
def test_the_command_checks_and_rebuilds(liaoning, cast, capsys):
    HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)
    call_command("hazard_counts", "--check")
    ActiveHazardCount.objects.update(hazards=5)
    with pytest.raises(CommandError, match="1 count rows differ"):
        call_command("hazard_counts", "--check")
    assert "stored {'hazards': 5}, counted {'hazards': 1}" in capsys.readouterr().out
    call_command("hazard_counts", "--rebuild")
    call_command("hazard_counts", "--check")
    assert "equal the hazards" in capsys.readouterr().out


def test_moves_at_the_same_moment_on_the_same_count_row_both_count(reference_data, liaoning, cast):
    """Two verifications in one region, sector and month, in parallel: no increment is lost."""
    found_by = cast.heping_inspector
    hazards = [
        HazardFactory(
            enterprise=liaoning.enterprises["heping"],
            found_by=found_by,
            submitted=True,
        )
        for _ in range(4)
    ]
    for hazard in hazards:
        EvidenceFactory(hazard=hazard, stage=EvidenceStage.RECTIFIED)
    barrier = threading.Barrier(len(hazards))
    errors: list[BaseException] = []

    def verify(hazard):
        try:
            barrier.wait(timeout=10)
            hazard_verify(actor=found_by, hazard_id=hazard.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=verify, args=(hazard,)) for hazard in hazards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert MonthlyHazardCount.objects.get().closed == 4
    assert_counts_equal_the_hazards()
