from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.models.scoping import ScopedQuerySet


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")


# Digits of the code that identify a region at each level; the rest are zeros (GB/T 2260).
PREFIX_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4, RegionLevel.COUNTY: 6}


def level_of_code(code: str) -> RegionLevel:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


class RegionQuerySet(ScopedQuerySet):
    region_code_lookup = "code"
    enterprise_lookup = "enterprises"

    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and everything under it, by code prefix (one indexed range scan)."""
        return self.filter(code__startswith=region.code_prefix)


class Region(models.Model):
    """An administrative division with its official six-digit code (行政区划代码, GB/T 2260)."""

    code = models.CharField(
        _("code"),
        max_length=6,
        # Unique, so on PostgreSQL Django adds a varchar_pattern_ops index that LIKE 'prefix%' uses.
        unique=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("A region code has six digits."))],
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="region_code_six_digits"),
            models.CheckConstraint(condition=Q(level__in=RegionLevel.values), name="region_level_valid"),
            models.CheckConstraint(
                condition=Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~Q(level=RegionLevel.PROVINCE) & Q(parent__isnull=False)),
                name="region_parent_unless_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def code_prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    def clean(self) -> None:
        if not self.code or not self.level:
            return
        if level_of_code(self.code) != self.level:
            raise ValidationError(
                {
                    "level": ValidationError(
                        _("Code %(code)s is the code of a %(level)s."),
                        params={"code": self.code, "level": RegionLevel(level_of_code(self.code)).label},
                    )
                }
            )
        if (self.level == RegionLevel.PROVINCE) != (self.parent is None):
            raise ValidationError({"parent": _("A province has no parent; a city or county has one.")})
        if self.parent is not None and not self.code.startswith(self.parent.code_prefix):
            raise ValidationError({"parent": _("A region's code must begin with its parent's code.")})
