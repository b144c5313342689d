"""The ledger's filters (hazards/ledger.py) as query parameters of the API's hazard list."""

from django_filters.rest_framework import DjangoFilterBackend

from hazards.selectors.hazards import ALL


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
