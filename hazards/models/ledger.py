"""Background exports of the ledger: one row each, read and written by the pages, the API and the task."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export state", "Queued")
    RUNNING = "running", pgettext_lazy("export state", "Running")
    DONE = "done", pgettext_lazy("export state", "Done")
    FAILED = "failed", pgettext_lazy("export state", "Failed")
    # Its time is up: the file is deleted, and the export is no longer shown.
    EXPIRED = "expired", pgettext_lazy("export state", "Expired")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class LedgerExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LedgerExportQuerySet":
        """The exports the user asked for: nobody else's, whatever the role (another's is a 404)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user=user)

    def shown(self, now=None) -> "LedgerExportQuerySet":
        """The exports still on offer: not expired, by the row's expiry even before the clean-up has run."""
        now = now or timezone.now()
        return self.exclude(state=ExportState.EXPIRED).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class LedgerExport(models.Model):
    """One export of the filtered ledger too long for the request (over EXPORT_ROW_LIMIT rows), written by a
    worker to a file under VAR_DIR/exports; its progress and outcome are kept here, not in the queue."""

    # The id in the addresses of the export's pages and endpoints.
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        "hazards.User", verbose_name=_("user"), on_delete=models.PROTECT, related_name="ledger_exports"
    )
    # The request's query parameters, each a list of values, as the ledger's filters read them.
    params = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=16)
    state = models.CharField(
        _("state"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in total"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The file's name under VAR_DIR/exports, once it is complete.
    file = models.CharField(_("file"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = LedgerExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger export")
        verbose_name_plural = _("ledger exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ExportState.values), name="ledger_export_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="ledger_export_format_valid"
            ),
        ]
        indexes = [
            # What the outbox's drain looks at every minute: the exports no worker has finished.
            models.Index(
                fields=["created_at"],
                condition=Q(state__in=[ExportState.QUEUED, ExportState.RUNNING]),
                name="ledger_export_unfinished",
            ),
            # What the hourly clean-up looks at: the finished exports, by their expiry.
            models.Index(
                fields=["expires_at"],
                condition=Q(state__in=[ExportState.DONE, ExportState.FAILED]),
                name="ledger_export_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} {self.format} {self.state}"

    @staticmethod
    def folder() -> Path:
        return Path(settings.VAR_DIR) / "exports"

    @property
    def path(self) -> Path:
        """Where the complete file is (or will be) written."""
        return self.folder() / f"{self.uuid}.{self.format}"
