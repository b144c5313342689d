"""Pagination of every list: pages of 25 by default, 1 to 100 with ?page_size=; a bad value is a 400."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from hazards.selectors.ledger import KnownCountPaginator


def _positive(request, name: str, maximum: int | None = None) -> int | None:
    """The query parameter as a whole number from 1 (to maximum), None when absent; else a 400 on it."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= (maximum or int(raw)):
        return int(raw)
    if maximum:
        message = _("Give a whole number from 1 to %(maximum)d.") % {"maximum": maximum}
    else:
        message = _("Give a whole number from 1.")
    raise ValidationError({name: [message]})


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    def get_page_size(self, request) -> int:
        return _positive(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        _positive(request, self.page_query_param)  # a page past the last is then a 404
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class KnownCountPagination(PortalPagination):
    """Pages whose total is given when it is known already (the ledger's kept counts), else counted."""

    known_count: int | None = None

    def django_paginator_class(self, object_list, per_page) -> KnownCountPaginator:
        return KnownCountPaginator(object_list, per_page, count=self.known_count)
