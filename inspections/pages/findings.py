"""Logging a finding of an inspection: a form for the page, and the same POST answering JSON for the device.

The device that saved findings while offline sends them again later with the idempotency key each form was
shown with; finding_log makes one hazard per key, so a resend answers with the hazard already made.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import Enterprise, Hazard
from hazards.pages.forms.hazards import add_domain_error
from inspections.models import ChecklistItem, Inspection
from inspections.pages.forms import FindingForm
from inspections.pages.refusals import json_not_found, json_refused, refused, wants_json
from inspections.selectors import inspections as selectors
from inspections.services.findings import finding_log


def _item_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("item")
    return int(raw) if raw else None


def _logged(request: HttpRequest, hazard: Hazard, created: bool, inspection_id: int) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(
            {"hazard_id": hazard.pk, "number": hazard.number, "created": created},
            status=201 if created else 200,
        )
    if created:
        messages.success(request, _("Hazard %(number)s is logged.") % {"number": hazard.number})
    else:
        messages.info(request, _("Hazard %(number)s was already logged.") % {"number": hazard.number})
    item_id = hazard.finding.checklist_item_id
    anchor = f"#item-{item_id}" if item_id else "#findings"
    return redirect(reverse("inspection_detail", args=[inspection_id]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """The finding form (prefilled from ?item=); POST calls finding_log. Errors go back in place (400)."""
    as_json = request.method == "POST" and wants_json(request)
    try:
        target = selectors.finding_target(request.user, inspection_id, _item_id(request))
    except (ValueError, Inspection.DoesNotExist, ChecklistItem.DoesNotExist) as error:
        if as_json:
            return json_not_found()
        raise Http404 from error
    inspection = target.inspection
    if request.method == "GET" and target.refusal is not None:
        return refused(request, target.refusal, inspection)
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        enterprise=inspection.enterprise,
        item=target.item,
    )
    if request.method == "GET":
        return _render(request, form, target)

    if form.is_valid():
        try:
            hazard, created = finding_log(
                actor=request.user, inspection_id=inspection.pk, **form.service_kwargs()
            )
        except (Inspection.DoesNotExist, Enterprise.DoesNotExist, Hazard.DoesNotExist) as error:
            if as_json:
                return json_not_found()
            raise Http404 from error
        except (ActionNotPermitted, InvalidTransition) as error:
            return json_refused(error) if as_json else refused(request, error, inspection)
        except RuleViolation as error:
            add_domain_error(form, error)
        else:
            return _logged(request, hazard, created, inspection.pk)
    # The service decides on a valid form (a key sent again is answered even once the inspection is
    # completed); an invalid one from a user who may not log a finding at all is refused as such.
    if target.refusal is not None:
        return json_refused(target.refusal) if as_json else refused(request, target.refusal, inspection)
    if as_json:
        return JsonResponse({"errors": form.error_dict()}, status=400)
    return _render(request, form, target, status=400)


def _render(
    request: HttpRequest, form: FindingForm, target: selectors.FindingTarget, status: int = 200
) -> HttpResponse:
    url = reverse("finding_new", args=[target.inspection.pk])
    if target.item is not None:
        url += f"?item={target.item.pk}"
    context = {
        "form": form,
        "inspection": target.inspection,
        "item": target.item,
        "post_url": url,
        # Errors of the hidden key have no field to show them at.
        "hidden_errors": [error for field in form.hidden_fields() for error in field.errors],
    }
    return render(request, "inspections/finding_new.html", context, status=status)
