"""How the inspection pages answer a refused request: a page with the reason, or JSON for the device."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hazards.lib.errors import DomainError
from inspections.models import Inspection


def wants_json(request: HttpRequest) -> bool:
    """The offline sender asks for JSON (Accept: application/json); a browser's form prefers HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def refused(request: HttpRequest, error: DomainError, inspection: Inspection | None = None) -> HttpResponse:
    """A move the role may not make (403) or the inspection's status does not allow (409), with the reason."""
    return render(
        request,
        "inspections/refused.html",
        {"message": error.message, "inspection": inspection},
        status=error.status_code,
    )


def json_refused(error: DomainError) -> JsonResponse:
    return JsonResponse({"detail": error.message, "code": error.code}, status=error.status_code)


def json_not_found() -> JsonResponse:
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
