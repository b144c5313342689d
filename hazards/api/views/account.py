"""Tokens for programs, and who the requesting user is."""

from axes.helpers import get_cool_off
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hazards.api.serializers.briefs import EnterpriseBriefSerializer, RegionBriefSerializer
from hazards.api.throttling import LoginRateThrottle
from hazards.http import locked_out_message
from hazards.models import AuditAction, User
from hazards.services.audit import audit_record

TokenSerializer = inline_serializer("Token", {"token": serializers.CharField()})


class TokenRequestSerializer(AuthTokenSerializer):
    """A username and password; the username no longer than a username can be (the lockout records it)."""

    username = serializers.CharField(
        label=_("Username"), max_length=User._meta.get_field("username").max_length, write_only=True
    )


class LockedOut(exceptions.APIException):
    """Too many wrong passwords for this account from this address (django-axes): 429, locked_out."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, detail: str, wait: float) -> None:
        super().__init__(detail)
        self.wait = int(wait)  # DRF's handler sends it as Retry-After


class TokenView(APIView):
    """POST a username and password for the user's token; DELETE (with the token) to revoke it."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    def get_throttles(self):
        return [LoginRateThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(
        summary="Get your API token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        # The serializer authenticates with the request, so the lockout (django-axes) counts this attempt.
        credentials = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = credentials.is_valid()
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(locked_out_message(request), wait=get_cool_off(request).total_seconds())
        if not valid:
            raise exceptions.ValidationError(credentials.errors)
        token, _created = Token.objects.get_or_create(user=credentials.validated_data["user"])
        # A token is a login without a session: Django sends no user_logged_in for it.
        audit_record(action=AuditAction.LOGIN, actor=token.user, request=request, detail={"via": "api_token"})
        return Response({"token": token.key})

    @extend_schema(summary="Revoke your API token", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    enterprise = EnterpriseBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "region",
            "enterprise",
            "language",
        ]
        read_only_fields = fields


class MeView(APIView):
    """The requesting user: role and scope (a region, or an enterprise)."""

    @extend_schema(summary="Who you are: your role and scope", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = User.objects.select_related("region", "enterprise").get(pk=request.user.pk)
        return Response(MeSerializer(user).data)
