"""The major-hazard criteria (重大事故隐患判定标准 clauses) through the API: by sector, in force or not."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.serializers import criteria as api
from hazards.models import Clause, Standard
from hazards.models.criteria import ClauseQuerySet

CRITERION_PARAMETERS = [
    OpenApiParameter("sector", str, description="Only the criteria of the sector with this code."),
    OpenApiParameter(
        "in_force", bool, description="true (by default): the clauses in force today; false: the others."
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Major-hazard criteria: the clauses of the determination standards",
        parameters=CRITERION_PARAMETERS,
    ),
    retrieve=extend_schema(summary="A major-hazard criterion"),
)
class CriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Major-hazard criteria (重大事故隐患判定标准 clauses): reference data every signed-in user reads."""

    serializer_class = api.CriterionSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = []

    def get_queryset(self) -> ClauseQuerySet:
        return Clause.objects.select_related("standard").order_by("standard__number", "id")

    def filter_queryset(self, queryset: ClauseQuerySet) -> ClauseQuerySet:
        """?sector= (a code; unknown: 400) and ?in_force= (true by default: a finding cites only those)."""
        if self.action != "list":
            return queryset
        query = api.CriterionQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        sector = query.validated_data.get("sector")
        if sector is not None:
            queryset = queryset.of_sector(sector)
        if query.validated_data["in_force"]:
            return queryset.in_force()
        return queryset.exclude(standard__in=Standard.objects.in_force())

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        clause = self.get_queryset().get(pk=int(self.kwargs["pk"]))
        return Response(self.get_serializer(clause).data)
