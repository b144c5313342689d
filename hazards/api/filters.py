"""The ledger's filters (hazards.selectors.ledger) as query parameters of the API's hazard list and export."""

from django import forms
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from hazards.models import User
from hazards.models.hazards import HazardQuerySet
from hazards.selectors.hazards import ALL, LIST_FILTERS
from hazards.selectors.ledger import export_filter


class LedgerFilterBackend(DjangoFilterBackend):
    """The FilterSet of the view, given the requesting user (its choices are the user's scope).

    The status defaults to every status: the API lists the whole register unless asked for a tab. A value
    the filters refuse is a 400 naming the parameter, never the unfiltered scope.
    """

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name in ("page", "page_size"):
            data.pop(name, None)
        if not data.get("status"):
            data["status"] = ALL
        kwargs["data"] = data
        kwargs["user"] = request.user
        kwargs.pop("request", None)
        return kwargs


def query_filters(request: Request, serializer_class: type[Serializer]) -> dict:
    """A list's filters read from the query string by a serializer, blanks dropped; a refused value is a 400
    naming it. A plain dict, not the QueryDict: DRF reads a boolean missing from form-like data as false."""
    given = {name: value for name, value in request.query_params.dict().items() if value != ""}
    filters = serializer_class(data=given)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def exported_hazards(user: User, params: QueryDict) -> HazardQuerySet:
    """The hazards the ledger's export gives for these filters (hazards.selectors.ledger.export_filter:
    every status when none is given); a refused value, an unknown status too, is a 400 naming it."""
    status = params.get("status")
    if status and status not in LIST_FILTERS:
        message = forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": status}
        raise ValidationError({"status": [ErrorDetail(str(message), code="invalid_choice")]})
    filterset = export_filter(user, params)
    if not filterset.is_valid():
        errors = filterset.form.errors.get_json_data()
        raise ValidationError(
            {
                name: [ErrorDetail(error["message"], code=error["code"]) for error in messages]
                for name, messages in errors.items()
            }
        )
    return filterset.qs
