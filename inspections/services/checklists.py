"""Checklist versions: a checklist in use is edited in a new version, so finished work never changes."""

from django.db import transaction
from django.db.models import Max

from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion


@transaction.atomic
def checklist_new_version(*, version: ChecklistVersion) -> ChecklistVersion:
    """A new, editable version of the checklist with the items of `version`, each keeping its key."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=version.template_id)
    last = template.versions.aggregate(last=Max("number"))["last"]
    copy = ChecklistVersion.objects.create(template=template, number=last + 1)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=copy,
            number=item.number,
            key=item.key,
            text=item.text,
            clause=item.clause,
            position=item.position,
        )
        for item in version.items.all()
    )
    return copy
