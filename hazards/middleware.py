"""The audit middleware (makes the request known to the audit log, records the requests it refused), and the
answer a script gets when its session is gone."""

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

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


def _made_by_script(request: HttpRequest) -> bool:
    """A fetch that asks for JSON or says it is one (X-Requested-With), not a page the browser loads."""
    if request.headers.get("X-Requested-With"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


class ScriptLoginMiddleware:
    """A request made by script whose session is gone gets a 401, never the redirect to the login page.

    A script follows a redirect without a word and takes the login page's 200 for success; the 401 lets it
    keep what it sent and ask the user to log in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (301, 302, 303, 307, 308) and _made_by_script(request):
            # The redirect login_required makes names the page to come back to; the one after logout does not.
            target = urlsplit(response.get("Location", ""))
            asks_to_come_back = REDIRECT_FIELD_NAME in parse_qs(target.query)
            if (
                target.path == resolve_url(settings.LOGIN_URL)
                and asks_to_come_back
                and not request.user.is_authenticated
            ):
                answer = JsonResponse(
                    {"detail": _("Your session has ended: log in again."), "code": "not_authenticated"},
                    status=401,
                )
                answer["WWW-Authenticate"] = 'Session realm="portal"'
                return answer
        return response
