"""Checklist templates (检查表) through the API: reference data every signed-in user reads."""

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.serializers import checklists as api
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
from inspections.selectors import inspections as selectors


@extend_schema_view(
    list=extend_schema(summary="The checklists an inspection can run, with their current version"),
    retrieve=extend_schema(
        summary="A checklist with the items of its current version",
        responses={200: api.ChecklistDetailSerializer},
    ),
)
class ChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Checklist templates (检查表): reference data every signed-in user reads, to run an inspection."""

    lookup_value_regex = "[0-9]+"
    filter_backends = []

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        """The checklists offered, each with its current version's number in the same query."""
        current = ChecklistVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
        return selectors.checklists_offered().annotate(
            current_version_number=Subquery(current.values("number")[:1])
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return api.ChecklistDetailSerializer if self.action == "retrieve" else api.ChecklistSerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """The items a new inspection with this checklist runs: those of its current version."""
        template: ChecklistTemplate = self.get_queryset().get(pk=int(self.kwargs["pk"]))
        template.current_items = list(
            ChecklistItem.objects.filter(
                version__template=template, version__number=template.current_version_number
            )
        )
        return Response(api.ChecklistDetailSerializer(template, context=self.get_serializer_context()).data)
