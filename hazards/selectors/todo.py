"""Reads of what waits for a user: the to-do lists of the home page, each a list of hazards in scope."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hazards.models import (
    ExtensionRequest,
    ExtensionStatus,
    Hazard,
    HazardLevel,
    HazardStatus,
    RectificationPlan,
    Role,
    User,
)
from hazards.models.hazards import HazardQuerySet, listed_q

TO_DO_LIST_SIZE = 10


@dataclass(frozen=True)
class ToDoList:
    """One kind of work waiting for the user: its first hazards, how many there are, where to see them all."""

    key: str
    title: Promise
    empty_text: Promise
    hazards: list[Hazard]
    total: int
    url: str = ""


def _pending_extension() -> Exists:
    return Exists(ExtensionRequest.objects.filter(hazard=OuterRef("pk"), status=ExtensionStatus.PENDING))


def _plan_filed() -> Exists:
    return Exists(RectificationPlan.objects.filter(hazard=OuterRef("pk")))


def _lists_for(
    user: User, hazards: HazardQuerySet
) -> list[tuple[str, Promise, Promise, HazardQuerySet, str]]:
    hazard_list = reverse("hazard_list")
    active = hazards.filter(status__in=[HazardStatus.OPEN, HazardStatus.SUBMITTED])
    major_open = hazards.filter(status=HazardStatus.OPEN, level=HazardLevel.MAJOR)
    if user.role == Role.ENTERPRISE:
        return [
            (
                "rectify",
                _("Hazards to rectify"),
                _("Nothing to rectify."),
                hazards.to_do(),
                f"{hazard_list}?status=open",
            ),
            (
                "plans-to-file",
                _("Major hazards waiting for their rectification plan"),
                _("No plan to file."),
                major_open.exclude(_plan_filed()).order_by("deadline", "id"),
                "",
            ),
        ]
    if user.role == Role.INSPECTOR:
        return [
            (
                "verify",
                _("Hazards to verify"),
                _("Nothing awaits review."),
                hazards.awaiting_review(),
                f"{hazard_list}?status=submitted",
            ),
            (
                "extensions",
                _("Extension requests waiting for your decision"),
                _("No extension request waits."),
                active.filter(_pending_extension()).order_by("deadline", "id"),
                "",
            ),
            (
                "plans-to-review",
                _("Rectification plans to review"),
                _("No plan to review."),
                major_open.filter(_plan_filed()).order_by("-plan__updated_at", "id"),
                "",
            ),
        ]
    if user.role == Role.SUPERVISOR:
        return [
            (
                "extensions",
                _("Extension requests of listed hazards waiting for a decision"),
                _("No extension request waits."),
                active.filter(listed_q()).filter(_pending_extension()).order_by("deadline", "id"),
                "",
            ),
            (
                "to-list",
                _("Major hazards not listed for supervision"),
                _("Every major hazard is listed."),
                active.filter(level=HazardLevel.MAJOR).exclude(listed_q()).order_by("deadline", "id"),
                "",
            ),
        ]
    return []


def to_do_lists(user: User) -> list[ToDoList]:
    """What waits for the user by role, from the hazards the user may see: an enterprise's hazards to rectify
    and plans to file, an inspector's hazards to verify, extension requests and plans to review, a
    supervisor's undecided extensions of listed hazards and major hazards to list."""
    hazards = Hazard.objects.visible_to(user).select_related("enterprise")
    return [
        ToDoList(key, title, empty, list(queryset[:TO_DO_LIST_SIZE]), queryset.count(), url)
        for key, title, empty, queryset, url in _lists_for(user, hazards)
    ]
