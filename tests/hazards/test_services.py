"""Logging a hazard: by an inspector or the enterprise itself, numbered, with its deadline and photos."""

import datetime

import pytest
from django.utils import timezone

from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import (
    Clause,
    Enterprise,
    EventKind,
    Evidence,
    EvidenceStage,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    Standard,
)
from hazards.services.hazards import hazard_log
from tests.factories import (
    major_criterion,
    photo_upload,
)


def log(actor, enterprise: Enterprise, **changes) -> Hazard:
    fields = {
        "source": HazardSource.GOVERNMENT_INSPECTION,
        "description": "液化气瓶与明火距离不足",
        "location": "后厨",
        "level": HazardLevel.GENERAL,
        "measures": "气瓶移至独立气瓶间",
        "responsible_person": "孙八",
    } | changes
    return hazard_log(actor=actor, enterprise_id=enterprise.pk, **fields)


def test_an_inspector_logs_an_open_hazard_with_its_photos(liaoning, cast, evidence_root, settings):
    enterprise = liaoning.enterprises["heping"]
    hazard = log(cast.heping_inspector, enterprise, photos=[photo_upload(seed=1), photo_upload(seed=2)])
    assert hazard.status == HazardStatus.OPEN
    assert (hazard.region, hazard.sector, hazard.found_by) == (
        enterprise.region,
        enterprise.sector,
        cast.heping_inspector,
    )
    days = settings.HAZARD_DEADLINE_DAYS["general"]
    assert hazard.deadline == hazard.original_deadline == timezone.localdate() + datetime.timedelta(days=days)
    assert hazard.evidence.filter(stage=EvidenceStage.FOUND).count() == 2
    event = hazard.events.get()
    assert (event.kind, event.from_status, event.to_status) == (EventKind.LOGGED, "", HazardStatus.OPEN)


def test_a_major_hazard_gets_the_longer_default_deadline_and_its_criterion(liaoning, cast, settings):
    criterion = major_criterion()
    hazard = log(
        cast.heping_inspector,
        liaoning.enterprises["heping"],
        level=HazardLevel.MAJOR,
        criterion_id=criterion.pk,
    )
    assert hazard.criterion == criterion
    days = settings.HAZARD_DEADLINE_DAYS["major"]
    assert hazard.deadline == timezone.localdate() + datetime.timedelta(days=days)


def test_numbers_run_per_region_and_year(liaoning, cast):
    heping = [log(cast.heping_inspector, liaoning.enterprises["heping"]) for _ in range(2)]
    shenhe = log(cast.shenhe_inspector, liaoning.enterprises["shenhe"])
    year = timezone.localdate().year
    assert [h.number for h in heping] == [f"210102-{year}-00001", f"210102-{year}-00002"]
    assert shenhe.number == f"210103-{year}-00001"


def test_a_general_hazard_fixed_on_the_spot_closes_at_once_with_its_after_photo(
    liaoning, cast, evidence_root
):
    hazard = log(
        cast.heping_inspector,
        liaoning.enterprises["heping"],
        fixed_on_spot=True,
        photos=[photo_upload(seed=3)],
        after_photos=[photo_upload(seed=4)],
    )
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_at is not None
    assert hazard.evidence.filter(stage=EvidenceStage.RECTIFIED).count() == 1
    assert list(hazard.events.values_list("kind", "to_status")) == [
        (EventKind.LOGGED, HazardStatus.OPEN),
        (EventKind.VERIFIED, HazardStatus.CLOSED),
    ]


def test_the_enterprise_logs_what_its_self_inspection_found(liaoning, cast):
    hazard = log(cast.heping_staff, liaoning.enterprises["heping"], source=HazardSource.SELF_INSPECTION)
    assert hazard.source == HazardSource.SELF_INSPECTION and hazard.status == HazardStatus.OPEN


@pytest.mark.parametrize(
    ("who", "changes", "field"),
    [
        ("heping_staff", {"source": HazardSource.GOVERNMENT_INSPECTION}, "source"),
        ("heping_inspector", {"source": HazardSource.SELF_INSPECTION}, "source"),
        ("heping_inspector", {"level": "severe"}, "level"),
        ("heping_inspector", {"level": HazardLevel.MAJOR}, "criterion"),
        ("heping_inspector", {"criterion_id": "CLAUSE"}, "criterion"),
        ("heping_inspector", {"deadline": timezone.localdate() - datetime.timedelta(days=1)}, "deadline"),
        ("heping_inspector", {"found_at": timezone.now() + datetime.timedelta(hours=2)}, "found_at"),
        ("heping_inspector", {"description": "  "}, "description"),
        ("heping_inspector", {"measures": ""}, "measures"),
        ("heping_inspector", {"fixed_on_spot": True}, "after_photos"),
        (
            "heping_inspector",
            {"fixed_on_spot": True, "level": HazardLevel.MAJOR, "criterion_id": "CLAUSE"},
            "level",
        ),
        ("heping_inspector", {"after_photos": ["PHOTO"]}, "after_photos"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    liaoning, cast, evidence_root, who, changes, field
):
    replacements = {"CLAUSE": major_criterion().pk, "PHOTO": photo_upload()}
    changes = {
        key: [replacements[v] for v in value] if isinstance(value, list) else replacements.get(value, value)
        for key, value in changes.items()
    }
    with pytest.raises(RuleViolation) as caught:
        log(getattr(cast, who), liaoning.enterprises["heping"], **changes)
    assert caught.value.field == field
    assert not Hazard.objects.exists() and not Evidence.objects.exists()


def test_a_criterion_of_an_expired_standard_is_no_longer_offered(liaoning, cast):
    standard = Standard.objects.in_force().first()
    Standard.objects.filter(pk=standard.pk).update(
        effective_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    expired = Clause.objects.filter(standard=standard).first()
    with pytest.raises(RuleViolation) as caught:
        log(
            cast.heping_inspector,
            liaoning.enterprises["heping"],
            level=HazardLevel.MAJOR,
            criterion_id=expired.pk,
        )
    assert caught.value.field == "criterion"


def test_a_disguised_photo_is_refused_and_nothing_is_stored(liaoning, cast, evidence_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(RuleViolation) as caught:
        log(cast.heping_inspector, liaoning.enterprises["heping"], photos=[photo_upload(), fake])
    assert caught.value.field == "photos"
    assert not Hazard.objects.exists() and not Evidence.objects.exists()
    assert [path for path in evidence_root.rglob("*") if path.is_file()] == []


def test_only_inspectors_and_enterprises_log_and_only_in_their_scope(liaoning, cast):
    for who in ("shenyang_supervisor", "admin"):
        with pytest.raises(ActionNotPermitted):
            log(getattr(cast, who), liaoning.enterprises["heping"])
    with pytest.raises(Enterprise.DoesNotExist):
        log(cast.heping_inspector, liaoning.enterprises["zhongshan"])
    with pytest.raises(Enterprise.DoesNotExist):
        log(cast.heping_staff, liaoning.enterprises["shenhe"], source=HazardSource.SELF_INSPECTION)
    with pytest.raises(ActionNotPermitted):
        log(
            cast.heping_staff,
            liaoning.enterprises["heping"],
            source=HazardSource.SELF_INSPECTION,
            fixed_on_spot=True,
            after_photos=[photo_upload()],
        )
    assert not Hazard.objects.exists()
