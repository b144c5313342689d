"""Reads of the notices: a user's inbox."""

from django.db.models import F

from hazards.models import Notice, User
from hazards.models.notices import NoticeQuerySet


def delivered_notices(user: User) -> NoticeQuerySet:
    """The user's notices delivered in the portal, newest first, with the hazard each row shows.

    A notice has one in-portal delivery (unique per channel), so the join gives one row per notice, and
    `delivered_at` is that delivery's sent_at.
    """
    return (
        Notice.objects.for_recipient(user)
        .in_inbox()
        .annotate(delivered_at=F("deliveries__sent_at"))
        .select_related(
            "hazard__enterprise",
            "ranking_entry__run__scope",
            "ranking_entry__region",
            "ranking_entry__enterprise",
        )
        .order_by("-created_at", "-id")
    )
