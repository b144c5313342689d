"""The rankings (赛马): the runs of the user's scope, a run with its lists and explanations, publishing."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hazards.http import run_workbook_response
from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import RankingRun, Region, Role
from hazards.pages.forms.hazards import add_domain_error, bootstrap_style
from hazards.selectors.dashboard import can_view_dashboard
from hazards.selectors.rankings import (
    FLAG_LABELS,
    deductions_of,
    explanation,
    run_of,
    run_page,
    visible_runs,
)
from hazards.services.rankings.deductions import ranking_deduction_enter
from hazards.services.rankings.publication import ranking_publish
from hazards.tasks import outbox_nudge


def _region_user(request: HttpRequest) -> None:
    if not can_view_dashboard(request.user):
        raise Http404(_("There are no rankings for your role."))


def _in_scope(read, user, run_id: int, **kwargs):
    """read(user, run_id), or a 404 for a run outside the user's scope (or none at all)."""
    try:
        return read(user, run_id, **kwargs)
    except RankingRun.DoesNotExist:
        raise Http404(_("No such ranking in your scope.")) from None


@login_required
@require_GET
def ranking_list(request: HttpRequest) -> HttpResponse:
    """The ranking runs of the user's scope, newest quarter first."""
    _region_user(request)
    return render(request, "rankings/ranking_list.html", {"runs": visible_runs(request.user)[:200]})


@login_required
@require_GET
def ranking_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: the regions ranked (sortable), the red and black lists, each entry's explanation."""
    _region_user(request)
    return _detail(request, run_id)


def _detail(request: HttpRequest, run_id: int, *, status: int = 200) -> HttpResponse:
    page = _in_scope(run_page, request.user, run_id, order=request.GET.get("order", "rank"))
    rows = [
        (
            entry,
            explanation(entry, page.run),
            [(FLAG_LABELS[name], count) for name, count in entry.flags.items()],
        )
        for entry in page.regions
    ]
    can_publish = request.user.role == Role.SUPERVISOR and not page.run.is_published and bool(rows)
    chart = {
        "labels": [entry.region.name for entry in page.ranked],
        "scores": [round(entry.score, 2) for entry in page.ranked],
        "marks": [entry.mark for entry in page.ranked],
        "label": _("Score"),
    }
    context = {"page": page, "rows": rows, "can_publish": can_publish, "chart": chart}
    return render(request, "rankings/ranking_detail.html", context, status=status)


@login_required
@require_POST
def ranking_publish_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """Publish the draft (a supervisor of its scope); a refused publication changes nothing."""
    _region_user(request)
    try:
        run = ranking_publish(actor=request.user, run_id=run_id)
        outbox_nudge()  # the ranked are told once the publication is committed
    except RankingRun.DoesNotExist:
        raise Http404(_("No such ranking in your scope.")) from None
    except ActionNotPermitted as refused:
        raise PermissionDenied(refused.message) from refused
    except (InvalidTransition, RuleViolation) as refused:
        messages.error(request, refused.message)
        return _detail(request, run_id, status=refused.status_code)
    messages.success(request, _("The ranking of %(run)s is published.") % {"run": run})
    return redirect("ranking_detail", run.pk)


@login_required
@require_GET
def ranking_export_xlsx(request: HttpRequest, run_id: int) -> FileResponse:
    """The run's every entry, with each indicator's points, as an XLSX workbook."""
    _region_user(request)
    return run_workbook_response(_in_scope(run_of, request.user, run_id), user=request.user)


@login_required
@require_GET
def ranking_bulletin(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run as a bulletin (通报) laid out for printing: red and black lists and the regions' ranks."""
    _region_user(request)
    page = _in_scope(run_page, request.user, run_id)
    return render(request, "rankings/ranking_bulletin.html", {"page": page})


class DeductionForm(forms.Form):
    quarter = forms.CharField(
        label=gettext_lazy("Quarter"), max_length=6, help_text=gettext_lazy("e.g. 2026Q3")
    )
    region = forms.CharField(label=gettext_lazy("Region code"), max_length=6)
    accidents = forms.IntegerField(label=gettext_lazy("Accidents"), min_value=0, initial=0)
    deaths = forms.IntegerField(label=gettext_lazy("Deaths"), min_value=0, initial=0)
    veto = forms.BooleanField(
        label=gettext_lazy("Veto: to the black list whatever the score"), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap_style(self)


@login_required
@require_http_methods(["GET", "POST"])
def ranking_deductions(request: HttpRequest) -> HttpResponse:
    """Supervisors enter the accidents and deaths of a quarter (with a veto) for a region of their scope."""
    _region_user(request)
    if request.user.role != Role.SUPERVISOR:
        raise PermissionDenied(_("Only a supervisor enters accidents and deaths."))
    form = DeductionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                ranking_deduction_enter(
                    actor=request.user,
                    quarter=data["quarter"],
                    region_code=data["region"],
                    accidents=data["accidents"],
                    deaths=data["deaths"],
                    veto=data["veto"],
                    reason=data["reason"],
                )
            except Region.DoesNotExist:
                form.add_error("region", _("Unknown region code, or a region outside your scope."))
            except RuleViolation as refused:
                add_domain_error(form, refused)
            else:
                messages.success(
                    request, _("The deduction is recorded; it counts when the ranking is computed.")
                )
                return redirect("ranking_deductions")
    deductions = deductions_of(request.user)[:100]
    return render(
        request, "rankings/ranking_deductions.html", {"form": form, "deductions": deductions}, status=status
    )
