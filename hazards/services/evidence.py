"""Evidence writes: storing a checked upload, and adding evidence to a hazard's timeline."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.domain.evidence import CheckedFile, UploadRefused, check_upload, phash_bands
from hazards.lib.errors import RuleViolation
from hazards.models import AuditAction, EventKind, Evidence, EvidenceKind, EvidenceStage, Hazard, Role, User
from hazards.models.evidence import evidence_storage
from hazards.services import workflow
from hazards.services.audit import audit_record

# The stages each role uploads: an inspector shows the hazard as found, an enterprise the rectification.
STAGES_BY_ROLE = {
    Role.ENTERPRISE: {EvidenceStage.RECTIFIED, EvidenceStage.ASSESSMENT},
    Role.INSPECTOR: {EvidenceStage.FOUND},
}


def evidence_check(upload, *, photo_only: bool = False, field: str = "file") -> CheckedFile:
    """Check an upload without storing anything; a refusal is a RuleViolation on `field`.

    A service that stores several uploads checks them all first, so that a refused one leaves nothing behind.
    """
    try:
        checked = check_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except UploadRefused as refusal:
        raise RuleViolation(refusal.message, field=field) from refusal
    if photo_only and checked.kind != EvidenceKind.PHOTO:
        raise RuleViolation(_("Upload a photo (JPEG, PNG or WebP) here."), field=field)
    return checked


def evidence_store(
    *,
    hazard: Hazard,
    actor: User,
    upload,
    stage: EvidenceStage,
    photo_only: bool = False,
    checked: CheckedFile | None = None,
) -> Evidence:
    """Check an upload and store it as evidence of the hazard, under a random name outside the web root.

    Everything is checked before anything is written (pass `checked` from evidence_check to skip a second
    check); a refusal is a RuleViolation on the field "file". The caller holds the hazard's lock and writes
    the timeline event. If the row cannot be saved, the files just written are removed.
    """
    if checked is None:
        checked = evidence_check(upload, photo_only=photo_only)
    band0, band1, band2, band3 = phash_bands(checked.phash) if checked.phash is not None else (None,) * 4
    evidence = Evidence(
        hazard=hazard,
        stage=stage,
        kind=checked.kind,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        phash=checked.phash,
        phash_band0=band0,
        phash_band1=band1,
        phash_band2=band2,
        phash_band3=band3,
        original_name=upload.name[:255],
        uploaded_by=actor,
        uploaded_at=timezone.now(),  # before the files: their path is made from it
    )
    try:
        evidence.file.save(f"evidence{checked.extension}", ContentFile(checked.content), save=False)
        if checked.thumbnail is not None:
            evidence.thumbnail.save("thumbnail.jpg", ContentFile(checked.thumbnail), save=False)
        evidence.save()
        audit_record(
            action=AuditAction.EVIDENCE_UPLOAD,
            actor=actor,
            obj=evidence,
            label=evidence.original_name,
            region_code=hazard.region.code,
            detail=_evidence_detail(evidence),
        )
    except BaseException:
        _remove_files(evidence)
        raise
    return evidence


def _evidence_detail(evidence: Evidence) -> dict:
    return {
        "hazard_id": evidence.hazard_id,
        "stage": str(evidence.stage),
        "kind": str(evidence.kind),
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def evidence_downloaded(*, actor: User, evidence: Evidence) -> None:
    """Record that the user fetched the evidence's file (pages and API alike)."""
    audit_record(
        action=AuditAction.EVIDENCE_DOWNLOAD,
        actor=actor,
        obj=evidence,
        label=evidence.original_name,
        region_code=evidence.hazard.region.code,
        detail=_evidence_detail(evidence),
    )


def _remove_files(evidence: Evidence) -> None:
    for file in (evidence.file, evidence.thumbnail):
        if file.name:
            evidence_storage.delete(file.name)


@transaction.atomic
def evidence_add(*, actor: User, hazard_id: int, upload, stage: EvidenceStage) -> Evidence:
    """Add a photo or document to an open hazard, as its timeline's "evidence added" event.

    An inspector adds evidence as found; an enterprise user evidence of the rectification or an assessment.
    A hazard outside the actor's scope raises Hazard.DoesNotExist.
    """
    hazard = workflow.locked_hazard(actor, hazard_id)
    workflow.check("add_evidence", hazard, actor)
    if stage not in STAGES_BY_ROLE.get(actor.role, set()):
        if actor.role == Role.INSPECTOR:
            message = _("An inspector adds evidence of the hazard as found.")
        else:
            message = _("An enterprise adds evidence of the rectification or an assessment.")
        raise RuleViolation(message, field="stage")
    evidence = evidence_store(hazard=hazard, actor=actor, upload=upload, stage=EvidenceStage(stage))
    try:
        workflow.record_event(
            hazard,
            EventKind.EVIDENCE_ADDED,
            actor,
            evidence_id=evidence.pk,
            stage=str(evidence.stage),
            name=evidence.original_name,
        )
    except BaseException:
        _remove_files(evidence)  # the row goes with the transaction; its files would outlive it
        raise
    return evidence
