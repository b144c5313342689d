"""The workflow actions offered on a hazard's page: one row each, read by the page and the action view."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hazards.hazard_forms import (
    ActionForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ListingForm,
    PlanForm,
    ReclassifyForm,
    SendBackForm,
    SubmitForm,
    SuspensionForm,
    VerifyForm,
    VoidForm,
)
from hazards.services.extensions import extension_decide, extension_request
from hazards.services.major import (
    hazard_list_for_supervision,
    hazard_reclassify,
    plan_file,
    suspension_record,
)
from hazards.services.workflow import hazard_send_back, hazard_submit, hazard_verify, hazard_void


@dataclass(frozen=True)
class Action:
    """An action: the workflow rule that permits it, its URL, form and service, and its words on the page."""

    rule: str
    url_name: str
    form_class: type[ActionForm]
    service: Callable[..., object]
    title: Promise
    button: Promise
    success: Promise
    style: str = "primary"
    # Shown unfolded on the page (the moves an actor comes to make); the others fold until opened.
    unfolded: bool = False


ACTIONS: dict[str, Action] = {
    "submit": Action(
        rule="submit",
        url_name="hazard_submit",
        form_class=SubmitForm,
        service=hazard_submit,
        title=_("Submit for verification"),
        button=_("Submit"),
        success=_("Submitted for verification."),
        unfolded=True,
    ),
    "verify": Action(
        rule="verify",
        url_name="hazard_verify",
        form_class=VerifyForm,
        service=hazard_verify,
        title=_("Verify and close"),
        button=_("Verify"),
        success=_("Verified: the hazard is closed."),
        style="success",
        unfolded=True,
    ),
    "send_back": Action(
        rule="send_back",
        url_name="hazard_send_back",
        form_class=SendBackForm,
        service=hazard_send_back,
        title=_("Send back"),
        button=_("Send back"),
        success=_("Sent back to the enterprise."),
        style="warning",
        unfolded=True,
    ),
    "plan": Action(
        rule="file_plan",
        url_name="hazard_plan",
        form_class=PlanForm,
        service=plan_file,
        title=_("Rectification plan"),
        button=_("Save the plan"),
        success=_("The rectification plan is saved."),
    ),
    "extension_request": Action(
        rule="request_extension",
        url_name="hazard_extension_request",
        form_class=ExtensionRequestForm,
        service=extension_request,
        title=_("Ask for an extension"),
        button=_("Ask for the extension"),
        success=_("The extension request is sent."),
        style="secondary",
    ),
    "extension_decide": Action(
        rule="decide_extension",
        url_name="hazard_extension_decide",
        form_class=ExtensionDecideForm,
        service=extension_decide,
        title=_("Decide the extension"),
        button=_("Save the decision"),
        success=_("The extension is decided."),
        unfolded=True,
    ),
    "suspension": Action(
        rule="record_suspension",
        url_name="hazard_suspension",
        form_class=SuspensionForm,
        service=suspension_record,
        title=_("Record a production suspension"),
        button=_("Record the suspension"),
        success=_("The production suspension is recorded."),
        style="secondary",
    ),
    "listing": Action(
        rule="list",
        url_name="hazard_listing",
        form_class=ListingForm,
        service=hazard_list_for_supervision,
        title=_("List for supervision"),
        button=_("List for supervision"),
        success=_("The hazard is listed for supervision."),
        style="secondary",
    ),
    "reclassify": Action(
        rule="reclassify",
        url_name="hazard_reclassify",
        form_class=ReclassifyForm,
        service=hazard_reclassify,
        title=_("Change the level"),
        button=_("Change the level"),
        success=_("The hazard's level is changed."),
        style="secondary",
    ),
    "void": Action(
        rule="void",
        url_name="hazard_void",
        form_class=VoidForm,
        service=hazard_void,
        title=_("Void (logged in error)"),
        button=_("Void"),
        success=_("The hazard is void."),
        style="danger",
    ),
}
