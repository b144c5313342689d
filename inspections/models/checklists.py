"""Checklists: a template per sector in numbered versions; an inspection keeps the version it ran."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistTemplate(models.Model):
    """The checklist of a sector (检查表). Its items live in versions, so an edit never changes the past."""

    sector = models.ForeignKey(
        "hazards.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="checklists"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["sector", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="checklist_name_unique_per_sector"),
        ]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> "ChecklistVersion | None":
        return self.versions.order_by("-number").first()


class ChecklistVersion(models.Model):
    """One version of a checklist. Once an inspection uses it, it is frozen: edits go into a new version."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.inspections.exists()


def new_item_key() -> str:
    return uuid.uuid4().hex


class ChecklistItem(models.Model):
    """A point to check; pointing to a criterion clause makes a failure a major hazard."""

    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("checklist version"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.CharField(_("number"), max_length=16)
    # The same item in every version of its checklist: repeats are found by it.
    key = models.CharField(_("key"), max_length=32, default=new_item_key, editable=False)
    text = models.TextField(_("text"))
    clause = models.ForeignKey(
        "hazards.Clause",
        verbose_name=_("major-hazard criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="checklist_item_number_unique"),
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"

    def clean(self) -> None:
        sector_id = self.version.template.sector_id if self.version_id else None
        if self.clause_id and not self.clause.standard.sectors.filter(pk=sector_id).exists():
            raise ValidationError({"clause": _("Choose a clause of this checklist's sector.")})
