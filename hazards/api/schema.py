"""The OpenAPI schema's error responses: every operation documents the errors it can answer with."""

import uritemplate
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from hazards.api.errors import ErrorSerializer

WRITES = ("POST", "PUT", "PATCH", "DELETE")

DESCRIPTIONS = {
    400: "Bad input: `fields` names each field and why.",
    401: "Not authenticated: send a token (`Authorization: Token …`) or a session cookie.",
    403: "Your role may not do this (or the CSRF token of a session is missing).",
    404: "Not found, or outside your scope.",
    409: "The object's status does not allow this now.",
    413: "The upload is larger than the portal accepts.",
    429: "Too many requests: wait the seconds of the Retry-After header.",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error responses of each operation in the portal's error shape.

    Views add the errors only their writes can answer with (409 for a move the status refuses) in their
    `error_statuses` attribute.
    """

    def error_statuses(self) -> set[int]:
        writes = self.method in WRITES
        statuses = set(getattr(self.view, "error_statuses", ()) if writes else ())
        listing = self.method == "GET" and self._is_list_view()
        if writes or listing:
            statuses.add(400)  # bad body, or a bad filter or page size
        if not any(permission is AllowAny for permission in self.view.permission_classes):
            statuses |= {401, 403}
        if uritemplate.variables(self.path) or listing:
            statuses.add(404)  # outside the scope, or a page past the last
        if writes:
            statuses.add(429)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in sorted(self.error_statuses()):
            error = OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[status])
            responses.setdefault(str(status), self._get_response_for_code(error, str(status)))
        return responses
