"""The audit middleware: makes the request known to the audit log, and records the requests it refused."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hazards.lib import request_context as audit_context
from hazards.services.audit import audit_refused


class AuditMiddleware:
    """Records a 403, and a 404 for an object that exists outside the user's scope, as denied access.

    A 404 for an address or id that names nothing is not recorded: the scoping queryset marks only the
    lookups that missed because of the scope. Pages and API alike pass through here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context.serving(request):
            response = self.get_response(request)
            status = response.status_code
            if status == 403 or (status == 404 and hasattr(request, audit_context.OUT_OF_SCOPE)):
                audit_refused(request, status)
        return response
