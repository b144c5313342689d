"""The hazard ledger (隐患台账): the list's filters, and the rows of its CSV and XLSX exports.

Every read starts from visible_to(user); a filter only narrows that scope, and a filter the form refuses
gives no rows at all rather than the unfiltered scope.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, ExpressionWrapper
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_midnight, local_today
from hazards.models import (
    Enterprise,
    HazardLevel,
    HazardSource,
    HazardState,
    Region,
    Sector,
    User,
)
from hazards.models.hazards import HazardQuerySet, listed_q, overdue_q, state_expression
from hazards.selectors.dashboard import review_late_condition
from hazards.selectors.hazards import (
    ALL,
    LIST_FILTERS,
    PAGE_SIZE,
    default_filter,
    hazard_counts,
    hazards_by_status,
    visible_hazards,
)
from hazards.selectors.search import SEARCH_MAX_LENGTH, counts_of, search_hazards

# Above this many rows an export runs in the background (a Celery task) rather than in the request.
EXPORT_ROW_LIMIT = 10_000
EXPORT_CHUNK_SIZE = 2000
EXPORT_PROGRESS_EVERY = 2000  # a background export reports its progress after this many rows

YES_NO_ANY = [("", gettext_lazy("Any")), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LocalDayFilter(django_filters.DateFilter):
    """A day bound on a moment (found, closed), as a range from local midnight, so an index serves it."""

    # Days so far out that their local midnight cannot be written in UTC: any moment at all is within them.
    FIRST_DAY, LAST_DAY = datetime.date(1, 1, 3), datetime.date(9999, 12, 29)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        if value < self.FIRST_DAY if self.lookup_expr == "gte" else value > self.LAST_DAY:
            return qs.filter(**{f"{self.field_name}__isnull": False})
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": local_midnight(value)})
        return qs.filter(**{f"{self.field_name}__lt": local_midnight(value + datetime.timedelta(days=1))})


def _day(label, field_name: str, lookup: str) -> LocalDayFilter:
    return LocalDayFilter(label=label, field_name=field_name, lookup_expr=lookup, widget=_date_input())


class LedgerOrderingFilter(django_filters.OrderingFilter):
    """The chosen order, then the id, so that pages never share or skip a row."""

    def filter(self, qs, value):
        if not value:
            return qs
        qs = super().filter(qs, value)
        last = qs.query.order_by[-1] if qs.query.order_by else ""
        return qs.order_by(*qs.query.order_by, "-id" if last.startswith("-") else "id")


class HazardLedgerFilter(django_filters.FilterSet):
    """The ledger's filters over a queryset already scoped by visible_to(user); pass that user."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=gettext_lazy("Hazard number, description, enterprise name or credit code."),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Number, description, enterprise")}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=list(LIST_FILTERS.items()),
        empty_label=None,
        method="filter_status",
    )
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        method="filter_region",
        empty_label=gettext_lazy("Any"),
        error_messages={
            "invalid_choice": gettext_lazy("Unknown region code, or a region outside your scope.")
        },
    )
    sector = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="code",
        empty_label=gettext_lazy("Any"),
        error_messages={"invalid_choice": gettext_lazy("Unknown sector.")},
    )
    # By its unified social credit code, typed: a province has too many enterprises for a list to choose from.
    enterprise = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enterprise (credit code)"),
        queryset=Enterprise.objects.none(),
        to_field_name="credit_code",
        widget=forms.TextInput(attrs={"maxlength": 18, "autocapitalize": "characters"}),
        error_messages={"invalid_choice": gettext_lazy("Unknown enterprise, or one outside your scope.")},
    )
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Level"), choices=HazardLevel.choices, empty_label=gettext_lazy("Any")
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source"), choices=HazardSource.choices, empty_label=gettext_lazy("Any")
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue"), widget=forms.Select(choices=YES_NO_ANY), method="filter_overdue"
    )
    repeat = django_filters.BooleanFilter(
        label=gettext_lazy("Repeat"), widget=forms.Select(choices=YES_NO_ANY), method="filter_repeat"
    )
    listed = django_filters.BooleanFilter(
        label=gettext_lazy("Listed for supervision"),
        widget=forms.Select(choices=YES_NO_ANY),
        method="filter_listed",
    )
    found_from = _day(gettext_lazy("Found from"), "found_at", "gte")
    found_to = _day(gettext_lazy("Found until"), "found_at", "lte")
    closed_from = _day(gettext_lazy("Closed from"), "closed_at", "gte")
    closed_to = _day(gettext_lazy("Closed until"), "closed_at", "lte")
    deadline_from = django_filters.DateFilter(
        label=gettext_lazy("Deadline from"), field_name="deadline", lookup_expr="gte", widget=_date_input()
    )
    deadline_to = django_filters.DateFilter(
        label=gettext_lazy("Deadline until"), field_name="deadline", lookup_expr="lte", widget=_date_input()
    )
    review_late = django_filters.BooleanFilter(
        label=gettext_lazy("Awaiting review too long"),
        widget=forms.Select(choices=YES_NO_ANY),
        method="filter_review_late",
    )
    ordering = LedgerOrderingFilter(
        label=gettext_lazy("Order by"),
        fields={
            "number": "number",
            "deadline": "deadline",
            "found_at": "found_at",
            "enterprise__name": "enterprise",
        },
        # Each descending label is named: django-filter's own ("%s (descending)") is fixed when the class is
        # defined, in the default language, and has no Chinese.
        field_labels={
            "number": gettext_lazy("Number"),
            "-number": gettext_lazy("Number (descending)"),
            "deadline": gettext_lazy("Deadline"),
            "-deadline": gettext_lazy("Deadline (descending)"),
            "found_at": gettext_lazy("Found at"),
            "-found_at": gettext_lazy("Found at (descending)"),
            "enterprise__name": gettext_lazy("Enterprise"),
            "-enterprise": gettext_lazy("Enterprise (descending)"),
        },
        empty_label=gettext_lazy("Default"),
    )

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs):
        self.user = user
        super().__init__(data, queryset=queryset, **kwargs)
        # Choices, and so the values accepted, are limited to the user's scope.
        self.filters["region"].queryset = Region.objects.visible_to(user)
        self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    @property
    def qs(self) -> HazardQuerySet:
        """The filtered hazards; none when a value was refused, never the unfiltered scope."""
        if not hasattr(self, "_qs"):
            self._qs = super().qs if self.is_valid() else self.queryset.none()
        return self._qs

    def filter_search(self, queryset, name, value: str):
        return search_hazards(queryset, value)

    def filter_status(self, queryset, name, value):
        return hazards_by_status(queryset, self.user, value)

    def filter_region(self, queryset, name, value: Region):
        return queryset.filter(region__code__startswith=value.code_prefix)

    def filter_overdue(self, queryset, name, value: bool):
        overdue = overdue_q(local_today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_review_late(self, queryset, name, value: bool):
        late = review_late_condition()
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_repeat(self, queryset, name, value: bool):
        return queryset.filter(repeat_of__isnull=not value)

    def filter_listed(self, queryset, name, value: bool):
        listed = listed_q()
        return queryset.filter(listed) if value else queryset.exclude(listed)

    def error_list(self) -> list[str]:
        """Each refused value as one line: the field's label and why."""
        return [
            f"{self.form.fields[name].label}: {message}" if name in self.form.fields else str(message)
            for name, messages in self.form.errors.items()
            for message in messages
        ]


def ledger_filter(
    user: User, params: QueryDict, *, default_status: str | None = None, status: str | None = None
) -> HazardLedgerFilter:
    """The ledger's filters over the user's hazards; an absent or unknown status is the default one, and a
    given `status` overrides the parameter's."""
    data = params.copy()
    data.pop("page", None)
    if status is not None:
        data["status"] = status
    elif data.get("status") not in LIST_FILTERS:
        data["status"] = default_status or default_filter(user)
    return HazardLedgerFilter(data, queryset=visible_hazards(user).select_related("enterprise"), user=user)


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows when it is known already (None: it counts them)."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # fills the cached property


@dataclass(frozen=True)
class LedgerPage:
    filterset: HazardLedgerFilter
    status: str
    page: Page
    counts: dict[str, int]
    filters: list[tuple[str, str, int]]
    query: str  # the filters as a query string (without the page), for the export links and the pages

    @property
    def errors(self) -> list[str]:
        return self.filterset.error_list()

    @property
    def filtering(self) -> bool:
        """Whether a filter beyond the status tab is set, to open the filter form."""
        return any(value for key, value in self.filterset.data.items() if key != "status")


def ledger_page(user: User, params: QueryDict) -> LedgerPage:
    """One page (PAGE_SIZE hazards) of the filtered ledger, with the status tabs and their counts."""
    filterset = ledger_filter(user, params)
    status = filterset.data["status"]
    # A status tab alone holds as many hazards as its tab says: no second count over the hazard table.
    filtered = not filterset.is_valid() or any(
        value for key, value in filterset.data.items() if key not in ("status", "ordering")
    )
    if not filtered:
        counts = hazard_counts(user)
    elif filterset.is_valid():
        # The tabs count what the other filters leave, so each tab's number is what clicking it shows.
        counts = counts_of(ledger_filter(user, params, status=ALL).qs, user)
    else:
        counts = dict.fromkeys(LIST_FILTERS, 0)
    paginator = KnownCountPaginator(filterset.qs, PAGE_SIZE, count=None if filtered else counts[status])
    return LedgerPage(
        filterset=filterset,
        status=status,
        page=paginator.get_page(params.get("page")),
        counts=counts,
        filters=[(key, label, counts[key]) for key, label in LIST_FILTERS.items()],
        query=filterset.data.urlencode(),
    )


def export_filter(user: User, params: QueryDict) -> HazardLedgerFilter:
    """The export's filters: the list's, over every status when none is given."""
    return ledger_filter(user, params, default_status=ALL)


# --- The export's rows ----------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "number",
    "enterprise__name",
    "enterprise__credit_code",
    "region__name",
    "sector__name_zh",
    "sector__name_en",
    "level",
    "state",
    "source",
    "description",
    "location",
    "measures",
    "deadline",
    "original_deadline",
    "found_at",
    "closed_at",
    "repeat_of_id",
    "overdue",
    "listed",
)


