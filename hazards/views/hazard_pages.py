"""The hazard list, logging a hazard, and the printable rectification order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hazards.errors import ActionNotPermitted, RuleViolation
from hazards.hazard_forms import HazardLogForm, add_domain_error
from hazards.ledger import ledger_page
from hazards.models import Enterprise, Hazard
from hazards.selectors.hazards import hazard_for_order
from hazards.services.hazard_log import SOURCES_BY_ROLE, hazard_log


@login_required
@require_GET
def hazard_list(request: HttpRequest) -> HttpResponse:
    """The ledger: the hazards in the user's scope, a page at a time, by status tab (?status=) and filters."""
    listing = ledger_page(request.user, request.GET)
    return render(
        request,
        "hazards/hazard_list.html",
        {
            "listing": listing,
            "page": listing.page,
            "form": listing.filterset.form,
            "can_log_hazards": request.user.role in SOURCES_BY_ROLE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_new(request: HttpRequest) -> HttpResponse:
    """Log a hazard: an inspector at an enterprise of the region, an enterprise from its self-inspection."""
    if request.user.role not in SOURCES_BY_ROLE:
        raise PermissionDenied(_("Only inspectors and enterprises log hazards."))
    form = HazardLogForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                hazard = hazard_log(actor=request.user, **form.service_kwargs())
            except Enterprise.DoesNotExist as error:
                raise Http404 from error
            except ActionNotPermitted as error:
                raise PermissionDenied(error.message) from error
            except RuleViolation as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Hazard %(number)s is logged.") % {"number": hazard.number})
                return redirect("hazard_detail", hazard.pk)
    return render(request, "hazards/hazard_new.html", {"form": form}, status=status)


@login_required
@require_GET
def hazard_order(request: HttpRequest, hazard_id: int) -> HttpResponse:
    """The rectification order (整改通知书) of a hazard, laid out for printing."""
    try:
        hazard = hazard_for_order(request.user, hazard_id)
    except Hazard.DoesNotExist as error:
        raise Http404 from error
    # An inspector's order is issued by the bureau of the inspector's region; a self-inspection's by the
    # bureau of the enterprise's own county.
    issuing_region = hazard.found_by.region or hazard.region
    return render(request, "hazards/hazard_order.html", {"hazard": hazard, "issuing_region": issuing_region})
