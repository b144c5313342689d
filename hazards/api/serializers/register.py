"""The register in the API: enterprises (read in the scope, written by administrators), regions, sectors.

An enterprise names its region and sector by code, as the import file does, and is checked by the same rules:
the county and sector fields of the import's form, then the model's own validation (full_clean), so the API
cannot register an enterprise that the admin or an import would refuse.
"""

import copy
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.settings import api_settings

from hazards.api.serializers.briefs import RegionBriefSerializer
from hazards.models import Enterprise, Region, Sector
from hazards.services import register as forms

REGION_CODE = re.compile(r"[0-9]{6}")
SECTOR_CODE = re.compile(r"[-a-zA-Z0-9_]{1,32}")


def _drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A Django ValidationError (a form field's, a model's) as DRF's, keeping its messages and codes."""
    detail = serializers.as_serializer_error(error)
    if "__all__" in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
    return serializers.ValidationError(detail)


class _FormChoiceField(serializers.SlugRelatedField):
    """A row named by its code, looked up and refused by a field of the import's form, so the API's messages
    are the import's (and already translated). The code's shape is checked first: a value that cannot be a
    code (a number, a NUL character, a page of text) never reaches the database."""

    form_field_class: type  # and each subclass says, as "bad_code", what a code looks like
    code_pattern: re.Pattern

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.code_pattern.fullmatch(data):
            self.fail("bad_code")
        try:
            return self.form_field_class().clean(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from error


class CountyField(_FormChoiceField):
    """Read: the region in brief ({code, name, level}); write: the six-digit code of a county or district."""

    form_field_class = forms.CountyField
    code_pattern = REGION_CODE
    default_error_messages = {"bad_code": _("A region code has six digits.")}

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Region.objects.all(), **kwargs)

    def to_representation(self, value: Region) -> dict:
        return RegionBriefSerializer(value, context=self.context).data


class CountyFieldSchema(OpenApiSerializerFieldExtension):
    """The county in the schema: a code in a request, the region in brief in a response."""

    target_class = CountyField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "pattern": f"^{REGION_CODE.pattern}$"}
        return auto_schema.resolve_serializer(RegionBriefSerializer, direction).ref


class SectorCodeField(_FormChoiceField):
    """A sector by its code (urban-gas, coal-mine...), read and written."""

    form_field_class = forms.SectorField
    code_pattern = SECTOR_CODE
    default_error_messages = {"bad_code": _("Unknown sector.")}

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Sector.objects.all(), **kwargs)


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise of the register (生产经营单位), written with the codes of its county and sector and
    checked by the rules of the admin and of the import."""

    # The field rules (lengths, credit code, phone, unique code) are mapped by DRF from the model's fields.
    region = CountyField(
        help_text="Read: the county or district in brief. Write: its six-digit code (GB/T 2260)."
    )
    sector = SectorCodeField(help_text="The sector's code, as /api/v1/sectors/ lists them.")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "region",
            "sector",
            "address",
            "principal_name",
            "principal_phone",
            "risk_colour",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "credit_code": {
                "help_text": "The 18-character unified social credit code (GB 32100), with its check "
                "character; capital letters."
            },
        }

    def validate(self, attrs: dict) -> dict:
        """The enterprise as it would be saved passes the model's validation (the region's level, the
        constraints); the credit code's uniqueness was checked by the field, against the other rows."""
        enterprise = copy.copy(self.instance) if self.instance is not None else Enterprise()
        for name, value in attrs.items():
            setattr(enterprise, name, value)
        try:
            enterprise.full_clean(validate_unique=False)
        except DjangoValidationError as error:
            raise _drf_error(error) from error
        return attrs

    def create(self, validated_data: dict) -> Enterprise:
        return self._saved(Enterprise(**validated_data))

    def update(self, instance: Enterprise, validated_data: dict) -> Enterprise:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._saved(instance)

    def _saved(self, enterprise: Enterprise) -> Enterprise:
        """Saved; a credit code registered by another request since the check is a 400 on the field."""
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError as error:
            taken = Enterprise.objects.exclude(pk=enterprise.pk).filter(credit_code=enterprise.credit_code)
            if not taken.exists():
                raise
            message = Enterprise._meta.get_field("credit_code").error_messages["unique"]
            raise serializers.ValidationError({"credit_code": [message]}, code="unique") from error
        return enterprise


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The parent's code; null for a province.",
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]
        read_only_fields = fields
