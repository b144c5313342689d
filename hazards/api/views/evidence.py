"""A hazard's evidence: the list, an upload with the pages' checks, and the files through the scope check."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.serializers.hazards import EvidenceSerializer
from hazards.http import evidence_download_response, file_response
from hazards.models import Evidence, EvidenceStage
from hazards.selectors.hazards import visible_hazards
from hazards.services import workflow
from hazards.services.evidence import evidence_add, evidence_downloaded

# What a stored file is served as: photos are re-encoded to JPEG, documents kept as PDF; thumbnails JPEG.
FILE_TYPES = {(200, content_type): OpenApiTypes.BINARY for content_type in ("image/jpeg", "application/pdf")}


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A JPEG, PNG or WebP photo, or a PDF; the type is read from the content."
    )
    stage = serializers.ChoiceField(
        choices=EvidenceStage.choices,
        help_text="An inspector uploads evidence as found; an enterprise, of the rectification "
        "or an assessment.",
    )


@extend_schema_view(
    list=extend_schema(summary="A hazard's evidence"),
    retrieve=extend_schema(summary="One piece of evidence"),
    create=extend_schema(
        summary="Upload evidence to an open hazard",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
    ),
    download=extend_schema(summary="The stored file, as an attachment", responses=FILE_TYPES),
    thumbnail=extend_schema(
        summary="A photo's thumbnail (JPEG)", responses={(200, "image/jpeg"): OpenApiTypes.BINARY}
    ),
)
class HazardEvidenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Photos and documents of a hazard (整改佐证材料), served only to users who may see the hazard."""

    serializer_class = EvidenceSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = []
    parser_classes = [MultiPartParser]
    error_statuses = (409,)

    def get_queryset(self):
        return (
            Evidence.objects.visible_to(self.request.user)
            .filter(hazard_id=int(self.kwargs["hazard_pk"]))
            .select_related("uploaded_by", "hazard__region")
            .order_by("uploaded_at", "id")
        )

    def get_object(self) -> Evidence:
        # Looked up with its hazard, so that only evidence of that hazard outside the user's scope is logged
        # as denied access, not evidence asked for under another hazard.
        evidence = get_object_or_404(
            self.get_queryset(), pk=self.kwargs["pk"], hazard_id=int(self.kwargs["hazard_pk"])
        )
        self.check_object_permissions(self.request, evidence)
        return evidence

    def list(self, request: Request, *args, **kwargs) -> Response:
        # A hazard outside the scope is a 404, not an empty list.
        visible_hazards(request.user).get(pk=int(self.kwargs["hazard_pk"]))
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args, **kwargs) -> Response:
        hazard = visible_hazards(request.user).get(pk=int(self.kwargs["hazard_pk"]))
        workflow.check("add_evidence", hazard, request.user)
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        evidence = evidence_add(
            actor=request.user,
            hazard_id=hazard.pk,
            upload=upload.validated_data["file"],
            stage=upload.validated_data["stage"],
        )
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def download(self, request: Request, *args, **kwargs):
        evidence = self.get_object()
        response = evidence_download_response(evidence)
        evidence_downloaded(actor=request.user, evidence=evidence)
        return response

    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, *args, **kwargs):
        evidence = self.get_object()
        if not evidence.thumbnail:
            raise Evidence.DoesNotExist(_("This evidence has no thumbnail."))
        return file_response(evidence.thumbnail, "image/jpeg")
