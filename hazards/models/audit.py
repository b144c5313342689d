"""The audit log: one row per security-relevant act, written by the portal and never changed or deleted."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    ACCESS_DENIED = "access_denied", _("Access denied")
    STATUS_MOVE = "status_move", _("Status change")
    EVIDENCE_UPLOAD = "evidence_upload", _("Evidence upload")
    EVIDENCE_DOWNLOAD = "evidence_download", _("Evidence download")
    EXPORT = "export", _("Export")
    RANKING_PUBLISH = "ranking_publish", _("Ranking publication")
    ADMIN_CHANGE = "admin_change", _("Administration change")


class AppendOnlyError(Exception):
    """An audit event is written once; the portal never changes or deletes one."""


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditEventQuerySet":
        """Everything for an administrator; a supervisor's region and below; nothing for anyone else."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.sees_everything:
            return self.all()
        from hazards.models.users import Role

        if user.role == Role.SUPERVISOR and user.region_id is not None:
            return self.filter(region_code__startswith=user.region.code_prefix)
        return self.none()

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are never changed.")

    def delete(self):
        raise AppendOnlyError("Audit events are never deleted.")

    delete.queryset_only = True


class AuditEvent(models.Model):
    """Who did what, when (UTC), from which address, on which object; in the region that scopes the row.

    `username` is the name as typed (a failed login has no user): data, never formatted into a log line.
    """

    actor = models.ForeignKey(
        "hazards.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    occurred_at = models.DateTimeField(_("time"), db_default=Now(), editable=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    # The code of the region whose supervisors see the row (the hazard's, the user's...); empty: admins only.
    region_code = models.CharField(_("region code"), max_length=6, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # A supervisor's list: the region's subtree (LIKE 'prefix%'), newest first.
            models.Index(
                fields=["region_code", "occurred_at"],
                name="audit_region_time",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            models.Index(fields=["occurred_at"], name="audit_time"),
            models.Index(fields=["username", "occurred_at"], name="audit_username_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.username!r} ({self.occurred_at})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An audit event is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An audit event is never deleted.")
