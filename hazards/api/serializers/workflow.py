"""What a client sends to log a hazard or act on one: parsed here, decided by the services.

As the pages' forms, these hold no rule of their own: a blank reason, a past deadline or a criterion of
another sector pass them and are refused by the service, whose error names the field. Lengths are bounded
here as the database bounds them, and every id is an integer.
"""

from rest_framework import serializers

from hazards.api.fields import ScopedPrimaryKeyField
from hazards.models import Enterprise, HazardLevel, HazardSource, Role, User

# The most photos one request may carry, as found and after a fix on the spot.
MAX_PHOTOS = 10
DB_ID = {"min_value": 1, "max_value": 2**63 - 1}


def text(*, required: bool = True, max_length: int | None = None, **kwargs) -> serializers.CharField:
    """Text the service checks: blank passes here (the service answers with its own message)."""
    return serializers.CharField(
        required=required, allow_blank=True, max_length=max_length, trim_whitespace=False, **kwargs
    )


class ServiceInput(serializers.Serializer):
    """An input whose service_kwargs() are its service's keyword arguments (besides the actor)."""

    def service_kwargs(self) -> dict:
        return dict(self.validated_data)


class HazardCreateSerializer(ServiceInput):
    """Log a hazard: an inspector at an enterprise of the region, an enterprise user at its own."""

    enterprise = ScopedPrimaryKeyField(
        Enterprise,
        required=False,
        help_text="Required for an inspector; an enterprise user's hazard is always its own enterprise's.",
    )
    source = serializers.ChoiceField(
        choices=HazardSource.choices,
        required=False,
        help_text="An inspector's: government_inspection (by default), special_campaign or report; "
        "an enterprise's is always self_inspection.",
    )
    level = serializers.ChoiceField(choices=HazardLevel.choices)
    criterion = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The major-hazard criterion (a clause in force of the enterprise's sector); major only.",
        **DB_ID,
    )
    description = text()
    location = text(max_length=200)
    measures = text()
    responsible_person = text(max_length=64)
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="Blank: the default time limit of the level."
    )
    fixed_on_spot = serializers.BooleanField(
        default=False, help_text="Inspectors only: a general hazard fixed during the visit, closed at once."
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=MAX_PHOTOS, help_text="Photos as found."
    )
    after_photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS,
        help_text="Photos after the fix (fixed_on_spot only).",
    )

    def get_fields(self) -> dict:
        fields = super().get_fields()
        request, view = self.context.get("request"), self.context.get("view")
        documenting = getattr(view, "swagger_fake_view", False)  # the schema shows every field
        if request is not None and not documenting and request.user.role == Role.ENTERPRISE:
            # An enterprise logs at itself, and only an inspector fixes on the spot: these are ignored.
            for name in ("enterprise", "fixed_on_spot", "after_photos"):
                del fields[name]
        return fields

    def validate(self, attrs: dict) -> dict:
        user: User = self.context["request"].user
        if user.role != Role.ENTERPRISE and attrs.get("enterprise") is None:
            raise serializers.ValidationError(
                {"enterprise": self.fields["enterprise"].error_messages["required"]}
            )
        return attrs

    def service_kwargs(self) -> dict:
        """The keyword arguments of hazard_log(...): the role's own source and enterprise where it has one."""
        user: User = self.context["request"].user
        data = self.validated_data
        default_source = (
            HazardSource.SELF_INSPECTION
            if user.role == Role.ENTERPRISE
            else HazardSource.GOVERNMENT_INSPECTION
        )
        enterprise_id = user.enterprise_id if user.role == Role.ENTERPRISE else data["enterprise"].pk
        source = data.get("source") if user.role != Role.ENTERPRISE else None
        return {"enterprise_id": enterprise_id, "source": source or default_source, **self.hazard_fields()}

    def hazard_fields(self) -> dict:
        """The hazard's own fields as the services take them (findings share them)."""
        data = self.validated_data
        return {
            "level": data["level"],
            "criterion_id": data.get("criterion"),
            "description": data["description"],
            "location": data["location"],
            "measures": data["measures"],
            "responsible_person": data["responsible_person"],
            "deadline": data.get("deadline"),
            "fixed_on_spot": data.get("fixed_on_spot", False),
            "photos": data.get("photos") or [],
            "after_photos": data.get("after_photos") or [],
        }


class SubmitSerializer(ServiceInput):
    comment = text(required=False, default="")


class SendBackSerializer(ServiceInput):
    reasons = text()


class VerifySerializer(ServiceInput):
    comment = text(required=False, default="")
    reviewed_on_site_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Required for a major hazard: the day of the on-site review.",
    )


class VoidSerializer(ServiceInput):
    reason = text()


class PlanSerializer(ServiceInput):
    """The five implementations (五落实) of a major hazard's rectification plan; sent again, it is revised."""

    responsible_person = text(max_length=64)
    measures = text()
    funds_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    deadline = serializers.DateField()
    emergency_plan = text()


class ExtensionRequestSerializer(ServiceInput):
    requested_deadline = serializers.DateField()
    reasons = text()


class ExtensionDecisionSerializer(ServiceInput):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    comment = text(required=False, default="", help_text="Required to reject.")

    def service_kwargs(self) -> dict:
        return {
            "approve": self.validated_data["decision"] == "approve",
            "comment": self.validated_data["comment"],
        }


class SuspensionSerializer(ServiceInput):
    scope = text(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)


class ListingSerializer(ServiceInput):
    authority = text(max_length=120)


class ReclassifySerializer(ServiceInput):
    level = serializers.ChoiceField(choices=HazardLevel.choices)
    criterion = serializers.IntegerField(
        required=False, allow_null=True, help_text="Required when the hazard becomes major.", **DB_ID
    )
    reason = text()

    def service_kwargs(self) -> dict:
        data = self.validated_data
        return {"level": data["level"], "reason": data["reason"], "criterion_id": data.get("criterion")}
