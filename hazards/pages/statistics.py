"""Quarterly statistics pages: an enterprise's report and its confirmation, a region's roll-up, the CSV."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hazards.http import statistics_columns, statistics_csv_response
from hazards.lib.calendar import local_today, previous_quarter
from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import QuarterlyStatistics, User
from hazards.models.statistics import COUNT_FIELDS, QUARTERS
from hazards.pages.forms.hazards import add_domain_error, bootstrap_style
from hazards.services.statistics import (
    FIRST_YEAR,
    quarterly_statistics_confirm,
    rollup_region,
    statistics_of_quarter,
    statistics_rollup,
)

PAGE_SIZE = 25


class PeriodForm(forms.Form):
    """The quarter to show: a year and a quarter that has ended."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), choices=QUARTERS, coerce=int)

    def __init__(self, *args, last: tuple[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.last = last
        self.fields["year"].validators.append(MaxValueValidator(last[0]))
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=last[0])
        bootstrap_style(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        year, quarter = cleaned.get("year"), cleaned.get("quarter")
        if year is not None and quarter is not None and (year, quarter) > self.last:
            raise forms.ValidationError(_("That quarter has not ended yet."))
        return cleaned


class ConfirmForm(forms.Form):
    # Not required here: the service says what an acceptable name is, and the view puts its error here.
    principal_name = forms.CharField(label=gettext_lazy("Principal person"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principal_name"].html_required = True
        bootstrap_style(self)


def _period(request: HttpRequest) -> tuple[int, int, PeriodForm] | None:
    """The chosen quarter (default: the last that ended) and its form; None if the choice is malformed."""
    last = previous_quarter(local_today())
    if "year" not in request.GET and "quarter" not in request.GET:
        form = PeriodForm(initial={"year": last[0], "quarter": last[1]}, last=last)
        return last[0], last[1], form
    form = PeriodForm(
        {"year": request.GET.get("year", last[0]), "quarter": request.GET.get("quarter", last[1])}, last=last
    )
    if not form.is_valid():
        return None
    return form.cleaned_data["year"], form.cleaned_data["quarter"], form


def _period_refused(request: HttpRequest) -> None:
    messages.warning(
        request, _("The year or quarter chosen is not valid; showing the last quarter that ended.")
    )


def _period_query(year: int, quarter: int) -> str:
    return urlencode({"year": year, "quarter": quarter})


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """The quarter's statistics in the user's scope: an enterprise's own report, or a region's roll-up."""
    period = _period(request)
    if period is None:
        _period_refused(request)
        last = previous_quarter(local_today())
        period = (*last, PeriodForm(initial={"year": last[0], "quarter": last[1]}, last=last))
    year, quarter, form = period
    user: User = request.user
    if user.is_enterprise_user:
        report = statistics_of_quarter(user, year, quarter).first()
        return _enterprise_page(request, year, quarter, form, report, ConfirmForm(initial=_name(user)))
    statistics = statistics_of_quarter(user, year, quarter)
    rollup, total = statistics_rollup(statistics, rollup_region(user))
    page = Paginator(statistics, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "statistics/statistics_page.html",
        {
            "year": year,
            "quarter": quarter,
            "period_form": form,
            "period_query": _period_query(year, quarter),
            "columns": statistics_columns(),
            "region": rollup_region(user),
            "rollup": [(row, [row.sums[name] for name in COUNT_FIELDS]) for row in rollup],
            "total": (total, [total.sums[name] for name in COUNT_FIELDS]),
            "page": page,
            "rows": [(row, [getattr(row, name) for name in COUNT_FIELDS]) for row in page.object_list],
        },
    )


def _name(user: User) -> dict:
    return {"principal_name": user.enterprise.principal_name}


def _enterprise_page(
    request: HttpRequest,
    year: int,
    quarter: int,
    form: PeriodForm,
    report: QuarterlyStatistics | None,
    confirm_form: ConfirmForm,
    status: int = 200,
) -> HttpResponse:
    figures = []
    if report is not None:
        figures = list(
            zip(statistics_columns(), [getattr(report, name) for name in COUNT_FIELDS], strict=True)
        )
    return render(
        request,
        "statistics/enterprise_report.html",
        {
            "year": year,
            "quarter": quarter,
            "period_form": form,
            "period_query": _period_query(year, quarter),
            "report": report,
            "figures": figures,
            "confirm_form": confirm_form,
        },
        status=status,
    )


@login_required
@require_POST
def statistics_confirm(request: HttpRequest, statistics_id: int) -> HttpResponse:
    """The enterprise confirms its report with the principal's name."""
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        report = quarterly_statistics_confirm(
            actor=request.user,
            statistics_id=statistics_id,
            principal_name=request.POST.get("principal_name", ""),
        )
    except QuarterlyStatistics.DoesNotExist as error:
        raise Http404 from error
    except ActionNotPermitted as error:
        raise PermissionDenied(error.message) from error
    except RuleViolation as error:
        report = QuarterlyStatistics.objects.visible_to(request.user).get(pk=statistics_id)
        if error.field is None:
            messages.error(request, error.message)
            return redirect(f"{reverse('statistics')}?{_period_query(report.year, report.quarter)}")
        add_domain_error(form, error)
        last = previous_quarter(local_today())
        period_form = PeriodForm(initial={"year": report.year, "quarter": report.quarter}, last=last)
        return _enterprise_page(request, report.year, report.quarter, period_form, report, form, status=400)
    messages.success(
        request,
        _("The statistics of %(year)s Q%(quarter)s are confirmed.")
        % {"year": report.year, "quarter": report.quarter},
    )
    return redirect(f"{reverse('statistics')}?{_period_query(report.year, report.quarter)}")


@login_required
@require_GET
def statistics_export_csv(request: HttpRequest) -> HttpResponse:
    """The quarter's reports in the user's scope as CSV (UTF-8 with a byte-order mark for spreadsheets)."""
    period = _period(request)
    if period is None:
        _period_refused(request)
        return redirect("statistics")
    year, quarter, _form = period
    return statistics_csv_response(request.user, year, quarter)
