"""Every API error in one shape: `{"detail": ..., "code": ..., "fields": {...}}`, with the right status.

Domain errors keep their status (400 a broken rule, 403 a forbidden move, 409 a move the status does not
allow); anything outside the user's scope is a 404, as if it did not exist; bad input is a 400 naming each
field.
"""

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hazards.lib.errors import DomainError


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text="What went wrong, in the language of the request.")
    code = serializers.CharField(help_text="A stable code for programs: invalid, not_found, rule_violation…")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For bad input: each field's messages, by field name (nested fields joined by dots).",
    )


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """A validation error's messages by field, nested fields (a list's items, an object's keys) dotted."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            fields.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return fields
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        fields = {}
        for index, item in enumerate(detail):
            fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]} if messages else {}


def _codes(detail) -> list[str]:
    if isinstance(detail, dict):
        return [code for value in detail.values() for code in _codes(value)]
    if isinstance(detail, list):
        return [code for item in detail for code in _codes(item)]
    return [getattr(detail, "code", None) or "invalid"]


def _as_api_exception(exc: Exception) -> Exception:
    """Django's and the domain's exceptions as the DRF exception with the status they mean."""
    if isinstance(exc, DomainError):
        error = exceptions.APIException(exc.message, code=exc.code)
        error.status_code = exc.status_code
        error.field = exc.field
        return error
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return exceptions.NotFound(_("Not found, or outside your scope."))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(_("The request is too large."))
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(_("The request cannot be read."))
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: the error body in the portal's one shape."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected exception: a server error, logged as such
    field = getattr(exc, "field", None)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()), [_("Invalid input.")])[0]
        body = {
            "detail": first if len(fields) == 1 else _("Some fields are not valid."),
            "code": (_codes(exc.detail) or ["invalid"])[0] if len(fields) == 1 else "invalid",
            "fields": fields,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
            "fields": {field: [str(detail)]} if field else {},
        }
    response.data = body
    return response


@csrf_exempt  # no endpoint, nothing to protect: a POST here is a 404 too, not a CSRF page
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that names no endpoint: a 404 in the API's shape, not an HTML page."""
    return JsonResponse(
        {"detail": _("There is no such endpoint."), "code": "not_found", "fields": {}}, status=404
    )
