"""Publishing a ranking run: a supervisor of its scope reviews the draft and publishes it, once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import AuditAction, RankingRun, Role, User
from hazards.services.audit import audit_record


@transaction.atomic
def ranking_publish(*, actor: User | None, run_id: int) -> RankingRun:
    """Publish the draft run; RankingRun.DoesNotExist outside the actor's scope.

    Only a supervisor whose region is the run's scope (or above it) publishes; None is the portal itself
    (`compute_ranking --publish`). A published run is refused (409), and so is a run with no entry. The
    notices telling the ranked their place are left due (notices_created_at is null): the outbox's drain
    creates them, not the request that publishes.
    """
    runs = RankingRun.objects.all() if actor is None else RankingRun.objects.visible_to(actor)
    run = runs.select_for_update(of=("self",)).get(pk=run_id)
    if actor is not None and actor.role != Role.SUPERVISOR:
        raise ActionNotPermitted(_("Only a supervisor publishes a ranking."))
    if run.is_published:
        raise InvalidTransition(
            _("This ranking was published on %(date)s.")
            % {"date": timezone.localtime(run.published_at).strftime("%Y-%m-%d %H:%M")}
        )
    if not run.entries.exists():
        raise RuleViolation(_("This ranking has no entry to publish."))
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    audit_record(
        action=AuditAction.RANKING_PUBLISH,
        actor=actor,
        obj=run,
        detail={"year": run.year, "quarter": run.quarter, "by": "user" if actor is not None else "portal"},
    )
    return run
