import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from hazards.models.hazards import Hazard
from hazards.models.scoping import ScopedQuerySet


class EvidenceStorage(LazyObject):
    """The storage named "evidence" in STORAGES: a folder outside the web root (EVIDENCE_ROOT) or a private
    S3 bucket (EVIDENCE_STORAGE=s3). Its files are served only through a scoped view."""

    def _setup(self) -> None:
        self._wrapped = storages["evidence"]


evidence_storage = EvidenceStorage()


def get_evidence_storage() -> EvidenceStorage:
    """The storage as a callable, so migrations name it instead of freezing one machine's EVIDENCE_ROOT."""
    return evidence_storage


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name under the year and month; the uploaded name is kept only as data."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceStage(models.TextChoices):
    FOUND = "found", _("As found")
    RECTIFIED = "rectified", _("After rectification")
    ASSESSMENT = "assessment", _("Assessment")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class EvidenceQuerySet(ScopedQuerySet):
    def scope_condition(self, user) -> models.Q:
        """Evidence is seen by whoever may see its hazard."""
        return models.Q(hazard__in=Hazard.objects.visible_to(user))


class Evidence(models.Model):
    """A photo or document showing a hazard's state (整改佐证材料), checked and re-encoded on upload."""

    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="evidence"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=EvidenceStage.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), storage=get_evidence_storage, upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), storage=get_evidence_storage, upload_to=evidence_path, max_length=200, blank=True
    )
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # A 64-bit difference hash of a photo, split in four 16-bit bands that are indexed, so that photos within
    # a few bits of each other are found with indexed lookups (two such hashes share at least one band).
    phash = models.BigIntegerField(_("perceptual hash"), null=True, blank=True)
    phash_band0 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    phash_band1 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    phash_band2 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    phash_band3 = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    original_name = models.CharField(_("original name"), max_length=255)
    uploaded_by = models.ForeignKey(
        "hazards.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="evidence"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=EvidenceStage.values), name="evidence_stage_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == EvidenceKind.PHOTO
