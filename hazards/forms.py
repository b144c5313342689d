from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hazards.models import Enterprise, EnterpriseStatus, Region, RegionLevel, Sector


class CountyField(forms.ModelChoiceField):
    """A county or district by its six-digit code; a province or city code gets its own message."""

    default_error_messages = {
        "invalid_choice": _("No county or district has the code %(value)s."),
        "not_county": _(
            "Region %(value)s (%(name)s) is a province or city; "
            "an enterprise belongs to a county or district."
        ),
    }

    def __init__(self, **kwargs) -> None:
        counties = Region.objects.filter(level=RegionLevel.COUNTY)
        super().__init__(queryset=counties, to_field_name="code", **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            region = Region.objects.filter(code=value).first() if error.code == "invalid_choice" else None
            if region is None:
                raise
            raise ValidationError(
                self.error_messages["not_county"],
                code="not_county",
                params={"value": value, "name": region.name},
            ) from error


class SectorField(forms.ModelChoiceField):
    """A sector by its code; an unknown one is answered with the list of codes."""

    default_error_messages = {
        "invalid_choice": _("There is no sector %(value)s; the sectors are: %(codes)s."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Sector.objects.all(), to_field_name="code", **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            codes = ", ".join(self.queryset.values_list("code", flat=True))
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value, "codes": codes},
            ) from error


class EnterpriseImportForm(forms.ModelForm):
    """One row of an enterprise import: the register's own rules, with codes instead of ids."""

    region = CountyField(label=_("region"))
    sector = SectorField(label=_("sector"))

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "sector",
            "address",
            "principal_name",
            "principal_phone",
            "risk_colour",
            "status",
        ]
        error_messages = {
            "risk_colour": {
                "invalid_choice": _("Unknown risk colour %(value)s; use red, orange, yellow or blue."),
            },
            "status": {
                "invalid_choice": _("Unknown status %(value)s; use operating, suspended or closed."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or EnterpriseStatus.OPERATING
