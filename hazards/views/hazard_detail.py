"""A hazard's page: everything about it, its timeline, and the forms of the actions the user may take."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hazards.evidence_forms import EvidenceUploadForm
from hazards.hazard_forms import ActionForm
from hazards.models import Hazard, User
from hazards.selectors import hazards as selectors
from hazards.selectors.evidence import duplicate_photos
from hazards.services.workflow import permitted_actions
from hazards.views.action_table import PAGE_ACTIONS, PageAction, url_name


@dataclass(frozen=True)
class ActionPanel:
    """One action's form on the page."""

    key: str
    action: PageAction
    form: ActionForm
    url: str

    @property
    def unfolded(self) -> bool:
        return self.action.unfolded or bool(self.form.errors)


def evidence_form(user: User) -> EvidenceUploadForm:
    """The upload form with the stages the user's role uploads: an inspector as found, an enterprise after."""
    form = EvidenceUploadForm(user=user)
    form.fields["file"].widget.attrs["class"] = "form-control"
    form.fields["stage"].widget.attrs["class"] = "form-select"
    return form


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
    panels = [
        ActionPanel(
            key=key,
            action=action,
            form=bound[key] if key in bound else action.form_class(hazard=hazard),
            url=reverse(url_name(key), args=[hazard.pk]),
        )
        for key, action in PAGE_ACTIONS.items()
        if key in permitted
    ]
    # A posted action the page no longer offers (a rule refused it) has its errors shown above the page.
    refusals = [
        error for key, form in bound.items() if key not in permitted for error in form.non_field_errors()
    ]
    context = {
        "hazard": hazard,
        "refusals": refusals,
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
