"""Adding evidence to a hazard, the scoped file views, and photos reused across hazards."""

import hashlib
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import (
    EventKind,
    Evidence,
    EvidenceKind,
    EvidenceStage,
    Hazard,
    HazardEvent,
    HazardStatus,
)
from hazards.pages.forms.evidence import EvidenceUploadForm
from hazards.selectors.evidence import duplicate_photos
from hazards.services.evidence import evidence_add, evidence_check, evidence_store
from tests.evidence.test_file_checks import photo_bytes, scene
from tests.factories import in_status, pdf_bytes


def upload(content: bytes, name: str = "site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def body(response) -> bytes:
    """A file response's content; reading it to the end closes the file (the test client sees to it)."""
    return b"".join(response.streaming_content)


def stored_files(root: Path) -> list[Path]:
    return [file for file in root.rglob("*") if file.is_file()] if root.exists() else []


@pytest.fixture
def hazard(make_hazard) -> Hazard:
    """An open hazard at the Heping enterprise, found by the Heping inspector."""
    return make_hazard()


@pytest.fixture
def dalian_hazard(make_hazard, cast) -> Hazard:
    return make_hazard(of_another_region=True, found_by=cast.zhongshan_inspector)


def add(actor, hazard, content=None, name="site.jpg", stage=EvidenceStage.RECTIFIED) -> Evidence:
    content = photo_bytes("JPEG") if content is None else content
    return evidence_add(actor=actor, hazard_id=hazard.pk, upload=upload(content, name), stage=stage)


# The service


def test_an_enterprise_adds_a_photo_of_the_rectification(evidence_root, cast, hazard):
    evidence = add(cast.heping_staff, hazard, photo_bytes("PNG"), name="整改后.png")

    evidence.refresh_from_db()
    assert (evidence.hazard, evidence.stage, evidence.kind) == (hazard, "rectified", EvidenceKind.PHOTO)
    assert (evidence.original_name, evidence.uploaded_by) == ("整改后.png", cast.heping_staff)
    assert evidence.content_type == "image/jpeg"
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(evidence_root) and stored.suffix == ".jpg"
    assert "整改后" not in evidence.file.name and "整改后" not in evidence.thumbnail.name
    content = stored.read_bytes()
    assert content.startswith(b"\xff\xd8")
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    with Image.open(evidence.thumbnail.path) as thumbnail:
        assert max(thumbnail.size) == 320
    assert evidence.phash is not None
    bands = [evidence.phash_band0, evidence.phash_band1, evidence.phash_band2, evidence.phash_band3]
    assert bands == [(evidence.phash & (2**64 - 1)) >> shift & 0xFFFF for shift in (48, 32, 16, 0)]
    event = HazardEvent.objects.get(hazard=hazard)
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        EventKind.EVIDENCE_ADDED,
        cast.heping_staff,
        "",
        "",
    )
    assert event.data == {"evidence_id": evidence.pk, "stage": "rectified", "name": "整改后.png"}


def test_two_uploads_of_the_same_name_get_different_files(evidence_root, cast, hazard):
    first = add(cast.heping_staff, hazard)
    second = add(cast.heping_staff, hazard)
    assert first.file.name != second.file.name
    assert len(stored_files(evidence_root)) == 4


def test_an_enterprise_adds_an_assessment_document(evidence_root, cast, hazard):
    content = pdf_bytes()
    evidence = add(cast.heping_staff, hazard, content, "评估报告.pdf", EvidenceStage.ASSESSMENT)
    assert (evidence.kind, evidence.content_type, evidence.stage) == (
        "document",
        "application/pdf",
        "assessment",
    )
    assert Path(evidence.file.path).read_bytes() == content
    assert not evidence.thumbnail and evidence.phash is None and evidence.phash_band0 is None


