"""The notices API: the user's inbox, one notice, marking it read and acknowledging it.

The list is the inbox page's (`delivered_notices`): only the requesting user's notices that were delivered in
the portal. Another user's notice, or one not delivered in the portal, does not exist for this user (404).
Reading and acknowledging call the services the pages call.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.filters import query_filters
from hazards.api.serializers.notices import NoticeFilterSerializer, NoticeSerializer
from hazards.models import Notice
from hazards.models.notices import NoticeQuerySet
from hazards.selectors.notices import delivered_notices
from hazards.services.notices.delivery import notice_acknowledge, notice_mark_read


@extend_schema_view(
    list=extend_schema(
        summary="Your notices delivered in the portal, newest first", parameters=[NoticeFilterSerializer]
    ),
    retrieve=extend_schema(summary="One of your notices"),
    read=extend_schema(
        summary="Mark one of your notices read", request=None, responses={200: NoticeSerializer}
    ),
    acknowledge=extend_schema(
        summary="Acknowledge one of your notices (it goes on its hazard's timeline)",
        request=None,
        responses={200: NoticeSerializer},
    ),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The requesting user's notices (通知): deadlines, escalations and published rankings."""

    serializer_class = NoticeSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = []  # the one filter is read by query_filters, which refuses a bad value

    def get_queryset(self) -> NoticeQuerySet:
        return delivered_notices(self.request.user)

    def filter_queryset(self, queryset: NoticeQuerySet) -> NoticeQuerySet:
        if self.action != "list":
            return queryset
        unread = query_filters(self.request, NoticeFilterSerializer).get("unread")
        if unread is True:
            return queryset.unread()
        if unread is False:
            return queryset.filter(read_at__isnull=False)
        return queryset

    def get_object(self) -> Notice:
        """The notice, if it is the user's and was delivered in the portal (Notice.DoesNotExist: a 404)."""
        return self.get_queryset().get(pk=int(self.kwargs["pk"]))

    def answer(self, notice: Notice) -> Response:
        """The notice as it is now, read again as the list reads it (with its delivery time)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data)

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark it read; a notice already read keeps the time it was first read."""
        return self.answer(notice_mark_read(actor=request.user, notice_id=int(pk)))

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Acknowledge it: read, and (if it asked for it) acknowledged on the hazard's timeline, once."""
        return self.answer(notice_acknowledge(actor=request.user, notice_id=int(pk)))
