from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.lib.credit_code import PATTERN as CREDIT_CODE_PATTERN
from hazards.lib.credit_code import validate_credit_code
from hazards.models.regions import RegionLevel
from hazards.models.scoping import ScopedQuerySet


class RiskColour(models.TextChoices):
    RED = "red", _("Red (major risk)")
    ORANGE = "orange", _("Orange (high risk)")
    YELLOW = "yellow", _("Yellow (general risk)")
    BLUE = "blue", _("Blue (low risk)")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{5,19}$", _("Enter a phone number of digits, spaces and dashes.")
)


class EnterpriseQuerySet(ScopedQuerySet):
    region_code_lookup = "region__code"
    enterprise_lookup = "pk"


class Enterprise(models.Model):
    """A supervised business unit (生产经营单位), identified by its unified social credit code."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this credit code is already registered.")},
    )
    region = models.ForeignKey(
        "hazards.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    sector = models.ForeignKey(
        "hazards.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    principal_name = models.CharField(_("principal person"), max_length=64)
    principal_phone = models.CharField(_("principal's phone"), max_length=20, validators=[phone_validator])
    risk_colour = models.CharField(_("risk colour"), max_length=8, choices=RiskColour.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=CREDIT_CODE_PATTERN), name="enterprise_credit_code_format"
            ),
            models.CheckConstraint(
                condition=Q(risk_colour__in=RiskColour.values), name="enterprise_risk_colour_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnterpriseStatus.values), name="enterprise_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.region_id and self.region.level != RegionLevel.COUNTY:
            raise ValidationError({"region": _("An enterprise belongs to a county or district.")})
