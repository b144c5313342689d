"""Plain helpers of the hazard pages' tests: request headers, form data, and reading the pages."""

import datetime

from django.urls import reverse
from django.utils import timezone

from hazards.models import Evidence, Hazard, HazardEvent, User
from hazards.services.evidence import evidence_store
from tests.factories import photo_upload

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)

# The POST actions of a hazard: URL name -> data that the service would accept.
ACTION_URLS = [
    "hazard_submit",
    "hazard_send_back",
    "hazard_verify",
    "hazard_void",
    "hazard_plan",
    "hazard_extension_request",
    "hazard_extension_decide",
    "hazard_suspension",
    "hazard_listing",
]


def valid_data(url_name: str) -> dict:
    today = TODAY()
    return {
        "hazard_submit": {"comment": "done"},
        "hazard_send_back": {"reasons": "not fixed"},
        "hazard_verify": {"comment": "ok", "reviewed_on_site_on": today.isoformat()},
        "hazard_void": {"reason": "logged twice"},
        "hazard_plan": {
            "responsible_person": "王五",
            "measures": "Replace the line",
            "funds_amount": "12000.50",
            "deadline": (today + 20 * DAY).isoformat(),
            "emergency_plan": "Evacuate",
        },
        "hazard_extension_request": {
            "requested_deadline": (today + 90 * DAY).isoformat(),
            "reasons": "Parts on order",
        },
        "hazard_extension_decide": {"decision": "approve", "comment": ""},
        "hazard_suspension": {"scope": "Boiler room", "starts_on": today.isoformat()},
        "hazard_listing": {"authority": "沈阳市应急管理局"},
    }[url_name]


def store(hazard: Hazard, user: User, stage: str, upload=None) -> Evidence:
    return evidence_store(
        hazard=hazard, actor=user, upload=upload or photo_upload(seed=hazard.pk), stage=stage
    )


def snapshot(hazard: Hazard) -> tuple:
    hazard.refresh_from_db()
    return (hazard.status, hazard.deadline, HazardEvent.objects.filter(hazard=hazard).count())


def form_html(text: str, url: str) -> str:
    """The HTML of the form posting to url, to check that an error is shown inside it."""
    start = text.index(f'action="{url}"')
    return text[start : text.index("</form>", start)]


def offered(text: str, hazard: Hazard) -> set[str]:
    """The action forms a hazard's page offers, by the URL names they post to."""
    names = [*ACTION_URLS, "evidence_upload"]
    return {name for name in names if f'action="{reverse(name, args=[hazard.pk])}"' in text}


def new_hazard_data(enterprise, **overrides) -> dict:
    data = {
        "enterprise": enterprise.pk,
        "source": "government_inspection",
        "level": "general",
        "description": "Gas alarm out of order",
        "location": "Boiler room",
        "measures": "Replace the alarm",
        "responsible_person": "赵六",
        "deadline": "",
    }
    data.update(overrides)
    return data
