"""Receivers that write the audit log for what Django itself does: logins, logouts, admin changes."""

import json

from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from hazards.models import AuditAction
from hazards.services.audit import audit_record, region_code_of_user

ADMIN_FLAGS = {ADDITION: "addition", CHANGE: "change", DELETION: "deletion"}


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """The name as typed, whatever it holds; an existing account's region, so its supervisors see it."""
    User = get_user_model()
    username = credentials.get(User.USERNAME_FIELD, credentials.get("username", ""))
    username = username if isinstance(username, str) else repr(username)
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=username,
        region_code=region_code_of_user(account),
        request=request,
    )


def _change_message(message: str):
    """The admin's change message as data: its untranslated JSON (fields changed...), else the text."""
    try:
        return json.loads(message) if message else []
    except ValueError:
        return message


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    """Each change through the admin leaves a LogEntry; each LogEntry leaves an audit row."""
    if not created:
        return
    content_type = instance.content_type
    audit_record(
        action=AuditAction.ADMIN_CHANGE,
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        label=instance.object_repr,
        detail={
            "change": ADMIN_FLAGS.get(instance.action_flag, str(instance.action_flag)),
            "message": _change_message(instance.change_message),
        },
    )


def audited_delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, with an audit row for each object it deleted.

    Django writes the LogEntry of a single deletion with save() (the receiver above records it) but those of
    several in one bulk_create, which sends no signal: those are recorded here, once the deletion is done.
    """
    confirmed = request.method == "POST" and request.POST.get("post")
    before = {obj.pk: str(obj) for obj in queryset} if confirmed else {}
    response = delete_selected(modeladmin, request, queryset)
    if len(before) > 1:
        model = queryset.model
        remaining = set(model._default_manager.filter(pk__in=before).values_list("pk", flat=True))
        for pk, label in before.items():
            if pk not in remaining:
                audit_record(
                    action=AuditAction.ADMIN_CHANGE,
                    actor=request.user,
                    object_type=model._meta.label_lower,
                    object_id=pk,
                    label=label,
                    detail={"change": "deletion", "message": []},
                )
    return response


audited_delete_selected.short_description = delete_selected.short_description
audited_delete_selected.allowed_permissions = delete_selected.allowed_permissions
