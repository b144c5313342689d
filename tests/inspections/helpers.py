"""Plain helpers of the inspection pages' tests: request headers, form data, and reading the pages."""

import uuid

from django.urls import reverse

from hazards.models import Hazard
from inspections.models import Inspection, ItemResult

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "en"}


def finding_data(**overrides) -> dict:
    """What an inspector types for a general finding, with a fresh idempotency key."""
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "description": "Gas alarm out of order",
        "level": "general",
        "criterion": "",
        "location": "Boiler room",
        "measures": "Replace the alarm",
        "deadline": "",
        "responsible_person": "赵六",
    }
    data.update(overrides)
    return data


def finding_url(inspection: Inspection, item=None) -> str:
    url = reverse("finding_new", args=[inspection.pk])
    return f"{url}?item={item.pk}" if item is not None else url


def answer_url(inspection: Inspection, item) -> str:
    return reverse("inspection_item_answer", args=[inspection.pk, item.pk])


def snapshot(inspection: Inspection) -> tuple:
    """What a refused request must leave as it was: status, answers and hazards of the inspection."""
    inspection.refresh_from_db()
    answers = sorted(ItemResult.objects.filter(inspection=inspection).values_list("item_id", "answer"))
    return inspection.status, answers, Hazard.objects.filter(finding__inspection=inspection).count()