def test_an_inspector_adds_a_photo_as_found(evidence_root, cast, hazard):
    evidence = add(cast.heping_inspector, hazard, stage=EvidenceStage.FOUND)
    assert evidence.stage == "found"


@pytest.mark.parametrize(
    ("who", "stage"),
    [
        ("heping_staff", EvidenceStage.FOUND),
        ("heping_inspector", EvidenceStage.RECTIFIED),
        ("heping_inspector", EvidenceStage.ASSESSMENT),
        ("heping_staff", "sideways"),
    ],
)
def test_each_role_adds_its_own_stage_only(evidence_root, cast, hazard, who, stage):
    with pytest.raises(RuleViolation) as caught:
        add(getattr(cast, who), hazard, stage=stage)
    assert caught.value.field == "stage"
    assert not Evidence.objects.exists() and not stored_files(evidence_root)


@pytest.mark.parametrize("who", ["shenyang_supervisor", "admin"])
def test_a_supervisor_or_administrator_adds_no_evidence(evidence_root, cast, hazard, who):
    with pytest.raises(ActionNotPermitted):
        add(getattr(cast, who), hazard, stage=EvidenceStage.FOUND)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("status", [HazardStatus.CLOSED, HazardStatus.SUBMITTED, HazardStatus.VOID])
def test_evidence_is_added_to_an_open_hazard_only(evidence_root, make_hazard, cast, status):
    closed = make_hazard(**in_status(status))
    with pytest.raises(InvalidTransition):
        add(cast.heping_staff, closed)
    assert not Evidence.objects.exists() and not stored_files(evidence_root)


@pytest.mark.parametrize("who", ["shenhe_staff", "zhongshan_staff", "zhongshan_inspector"])
def test_a_hazard_outside_the_scope_does_not_exist(evidence_root, cast, hazard, who):
    with pytest.raises(Hazard.DoesNotExist):
        add(
            getattr(cast, who),
            hazard,
            stage=EvidenceStage.FOUND if "inspector" in who else EvidenceStage.RECTIFIED,
        )
    assert not Evidence.objects.exists()


def png_with_html() -> bytes:
    return photo_bytes("PNG") + b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", b"rectified\n", "Only JPEG, PNG or WebP"),
        ("site.jpg", b"<html><body>not a photo</body></html>", "Only JPEG, PNG or WebP"),
        ("site.png", png_with_html(), "web page or script"),
        ("..\\..\\evil.jpg", photo_bytes("JPEG"), "plain name"),
        ("report.pdf", pdf_bytes(b"4 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n"), "active content"),
    ],
)
def test_a_refused_upload_stores_nothing(evidence_root, cast, hazard, name, content, reason):
    with pytest.raises(RuleViolation) as caught:
        add(cast.heping_staff, hazard, content, name)
    assert caught.value.field == "file" and reason in caught.value.message
    assert not Evidence.objects.exists() and not HazardEvent.objects.exists()
    assert not stored_files(evidence_root)


def test_an_upload_over_the_configured_limit_is_refused(evidence_root, settings, cast, hazard):
    settings.EVIDENCE_MAX_BYTES = 2048
    with pytest.raises(RuleViolation, match="larger than"):
        add(cast.heping_staff, hazard)
    assert not Evidence.objects.exists() and not stored_files(evidence_root)


def test_a_document_is_refused_where_a_photo_is_required(evidence_root, cast, hazard):
    with pytest.raises(RuleViolation) as caught:
        evidence_store(
            hazard=hazard,
            actor=cast.heping_inspector,
            upload=upload(pdf_bytes(), "report.pdf"),
            stage=EvidenceStage.FOUND,
            photo_only=True,
        )
    assert caught.value.field == "file"
    assert not Evidence.objects.exists() and not stored_files(evidence_root)


def test_the_files_are_removed_when_the_row_cannot_be_saved(evidence_root, monkeypatch, cast, hazard):
    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(RuntimeError):
        add(cast.heping_staff, hazard)
    assert not stored_files(evidence_root)


