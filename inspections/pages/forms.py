"""The forms of the inspection pages: they parse input for a service and hold no rule of their own.

As on the hazard pages, the services decide and the views put their errors back on these forms' fields.
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from hazards.models import Clause, Enterprise, HazardLevel, Role, User
from hazards.pages.forms.hazards import HazardFieldsForm, bootstrap_style, text
from inspections.models import ChecklistItem, ChecklistTemplate, InspectionKind
from inspections.selectors import inspections as selectors


class ChecklistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.sector.name})"


class InspectorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class EnterpriseSearchForm(forms.Form):
    """Find the enterprise to inspect by its name or unified social credit code (?q=)."""

    q = forms.CharField(
        label=_("Enterprise name or credit code"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "class": "form-control form-control-lg"}
        ),
    )


class InspectionStartForm(forms.Form):
    """Start an inspection: an inspector chooses its kind; an enterprise runs a self-inspection."""

    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=[])
    checklist = ChecklistChoiceField(
        label=_("Checklist"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        help_text=_("The checklist of the enterprise's sector unless you choose another."),
    )
    co_inspectors = InspectorsField(
        label=_("Co-inspectors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = text(_("Notes"), required=False, rows=2)

    def __init__(self, *args, user: User, enterprise: Enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.enterprise = enterprise
        if user.role == Role.ENTERPRISE:
            # An enterprise only inspects itself: the kind is fixed, and no inspector joins.
            del self.fields["kind"]
            del self.fields["co_inspectors"]
        else:
            self.fields["kind"].choices = [
                (kind.value, kind.label) for kind in InspectionKind if kind != InspectionKind.SELF_INSPECTION
            ]
            self.fields["kind"].initial = InspectionKind.ROUTINE
            self.fields["co_inspectors"].queryset = selectors.co_inspectors_offered(user)
        self.fields["checklist"].queryset = selectors.checklists_offered()
        self.fields["checklist"].initial = selectors.default_checklist(enterprise)
        bootstrap_style(self)

    @property
    def fixed_kind(self) -> InspectionKind | None:
        """The kind the user cannot choose (an enterprise's self-inspection), shown as text."""
        return None if "kind" in self.fields else InspectionKind.SELF_INSPECTION

    def service_kwargs(self) -> dict:
        """The keyword arguments of inspection_start(...)."""
        data = self.cleaned_data
        return {
            "enterprise_id": self.enterprise.pk,
            "kind": data["kind"] if "kind" in self.fields else InspectionKind.SELF_INSPECTION,
            "checklist_id": data["checklist"].pk if data.get("checklist") else None,
            "co_inspector_ids": tuple(user.pk for user in data.get("co_inspectors") or ()),
            "notes": data.get("notes", ""),
        }


class ItemAnswerForm(forms.Form):
    """Pass, fail or not applicable: the button tapped (the service refuses any other answer)."""

    answer = forms.CharField(required=False, max_length=16)


class InspectionCancelForm(forms.Form):
    """Why an inspection started by mistake is cancelled (the service requires a reason)."""

    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(HazardFieldsForm):
    """A finding of an inspection, logged as a hazard; prefilled from the failed checklist item."""

    # A fresh key each time the form is shown: the same form sent twice logs one hazard.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    field_order = ["idempotency_key", "description", "level", "criterion"]

    def __init__(
        self, *args, user: User, enterprise: Enterprise, item: ChecklistItem | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if item is not None:
                self.initial.setdefault("description", item.text)
                if item.clause_id:
                    self.initial.setdefault("level", HazardLevel.MAJOR)
                    self.initial.setdefault("criterion", item.clause_id)
        if user.role == Role.ENTERPRISE:
            # Only an inspector closes a hazard fixed on the spot.
            del self.fields["fixed_on_spot"]
            del self.fields["after_photos"]
        criterion = self.fields["criterion"]
        # The list offers the criteria in force for the enterprise's sector; any other posted clause goes on
        # to the service, which says why it does not fit (another sector, a standard no longer in force).
        criterion.queryset = Clause.objects.select_related("standard")
        offered = selectors.criteria_for(enterprise)
        criterion.widget.choices = [
            ("", criterion.empty_label),
            *((clause.pk, criterion.label_from_instance(clause)) for clause in offered),
        ]
        bootstrap_style(self)

    def service_kwargs(self) -> dict:
        """The keyword arguments of finding_log(...) besides the actor and the inspection."""
        return {
            "idempotency_key": self.cleaned_data["idempotency_key"],
            "item_id": self.item.pk if self.item else None,
            **self.hazard_kwargs(),
        }

    def error_dict(self) -> dict[str, list[str]]:
        """The errors by field name, as the JSON answer carries them ("__all__" for the form's own)."""
        return {field: [str(message) for message in messages] for field, messages in self.errors.items()}
