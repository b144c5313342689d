"""The pages' part of each action of the workflow's table (hazards.services.workflow.ACTIONS), by its key.

An action at its own route has its form on the hazard's page, with its words; the others are taken on a form
of another page. The action view and the hazard's page read these; the page routes are generated from the
workflow's table (hazards.urls).
"""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hazards.evidence_forms import EvidenceUploadForm
from hazards.hazard_forms import (
    ActionForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    HazardLogForm,
    ListingForm,
    PlanForm,
    ReclassifyForm,
    SendBackForm,
    SubmitForm,
    SuspensionForm,
    VerifyForm,
    VoidForm,
)


def url_name(action: str) -> str:
    """The name of an action's page route."""
    return f"hazard_{action}"


@dataclass(frozen=True)
class PageAction:
    """An action's form on the hazard's page and its words there."""

    form_class: type[ActionForm]
    title: Promise
    button: Promise
    success: Promise
    style: str = "primary"
    # Shown unfolded on the page (the moves an actor comes to make); the others fold until opened.
    unfolded: bool = False


# In the order of the hazard's page.
PAGE_ACTIONS: dict[str, PageAction] = {
    "submit": PageAction(
        form_class=SubmitForm,
        title=_("Submit for verification"),
        button=_("Submit"),
        success=_("Submitted for verification."),
        unfolded=True,
    ),
    "verify": PageAction(
        form_class=VerifyForm,
        title=_("Verify and close"),
        button=_("Verify"),
        success=_("Verified: the hazard is closed."),
        style="success",
        unfolded=True,
    ),
    "send_back": PageAction(
        form_class=SendBackForm,
        title=_("Send back"),
        button=_("Send back"),
        success=_("Sent back to the enterprise."),
        style="warning",
        unfolded=True,
    ),
    "plan": PageAction(
        form_class=PlanForm,
        title=_("Rectification plan"),
        button=_("Save the plan"),
        success=_("The rectification plan is saved."),
    ),
    "extension_request": PageAction(
        form_class=ExtensionRequestForm,
        title=_("Ask for an extension"),
        button=_("Ask for the extension"),
        success=_("The extension request is sent."),
        style="secondary",
    ),
    "extension_decide": PageAction(
        form_class=ExtensionDecideForm,
        title=_("Decide the extension"),
        button=_("Save the decision"),
        success=_("The extension is decided."),
        unfolded=True,
    ),
    "suspension": PageAction(
        form_class=SuspensionForm,
        title=_("Record a production suspension"),
        button=_("Record the suspension"),
        success=_("The production suspension is recorded."),
        style="secondary",
    ),
    "listing": PageAction(
        form_class=ListingForm,
        title=_("List for supervision"),
        button=_("List for supervision"),
        success=_("The hazard is listed for supervision."),
        style="secondary",
    ),
    "reclassify": PageAction(
        form_class=ReclassifyForm,
        title=_("Change the level"),
        button=_("Change the level"),
        success=_("The hazard's level is changed."),
        style="secondary",
    ),
    "void": PageAction(
        form_class=VoidForm,
        title=_("Void (logged in error)"),
        button=_("Void"),
        success=_("The hazard is void."),
        style="danger",
    ),
}


# The actions taken on a form of another page: the hazard's logging, the evidence upload.
OTHER_FORMS: dict[str, type[forms.Form]] = {
    "fixed_on_spot": HazardLogForm,
    "add_evidence": EvidenceUploadForm,
}
