"""The portal's error answers (the project's handler403/404/500 and CSRF_FAILURE_VIEW): a page of its own in
the user's language with a way home, or under /api/ a body in the API's one error shape, never Django's bare
English page.

The 500 answer reads nothing from the request or the database: whatever broke may be either of them.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "fields": {}}, status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("There is no such endpoint."), "not_found", 404)
    return render(request, "404.html", status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("You may not do this."), "permission_denied", 403)
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("Something went wrong on our side. Please try again later."), "server_error", 500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from a page that has gone stale (or from another site)."""
    if _is_api(request):
        return _api_error(_("The form's security token is missing or out of date."), "csrf_failed", 403)
    return render(request, "403_csrf.html", status=403)
