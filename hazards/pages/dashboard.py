"""The supervisors' dashboard: where the region is behind, and who is responsible."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hazards.models import Region
from hazards.selectors.dashboard import can_view_dashboard, dashboard, dashboard_region


@login_required
def dashboard_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The dashboard of the user's region (or of a region under it); enterprise users have none."""
    user = request.user
    if not can_view_dashboard(user):
        raise Http404(_("There is no dashboard for your role."))
    try:
        region = dashboard_region(user, code)
    except Region.DoesNotExist:
        raise Http404(_("No such region in your scope.")) from None
    return render(request, "dashboard/dashboard.html", {"dashboard": dashboard(user, region)})
