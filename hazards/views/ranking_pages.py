"""The rankings (赛马): the runs of the user's scope, a run with its lists and explanations, publishing."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hazards import ledger
from hazards.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import RankingRun, Role
from hazards.selectors.dashboard import can_view_dashboard
from hazards.selectors.rankings import (
    FLAG_LABELS,
    explanation,
    export_headers,
    export_rows,
    run_page,
    visible_runs,
)
from hazards.services.rankings.publication import ranking_publish


def _region_user(request: HttpRequest) -> None:
    if not can_view_dashboard(request.user):
        raise Http404(_("There are no rankings for your role."))


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
    try:
        page = run_page(request.user, run_id, order=request.GET.get("order", "rank"))
    except RankingRun.DoesNotExist:
        raise Http404(_("No such ranking in your scope.")) from None
    rows = [
        (
            entry,
            explanation(entry, page.run),
            [(FLAG_LABELS[name], count) for name, count in entry.flags.items()],
        )
        for entry in page.regions
    ]
    can_publish = request.user.role == Role.SUPERVISOR and not page.run.is_published and bool(rows)
    context = {"page": page, "rows": rows, "can_publish": can_publish}
    return render(request, "rankings/ranking_detail.html", context, status=status)


@login_required
@require_POST
def ranking_publish_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """Publish the draft (a supervisor of its scope); a refused publication changes nothing."""
    _region_user(request)
    try:
        run = ranking_publish(actor=request.user, run_id=run_id)
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
    try:
        run = visible_runs(request.user).get(pk=run_id)
    except RankingRun.DoesNotExist:
        raise Http404(_("No such ranking in your scope.")) from None
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    ledger.write_xlsx(export_headers(), export_rows(run), spool, title=_("Ranking"))
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"ranking-{run.scope.code}-{run.year}Q{run.quarter}.xlsx",
        content_type=ledger.EXPORT_CONTENT_TYPES["xlsx"],
    )


@login_required
@require_GET
def ranking_bulletin(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run as a bulletin (通报) laid out for printing: red and black lists and the regions' ranks."""
    _region_user(request)
    try:
        page = run_page(request.user, run_id)
    except RankingRun.DoesNotExist:
        raise Http404(_("No such ranking in your scope.")) from None
    return render(request, "rankings/ranking_bulletin.html", {"page": page})
