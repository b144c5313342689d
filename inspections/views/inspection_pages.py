"""The inspection list, and starting an inspection from a search for the enterprise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hazards.errors import ActionNotPermitted, RuleViolation
from hazards.hazard_forms import add_domain_error
from hazards.models import Enterprise, Role, User
from inspections import selectors
from inspections.forms import EnterpriseSearchForm, InspectionStartForm
from inspections.services.conduct import inspection_start
from inspections.views.refusals import refused

# The roles that run inspections: an inspector inspects, an enterprise self-inspects.
STARTERS = (Role.INSPECTOR, Role.ENTERPRISE)


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    """The inspections in the user's scope, today's first; an inspector's own, or all of the region."""
    listing = selectors.inspection_list_page(
        request.user, scope=request.GET.get("scope"), page=request.GET.get("page")
    )
    return render(
        request,
        "inspections/inspection_list.html",
        {"listing": listing, "page": listing.page, "can_start": request.user.role in STARTERS},
    )


def _chosen_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise of ?enterprise= (an enterprise user's own by default); 404 outside the scope."""
    user: User = request.user
    raw = request.GET.get("enterprise") or (user.enterprise_id if user.is_enterprise_user else None)
    if raw is None:
        return None
    try:
        return selectors.enterprise_to_inspect(user, int(raw))
    except (ValueError, Enterprise.DoesNotExist) as error:
        raise Http404 from error


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    """Search the enterprise (?q=), choose it (?enterprise=), then start: POST calls inspection_start."""
    user: User = request.user
    enterprise = _chosen_enterprise(request)
    if user.role not in STARTERS:
        raise PermissionDenied(_("Only inspectors and enterprises run inspections."))
    if enterprise is None:
        if request.method == "POST":
            raise Http404
        search = EnterpriseSearchForm(request.GET)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        context = {
            "search": search,
            "query": query,
            "results": selectors.enterprise_search(user, query),
        }
        return render(request, "inspections/inspection_search.html", context)

    form = InspectionStartForm(request.POST or None, user=user, enterprise=enterprise)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                inspection = inspection_start(actor=user, **form.service_kwargs())
            except Enterprise.DoesNotExist as error:
                raise Http404 from error
            except ActionNotPermitted as error:
                return refused(request, error)
            except RuleViolation as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("The inspection of %(name)s is started.") % {"name": enterprise.name}
                )
                return redirect("inspection_detail", inspection.pk)
    return render(
        request, "inspections/inspection_new.html", {"form": form, "enterprise": enterprise}, status=status
    )
