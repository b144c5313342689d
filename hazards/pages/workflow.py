"""The workflow actions posted from a hazard's page: one view for all, driven by the action table."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hazards.lib.errors import ActionNotPermitted, DomainError, InvalidTransition, RuleViolation
from hazards.models import Hazard
from hazards.pages.actions import action_route
from hazards.pages.forms.hazards import add_domain_error
from hazards.pages.forms.workflow import PAGE_ACTIONS
from hazards.pages.hazards import render_hazard_page
from hazards.selectors.hazards import hazard_for_action
from hazards.services.workflow import ACTIONS, check


def refused(request: HttpRequest, hazard: Hazard, error: DomainError) -> HttpResponse:
    """An action the role may not take (403) or the status does not allow (409), with the reason."""
    return render(
        request,
        "hazards/action_refused.html",
        {"hazard": hazard, "message": error.message},
        status=error.status_code,
    )


def hazard_page(hazard_id: int, action: str = "") -> str:
    return reverse("hazard_detail", args=[hazard_id])


@action_route(hazard_page)
def hazard_action(request: HttpRequest, hazard_id: int, action: str) -> HttpResponse:
    """Bind the action's form, call its service; errors go back to the hazard's page, in place (400).

    The service decides (it locks the hazard and checks role, status and rules); the check beforehand only
    answers a forbidden action with 403/409 before its form is validated.
    """
    page = PAGE_ACTIONS[action]
    try:
        hazard = hazard_for_action(request.user, hazard_id)
    except Hazard.DoesNotExist as error:
        raise Http404 from error
    form = page.form_class(request.POST, hazard=hazard)
    try:
        check(action, hazard, request.user)
        if form.is_valid():
            ACTIONS[action].perform(actor=request.user, hazard_id=hazard.pk, **form.service_kwargs())
            messages.success(request, page.success)
            return redirect("hazard_detail", hazard.pk)
    except Hazard.DoesNotExist as error:
        raise Http404 from error
    except (ActionNotPermitted, InvalidTransition) as error:
        return refused(request, hazard, error)
    except RuleViolation as error:
        add_domain_error(form, error)
    # Answered in place (not redirected) so the form keeps what was typed; the page scrolls to its errors.
    return render_hazard_page(request, hazard.pk, bound={action: form}, status=400)