def export_headers() -> list[str]:
    """The column names in the active language."""
    return [
        _("Number"),
        _("Enterprise"),
        _("Credit code"),
        _("Region"),
        _("Sector"),
        _("Level"),
        _("Status"),
        _("Source"),
        _("Description"),
        _("Location"),
        _("Measures"),
        _("Deadline"),
        _("Original deadline"),
        _("Found at"),
        _("Closed at"),
        _("Overdue"),
        _("Repeat"),
        _("Listed"),
    ]


@dataclass(frozen=True)
class RowWriter:
    """Turns the export's value rows into cells, with the labels fixed in the language of the request."""

    labels: dict[str, str]
    yes: str
    no: str
    chinese: bool
    today: datetime.date

    @classmethod
    def for_active_language(cls) -> "RowWriter":
        labels = {
            value: str(label)
            for choices in (HazardLevel.choices, HazardState.choices, HazardSource.choices)
            for value, label in choices
        }
        chinese = (get_language() or "zh").startswith("zh")
        return cls(labels, _("Yes"), _("No"), chinese, local_today())

    def cells(self, row: tuple) -> list:
        (number, enterprise, credit_code, region, sector_zh, sector_en, level, state, source, description,
         location, measures, deadline, original_deadline, found_at, closed_at, repeat_of_id, overdue,
         listed) = row  # fmt: skip
        return [
            number,
            enterprise,
            credit_code,
            region,
            sector_zh if self.chinese else sector_en,
            self.labels.get(level, level),
            self.labels.get(state, state),
            self.labels.get(source, source),
            description,
            location,
            measures,
            deadline,
            original_deadline,
            _local(found_at),
            _local(closed_at),
            self.yes if overdue else self.no,
            self.yes if repeat_of_id is not None else self.no,
            self.yes if listed else self.no,
        ]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Local wall time without the zone: spreadsheets take no time zones."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def export_rows(hazards: HazardQuerySet, writer: RowWriter) -> Iterator[list]:
    """The cells of every hazard, read in chunks so memory stays constant; its state (sent back or its
    status), overdue (on the writer's day) and listed are the database's answers to the glossary's rules."""
    hazards = hazards.annotate(
        state=state_expression(),
        overdue=ExpressionWrapper(overdue_q(writer.today), output_field=BooleanField()),
        listed=ExpressionWrapper(listed_q(), output_field=BooleanField()),
    )
    for row in hazards.values_list(*EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield writer.cells(row)


def export_filename(extension: str) -> str:
    return f"hazards-{local_today():%Y-%m-%d}.{extension}"
