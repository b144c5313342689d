"""The inspections' pages: the list, starting one from a search for the enterprise, its checklist page,
answering its items, completing it, and its printable order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import Enterprise, User
from hazards.pages.actions import action_route
from hazards.pages.forms.hazards import add_domain_error
from inspections.models import Inspection, ItemAnswer, RectificationOrder
from inspections.pages.forms import (
    EnterpriseSearchForm,
    InspectionCancelForm,
    InspectionStartForm,
    ItemAnswerForm,
)
from inspections.pages.refusals import json_not_found, json_refused, refused, wants_json
from inspections.selectors import inspections as selectors
from inspections.services.inspections import STARTERS, inspection_start, item_answer
from inspections.services.inspections import inspection_cancel as cancel_inspection
from inspections.services.inspections import inspection_complete as complete_inspection


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


def render_checklist_page(
    request: HttpRequest,
    inspection_id: int,
    *,
    item_error: tuple[int, str] | None = None,
    complete_error: str | None = None,
    cancel_form: InspectionCancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The checklist page; a refused answer shows its message at the item, a refused completion above."""
    try:
        checklist = selectors.inspection_checklist(request.user, inspection_id)
    except Inspection.DoesNotExist as error:
        raise Http404 from error
    errors_above = []
    if item_error and not any(row.item.pk == item_error[0] for row in checklist.rows):
        errors_above.append(item_error[1])
        item_error = None
    context = {
        "checklist": checklist,
        "inspection": checklist.inspection,
        "error_item_id": item_error[0] if item_error else None,
        "item_error": item_error[1] if item_error else None,
        "complete_error": complete_error,
        "cancel_form": cancel_form or InspectionCancelForm(),
        "errors_above": errors_above,
    }
    return render(request, "inspections/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return render_checklist_page(request, inspection_id)


def inspection_page(inspection_id: int, item_id: int | None = None) -> str:
    return reverse("inspection_detail", args=[inspection_id])


@action_route(inspection_page)
def inspection_item_answer(request: HttpRequest, inspection_id: int, item_id: int) -> HttpResponse:
    """Answer (or change the answer of) an item: a failure goes on to its finding, anything else back to the
    next item. The offline sender (Accept: application/json) gets the answer, or the refusal, as JSON."""
    form = ItemAnswerForm(request.POST)
    inspection = None
    as_json = wants_json(request)
    try:
        inspection = selectors.visible_inspections(request.user).get(pk=inspection_id)
        answer = form.cleaned_data["answer"] if form.is_valid() else ""
        result = item_answer(actor=request.user, inspection_id=inspection.pk, item_id=item_id, answer=answer)
    except Inspection.DoesNotExist as error:
        if as_json:
            return json_not_found()
        raise Http404 from error
    except (ActionNotPermitted, InvalidTransition) as error:
        return json_refused(error) if as_json else refused(request, error, inspection)
    except RuleViolation as error:
        if as_json:
            return JsonResponse({"errors": {error.field or "__all__": [error.message]}}, status=400)
        return render_checklist_page(request, inspection_id, item_error=(item_id, error.message), status=400)
    if as_json:
        return JsonResponse({"item": item_id, "answer": result.answer})
    if answer == ItemAnswer.FAIL:
        return redirect(f"{reverse('finding_new', args=[inspection_id])}?item={item_id}")
    following = selectors.next_item_id(request.user, inspection_id, item_id)
    anchor = f"#item-{following}" if following else "#complete"
    return redirect(reverse("inspection_detail", args=[inspection_id]) + anchor)


@action_route(inspection_page)
def inspection_complete(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Complete the inspection; the page then shows it completed, with the order it issued."""
    inspection = None
    try:
        inspection = selectors.visible_inspections(request.user).get(pk=inspection_id)
        inspection = complete_inspection(actor=request.user, inspection_id=inspection.pk)
    except Inspection.DoesNotExist as error:
        raise Http404 from error
    except (ActionNotPermitted, InvalidTransition) as error:
        return refused(request, error, inspection)
    except RuleViolation as error:
        return render_checklist_page(request, inspection_id, complete_error=error.message, status=400)
    order = getattr(inspection, "order", None)
    if order is not None:
        messages.success(
            request,
            _("The inspection is completed; rectification order %(number)s is issued.")
            % {"number": order.number},
        )
    else:
        messages.success(request, _("The inspection is completed."))
    return redirect("inspection_detail", inspection_id)


@action_route(inspection_page)
def inspection_cancel(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Cancel an inspection started by mistake, with the reason; it is kept, shown cancelled."""
    form = InspectionCancelForm(request.POST)
    inspection = None
    try:
        inspection = selectors.visible_inspections(request.user).get(pk=inspection_id)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        cancel_inspection(actor=request.user, inspection_id=inspection.pk, reason=reason)
    except Inspection.DoesNotExist as error:
        raise Http404 from error
    except (ActionNotPermitted, InvalidTransition) as error:
        return refused(request, error, inspection)
    except RuleViolation as error:
        form = InspectionCancelForm(request.POST)
        form.is_valid()
        if "reason" not in form.errors:
            form.add_error("reason", error.message)
        return render_checklist_page(request, inspection_id, cancel_form=form, status=400)
    messages.success(request, _("The inspection is cancelled."))
    return redirect("inspection_detail", inspection_id)


@login_required
@require_GET
def inspection_order(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """The rectification order (责令限期整改指令书) the inspection issued, laid out for printing."""
    try:
        order = selectors.inspection_order(request.user, inspection_id)
    except RectificationOrder.DoesNotExist as error:
        raise Http404 from error
    # Issued by the bureau of the issuing inspector's region.
    issuing_region = order.issued_by.region or order.region
    return render(
        request,
        "inspections/inspection_order.html",
        {"order": order, "inspection": order.inspection, "issuing_region": issuing_region},
    )