def test_the_files_are_removed_when_the_event_cannot_be_written(evidence_root, monkeypatch, cast, hazard):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("hazards.services.workflow.record_event", fail)
    with pytest.raises(RuntimeError):
        add(cast.heping_staff, hazard)
    assert not stored_files(evidence_root)


def test_several_uploads_are_all_checked_before_any_is_stored(evidence_root, cast, hazard):
    uploads = [upload(photo_bytes("JPEG")), upload(pdf_bytes(), "report.pdf")]
    with pytest.raises(RuleViolation) as caught:
        for each in uploads:
            evidence_check(each, photo_only=True, field="photos")
    assert caught.value.field == "photos"
    checked = evidence_check(uploads[0], photo_only=True)
    evidence = evidence_store(
        hazard=hazard,
        actor=cast.heping_inspector,
        upload=uploads[0],
        stage=EvidenceStage.FOUND,
        checked=checked,
    )
    assert evidence.sha256 == checked.sha256 and len(stored_files(evidence_root)) == 2


# The views


def test_an_enterprise_uploads_through_the_form_and_returns_to_the_hazard(
    client, evidence_root, cast, hazard
):
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]),
        {"stage": "rectified", "file": upload(photo_bytes("WEBP"), "after.webp")},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/hazards/{hazard.pk}/")
    assert hazard.evidence.get().original_name == "after.webp"


def test_a_refused_upload_shows_the_reason(client, evidence_root, cast, hazard):
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]),
        {"stage": "rectified", "file": upload(b"<svg onload=alert(1)></svg>", "drawing.svg")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Only JPEG, PNG or WebP photos and PDF documents" in text
    assert f"/hazards/{hazard.pk}/" in text
    assert not Evidence.objects.exists() and not stored_files(evidence_root)


def test_an_upload_form_without_a_file_or_with_another_role_s_stage_is_refused(
    client, evidence_root, cast, hazard
):
    client.force_login(cast.heping_staff)
    url = reverse("evidence_upload", args=[hazard.pk])
    assert client.post(url, {"stage": "rectified"}).status_code == 400
    assert client.post(url, {"stage": "found", "file": upload(photo_bytes("JPEG"))}).status_code == 400
    assert not Evidence.objects.exists()


def test_the_upload_form_offers_the_stages_of_the_user_s_role(cast):
    stages = {
        role: [value for value, _label in EvidenceUploadForm(user=getattr(cast, who)).fields["stage"].choices]
        for role, who in (
            ("enterprise", "heping_staff"),
            ("inspector", "heping_inspector"),
            ("supervisor", "shenyang_supervisor"),
        )
    }
    assert stages == {
        "enterprise": ["rectified", "assessment"],
        "inspector": ["found"],
        "supervisor": ["found", "rectified", "assessment"],
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("shenyang_supervisor", 403), ("shenhe_staff", 404), ("zhongshan_inspector", 404)],
)
def test_an_upload_outside_the_rules_is_answered_with_its_status(
    client, evidence_root, cast, hazard, who, status
):
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]),
        {"stage": "found", "file": upload(photo_bytes("JPEG"))},
    )
    assert response.status_code == status
    assert not Evidence.objects.exists()


def test_an_upload_to_a_closed_hazard_is_a_conflict(client, evidence_root, make_hazard, cast):
    closed = make_hazard(closed=True)
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("evidence_upload", args=[closed.pk]),
        {"stage": "rectified", "file": upload(photo_bytes("JPEG"))},
    )
    assert response.status_code == 409


