from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hazards.models import Enterprise
from hazards.selectors.hazards import home_summary
from hazards.selectors.todo import to_do_lists
from hazards.services.hazards import SOURCES_BY_ROLE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's home: a greeting by role, what waits for the user, and the enterprises in scope."""
    user = request.user
    enterprises = Enterprise.objects.visible_to(user)
    return render(
        request,
        "home.html",
        {
            "scope": user.scope,
            "enterprise_count": enterprises.count(),
            "enterprises": enterprises.select_related("region", "sector")[:10],
            "summary": home_summary(user),
            "to_do_lists": to_do_lists(user),
            "can_log_hazards": user.role in SOURCES_BY_ROLE,
        },
    )
