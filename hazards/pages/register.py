"""An enterprise's page: who it is, its hazards at a glance and its recent ones, and what other apps add."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hazards.lib.contributions import ENTERPRISE_ACTIONS, ENTERPRISE_COLUMN
from hazards.models import Enterprise
from hazards.selectors.register import enterprise_overview


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    try:
        overview = enterprise_overview(request.user, enterprise_id)
    except Enterprise.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "hazards/enterprise_detail.html",
        {
            "overview": overview,
            "enterprise": overview.enterprise,
            "actions": overview.parts.get(ENTERPRISE_ACTIONS, []),
            "columns": overview.parts.get(ENTERPRISE_COLUMN, []),
        },
    )
