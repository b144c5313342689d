"""A hazard's page (everything about it, its timeline, the forms of the actions the user may take), logging a
hazard, and the printable rectification order."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import Enterprise, Hazard, User
from hazards.pages.actions import take_draft
from hazards.pages.forms.evidence import EvidenceUploadForm
from hazards.pages.forms.hazards import HazardLogForm, add_domain_error
from hazards.pages.forms.workflow import PAGE_ACTIONS, ActionForm, PageAction, url_name
from hazards.selectors import hazards as selectors
from hazards.selectors.evidence import duplicate_photos
from hazards.services.hazards import SOURCES_BY_ROLE, hazard_log
from hazards.services.workflow import permitted_actions


@dataclass(frozen=True)
class ActionPanel:
    """One action's form on the page."""

    key: str
    action: PageAction
    form: ActionForm
    url: str
    drafted: bool = False

    @property
    def unfolded(self) -> bool:
        return self.action.unfolded or self.drafted or bool(self.form.errors)


def evidence_form(user: User) -> EvidenceUploadForm:
    """The upload form with the stages the user's role uploads: an inspector as found, an enterprise after."""
    form = EvidenceUploadForm(user=user)
    form.fields["file"].widget.attrs["class"] = "form-control"
    form.fields["stage"].widget.attrs["class"] = "form-select"
    return form


def unbound_form(
    action: PageAction, hazard: Hazard, key: str, drafted: tuple[str, dict] | None
) -> ActionForm:
    """An action's empty form, or filled with what was typed before the session ended (not yet checked)."""
    if drafted is not None and drafted[0] == key:
        return action.form_class(hazard=hazard, initial=drafted[1])
    return action.form_class(hazard=hazard)


def render_hazard_page(
    request: HttpRequest,
    hazard_id: int,
    *,
    bound: dict[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The hazard's page; `bound` holds a posted action form to show again with its errors in place."""
    user = request.user
    try:
        hazard = selectors.hazard_detail(user, hazard_id)
    except Hazard.DoesNotExist as error:
        raise Http404 from error
    permitted = permitted_actions(hazard, user)
    bound = bound or {}
    drafted = take_draft(request, request.path) if not bound else None
    panels = [
        ActionPanel(
            key=key,
            action=action,
            form=bound[key] if key in bound else unbound_form(action, hazard, key, drafted),
            url=reverse(url_name(key), args=[hazard.pk]),
            drafted=drafted is not None and drafted[0] == key,
        )
        for key, action in PAGE_ACTIONS.items()
        if key in permitted
    ]
    # A posted action the page no longer offers (a rule refused it) has its errors shown above the page.
    refusals = [
        error for key, form in bound.items() if key not in permitted for error in form.non_field_errors()
    ]
    refused_panels = [panel for panel in panels if panel.key in bound and panel.form.errors]
    context = {
        "hazard": hazard,
        "refusals": refusals,
        "sent_back": selectors.last_send_back(hazard),
        "refused_panel": refused_panels[0] if refused_panels else None,
        "evidence": selectors.evidence_by_stage(hazard),
        "plan": selectors.plan_of(hazard),
        "listing": selectors.listing_of(hazard),
        "suspensions": hazard.suspensions.all(),
        "extensions": hazard.extensions.all(),
        "pending_extension": selectors.pending_extension(hazard),
        "events": hazard.events.all(),
        "notices": selectors.notices_of(user, hazard),
        "panels": panels,
        "upload_form": evidence_form(user) if "add_evidence" in permitted else None,
        # The inspector about to verify is warned of photos that also appear on other hazards.
        "duplicates": duplicate_photos(hazard) if "verify" in permitted else [],
    }
    return render(request, "hazards/hazard_detail.html", context, status=status)


@login_required
@require_GET
def hazard_detail(request: HttpRequest, hazard_id: int) -> HttpResponse:
    return render_hazard_page(request, hazard_id)


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
        hazard = selectors.hazard_for_order(request.user, hazard_id)
    except Hazard.DoesNotExist as error:
        raise Http404 from error
    # An inspector's order is issued by the bureau of the inspector's region; a self-inspection's by the
    # bureau of the enterprise's own county.
    issuing_region = hazard.found_by.region or hazard.region
    return render(request, "hazards/hazard_order.html", {"hazard": hazard, "issuing_region": issuing_region})
