"""The audit log page: supervisors see their jurisdiction's rows, administrators all; others are refused."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hazards.models import AuditAction
from hazards.pages.forms.hazards import bootstrap_style
from hazards.selectors.audit import audit_events, can_view_audit_log

PAGE_SIZE = 50
# The earliest and latest day a filter may name: outside them a date is a typo, not a question.
FIRST_DAY, LAST_DAY = "2000-01-01", "2100-12-31"


class AuditFilterForm(forms.Form):
    """The list's filters, from the query string; every field optional."""

    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
    )
    user = forms.CharField(
        label=gettext_lazy("Username"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("The exact username, as typed at login."),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": FIRST_DAY, "max": LAST_DAY}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": FIRST_DAY, "max": LAST_DAY}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap_style(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day is not None and not (FIRST_DAY <= day.isoformat() <= LAST_DAY):
                self.add_error(
                    name,
                    _("Choose a day between %(first)s and %(last)s.")
                    % {"first": FIRST_DAY, "last": LAST_DAY},
                )
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log of the user's scope, newest first, 50 a page, filtered by action, user and days."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied(_("Only supervisors and administrators see the audit log."))
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/audit_list.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    events = audit_events(
        request.user,
        action=data["action"],
        username=data["user"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
