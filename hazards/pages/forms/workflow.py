"""The pages' part of each action of the workflow's table (hazards.services.workflow.ACTIONS), by its key:
the forms of the actions taken on a hazard's page, with their words there.

An action at its own route has its form on the hazard's page; the others are taken on a form of another page.
The action view and the hazard's page read these; the page routes are generated from the workflow's table
(hazards.pages.urls). The forms parse input for a service and hold no rule of their own.
"""

from dataclasses import dataclass

from django import forms
from django.core.validators import MinValueValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hazards.models import Clause, Hazard, HazardLevel
from hazards.pages.forms.evidence import EvidenceUploadForm
from hazards.pages.forms.hazards import CriterionField, DateInput, HazardLogForm, bootstrap_style, text


class ActionForm(forms.Form):
    """The form of one workflow action on a hazard; service_kwargs() are the service's keyword arguments."""

    def __init__(self, *args, hazard: Hazard | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        self.setup(hazard)
        bootstrap_style(self)

    def setup(self, hazard: Hazard | None) -> None:
        """Adapt the fields to the hazard (hazard is None only in tests of the form alone)."""

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SubmitForm(ActionForm):
    comment = text(_("Comment"), required=False, rows=2)


class SendBackForm(ActionForm):
    reasons = text(_("Reasons"), rows=3)


class VerifyForm(ActionForm):
    comment = text(_("Comment"), required=False, rows=2)
    reviewed_on_site_on = forms.DateField(label=_("Reviewed on site on"), required=False, widget=DateInput())

    def setup(self, hazard: Hazard | None) -> None:
        if hazard is not None and not hazard.is_major:
            del self.fields["reviewed_on_site_on"]
        else:
            self.fields["reviewed_on_site_on"].html_required = True


class VoidForm(ActionForm):
    reason = text(_("Reason"), rows=2)


class PlanForm(ActionForm):
    """The rectification plan of a major hazard; prefilled with the plan on file, to revise it."""

    responsible_person = text(_("Responsible person"), max_length=64)
    measures = text(_("Measures"), rows=3)
    funds_amount = forms.DecimalField(
        label=_("Funds (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    deadline = forms.DateField(label=_("Plan deadline"), widget=DateInput())
    emergency_plan = text(_("Emergency plan"), rows=3)

    def setup(self, hazard: Hazard | None) -> None:
        plan = getattr(hazard, "plan", None) if hazard is not None else None
        if plan is not None and not self.is_bound:
            self.initial = {name: getattr(plan, name) for name in self.fields} | self.initial


class ExtensionRequestForm(ActionForm):
    requested_deadline = forms.DateField(label=_("Requested deadline"), widget=DateInput())
    reasons = text(_("Reasons"), rows=3)


class ExtensionDecideForm(ActionForm):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = text(_("Comment"), required=False, rows=2)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"approve": data["decision"] == self.APPROVE, "comment": data["comment"]}


class SuspensionForm(ActionForm):
    scope = text(_("Scope of the suspension"), max_length=200)
    starts_on = forms.DateField(label=_("Suspended from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Suspended until"), required=False, widget=DateInput())


class ReclassifyForm(ActionForm):
    """A change of level: the other level, its criterion when it becomes major, and the reason."""

    level = forms.ChoiceField(label=_("New level"), choices=HazardLevel.choices)
    criterion = CriterionField(
        label=_("Major-hazard criterion"), queryset=Clause.objects.none(), required=False
    )
    reason = text(_("Reason"), rows=2)

    def setup(self, hazard: Hazard | None) -> None:
        clauses = Clause.objects.in_force().select_related("standard")
        if hazard is not None:
            other = [choice for choice in HazardLevel.choices if choice[0] != hazard.level]
            self.fields["level"].choices = other
            self.fields["level"].initial = other[0][0]
            clauses = clauses.filter(standard__sectors=hazard.sector_id)
            if hazard.is_major:
                del self.fields["criterion"]
        if "criterion" in self.fields:
            self.fields["criterion"].queryset = clauses

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        criterion = data.get("criterion")
        return {
            "level": data["level"],
            "reason": data["reason"],
            "criterion_id": criterion.pk if criterion else None,
        }


class ListingForm(ActionForm):
    authority = text(_("Supervising authority"), max_length=120)


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