def test_an_anonymous_upload_is_sent_to_log_in(client, evidence_root, hazard):
    response = client.post(reverse("evidence_upload", args=[hazard.pk]), {"stage": "rectified"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def photo(evidence_root, cast, hazard) -> Evidence:
    return add(cast.heping_staff, hazard, photo_bytes("PNG"), name="site.png")


@pytest.mark.parametrize("who", ["heping_staff", "heping_inspector", "shenyang_supervisor", "admin"])
def test_a_user_in_scope_downloads_the_file_as_an_attachment(client, cast, photo, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("evidence_download", args=[photo.hazard_id, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="site.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    assert body(response) == Path(photo.file.path).read_bytes()


def test_a_document_downloads_under_its_own_name(client, evidence_root, cast, hazard):
    document = add(cast.heping_staff, hazard, pdf_bytes(), "评估报告.pdf", EvidenceStage.ASSESSMENT)
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("evidence_download", args=[hazard.pk, document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AF%84%E4%BC%B0%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]
    assert body(response) == pdf_bytes()


@pytest.mark.parametrize("who", ["shenhe_staff", "zhongshan_staff", "zhongshan_inspector"])
def test_a_user_outside_the_scope_gets_not_found(client, cast, photo, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("evidence_download", args=[photo.hazard_id, photo.pk])).status_code == 404
    assert client.get(reverse("evidence_thumbnail", args=[photo.hazard_id, photo.pk])).status_code == 404


def test_evidence_is_found_only_under_its_own_hazard(client, make_hazard, cast, photo):
    other = make_hazard()
    client.force_login(cast.heping_inspector)
    assert client.get(reverse("evidence_download", args=[other.pk, photo.pk])).status_code == 404
    assert (
        client.get(reverse("evidence_download", args=[photo.hazard_id, photo.pk + 1000])).status_code == 404
    )


def test_evidence_is_visible_to_whoever_may_see_its_hazard(evidence_root, cast, hazard, dalian_hazard):
    ours = add(cast.heping_staff, hazard)
    theirs = add(cast.zhongshan_inspector, dalian_hazard, stage=EvidenceStage.FOUND)
    seen = {
        "heping_inspector": [ours],
        "shenyang_supervisor": [ours],
        "heping_staff": [ours],
        "shenhe_staff": [],
        "zhongshan_inspector": [theirs],
        "zhongshan_staff": [theirs],
        "admin": [ours, theirs],
    }
    for who, expected in seen.items():
        assert list(Evidence.objects.visible_to(getattr(cast, who)).order_by("id")) == expected, who
    assert not Evidence.objects.visible_to(AnonymousUser()).exists()


def test_another_scope_s_evidence_asked_under_a_visible_hazard_is_not_found(
    client, evidence_root, cast, hazard, dalian_hazard
):
    ours = add(cast.heping_staff, hazard)
    theirs = add(cast.zhongshan_inspector, dalian_hazard, stage=EvidenceStage.FOUND)
    client.force_login(cast.heping_inspector)
    for url in (
        reverse("evidence_download", args=[hazard.pk, theirs.pk]),
        reverse("evidence_thumbnail", args=[hazard.pk, theirs.pk]),
        reverse("evidence_duplicate_thumbnail", args=[hazard.pk, theirs.pk, ours.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_download_is_sent_to_log_in(client, photo):
    response = client.get(reverse("evidence_download", args=[photo.hazard_id, photo.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_thumbnail_is_shown_inline(client, cast, photo):
    client.force_login(cast.heping_staff)
    response = client.get(reverse("evidence_thumbnail", args=[photo.hazard_id, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert "site" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private"
    assert max(Image.open(io.BytesIO(body(response))).size) == 320


def test_a_document_has_no_thumbnail(client, evidence_root, cast, hazard):
    document = add(cast.heping_staff, hazard, pdf_bytes(), "report.pdf", EvidenceStage.ASSESSMENT)
    client.force_login(cast.heping_staff)
    assert client.get(reverse("evidence_thumbnail", args=[hazard.pk, document.pk])).status_code == 404


# Photos reused across hazards


def jpeg_of(image: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@pytest.fixture
def reused(evidence_root, cast, hazard, dalian_hazard):
    """The Heping enterprise's 'rectified' photo is the Dalian inspector's photo of another hazard."""
    theirs = add(cast.zhongshan_inspector, dalian_hazard, jpeg_of(scene(3)), stage=EvidenceStage.FOUND)
    ours = add(cast.heping_staff, hazard, jpeg_of(scene(3).resize((560, 420)), quality=70))
    different = add(cast.heping_staff, hazard, jpeg_of(scene(11)))
    return ours, theirs, different


def test_the_same_photo_on_two_hazards_is_flagged(reused, hazard, dalian_hazard):
    ours, theirs, _different = reused
    assert duplicate_photos(hazard) == [(ours, theirs)]
    assert duplicate_photos(dalian_hazard) == [(theirs, ours)]


def test_photos_of_the_same_hazard_and_documents_are_not_flagged(evidence_root, cast, hazard):
    add(cast.heping_inspector, hazard, jpeg_of(scene(3)), stage=EvidenceStage.FOUND)
    add(cast.heping_staff, hazard, jpeg_of(scene(3)))
    add(cast.heping_staff, hazard, pdf_bytes(), "report.pdf", EvidenceStage.ASSESSMENT)
    assert duplicate_photos(hazard) == []


def test_a_different_photo_is_not_flagged(evidence_root, cast, hazard, dalian_hazard):
    add(cast.zhongshan_inspector, dalian_hazard, jpeg_of(scene(3)), stage=EvidenceStage.FOUND)
    add(cast.heping_staff, hazard, jpeg_of(scene(4)))
    assert duplicate_photos(hazard) == []


def test_the_band_lookup_refuses_a_distance_it_cannot_guarantee(hazard):
    with pytest.raises(ValueError):
        duplicate_photos(hazard, max_distance=4)


@pytest.mark.parametrize("who", ["heping_inspector", "shenyang_supervisor", "admin"])
def test_a_regulator_sees_the_reused_photo_of_a_hazard_outside_the_scope(client, cast, reused, who):
    ours, theirs, _different = reused
    client.force_login(getattr(cast, who))
    url = reverse("evidence_duplicate_thumbnail", args=[ours.hazard_id, ours.pk, theirs.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == Path(theirs.thumbnail.path).read_bytes()
    assert response["X-Content-Type-Options"] == "nosniff"
    if who != "admin":
        # ... but only as the duplicate: the photo itself stays out of reach.
        assert (
            client.get(reverse("evidence_thumbnail", args=[theirs.hazard_id, theirs.pk])).status_code == 404
        )


def test_an_enterprise_does_not_see_the_reused_photo(client, cast, reused):
    ours, theirs, _different = reused
    client.force_login(cast.heping_staff)
    url = reverse("evidence_duplicate_thumbnail", args=[ours.hazard_id, ours.pk, theirs.pk])
    assert client.get(url).status_code == 404


def test_only_a_flagged_pair_is_shown(client, cast, reused):
    ours, theirs, different = reused
    client.force_login(cast.heping_inspector)
    for hazard_id, photo_id, other_id in [
        (different.hazard_id, different.pk, theirs.pk),  # not a duplicate of that photo
        (ours.hazard_id, ours.pk, different.pk),  # the same hazard's own photo
        (theirs.hazard_id, theirs.pk, ours.pk),  # the inspector cannot see the Dalian hazard
    ]:
        url = reverse("evidence_duplicate_thumbnail", args=[hazard_id, photo_id, other_id])
        assert client.get(url).status_code == 404


def test_a_dalian_inspector_sees_the_pair_from_the_other_side(client, cast, reused):
    ours, theirs, _different = reused
    client.force_login(cast.zhongshan_inspector)
    url = reverse("evidence_duplicate_thumbnail", args=[theirs.hazard_id, theirs.pk, ours.pk])
    response = client.get(url)
    assert response.status_code == 200 and body(response)
