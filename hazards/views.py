from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hazards.models import Enterprise


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's home: a greeting by role and a glance at the enterprises in the user's scope."""
    enterprises = Enterprise.objects.visible_to(request.user)
    return render(
        request,
        "home.html",
        {
            "scope": request.user.scope,
            "enterprise_count": enterprises.count(),
            "enterprises": enterprises.select_related("region", "sector")[:10],
        },
    )
