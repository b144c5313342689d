"""The forms of the hazard pages: they parse input for a service and hold no rule of their own.

Rules (a reason is required, a deadline is not in the past...) live in the services, whose errors the views
put back on these forms' fields; a field only says `required` in HTML to save a phone a round trip.
"""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hazards.lib.errors import DomainError
from hazards.models import Clause, Enterprise, HazardLevel, HazardSource, Role, User
from hazards.services.hazards import SOURCES_BY_ROLE


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error in place: on the field it names if the form has it, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class DateInput(forms.DateInput):
    """The browser's date picker (on a phone, the native one)."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's "Uploading multiple files"); cleans to a list."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


def bootstrap_style(form: forms.Form) -> None:
    """Bootstrap's classes on every widget, and HTML `required` where the service will insist."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if getattr(field, "html_required", False):
            widget.attrs["required"] = True


def text(label, *, required: bool = True, rows: int | None = None, max_length: int | None = None):
    """A text field that the service checks: blank passes the form, the service answers with its message."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    field = forms.CharField(label=label, required=False, max_length=max_length, widget=widget)
    field.html_required = required
    return field


class CriterionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Clause) -> str:
        # The clause's official text is Chinese; its English summary is for readers of English only.
        english = (translation.get_language() or "").startswith("en")
        summary = (obj.summary_en if english else "") or obj.text
        return f"{obj.standard.number} {obj.number} — {summary[:80]}"


class HazardFieldsForm(forms.Form):
    """The fields of a hazard as it is found, shared by the hazard log and an inspection's finding."""

    level = forms.ChoiceField(label=_("Level"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)
    criterion = CriterionField(
        label=_("Major-hazard criterion"),
        queryset=Clause.objects.none(),
        required=False,
        help_text=_("The clause of the determination standard the hazard matches (major hazards only)."),
    )
    description = text(_("Description"), rows=3)
    location = text(_("Location on site"), max_length=200)
    measures = text(_("Required measures"), rows=3)
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank for the default time limit of the level."),
    )
    responsible_person = text(_("Responsible person"), max_length=64)
    photos = MultipleFileField(
        label=_("Photos as found"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    fixed_on_spot = forms.BooleanField(
        label=_("Fixed on the spot"),
        required=False,
        help_text=_("A general hazard fixed during the inspection: it is closed at once."),
    )
    after_photos = MultipleFileField(
        label=_("Photos after the fix"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("level") != HazardLevel.MAJOR:
            # The criterion is shown for a major hazard only: a general one drops what the list still held.
            data["criterion"] = None
            self.errors.pop("criterion", None)
        return data

    @property
    def files_to_choose_again(self) -> set[str]:
        """The file fields whose chosen files a refused form cannot keep: the user chooses them again."""
        if not self.is_bound or not self.errors:
            return set()
        return {
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField) and any(self.files.getlist(self.add_prefix(name)))
        }

    def hazard_kwargs(self) -> dict:
        """The keyword arguments of the hazard as found, for hazard_log(...) and finding_log(...) alike."""
        data = self.cleaned_data
        kwargs = {
            "description": data["description"],
            "location": data["location"],
            "level": data["level"],
            "measures": data["measures"],
            "responsible_person": data["responsible_person"],
            "criterion_id": data["criterion"].pk if data.get("criterion") else None,
            "deadline": data.get("deadline"),
            "photos": data.get("photos") or [],
        }
        if "fixed_on_spot" in self.fields:
            kwargs["fixed_on_spot"] = data["fixed_on_spot"]
            kwargs["after_photos"] = data["after_photos"]
        return kwargs


class HazardLogForm(HazardFieldsForm):
    """Log a hazard: an inspector at any enterprise of the region, an enterprise at itself."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=[])
    field_order = ["enterprise", "source", "level", "criterion", "description"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.sources = [s for s in HazardSource if s in SOURCES_BY_ROLE.get(user.role, ())]
        if user.role == Role.ENTERPRISE:
            # A self-inspection: the enterprise is the user's own, and only an inspector fixes on the spot.
            for name in ("enterprise", "fixed_on_spot", "after_photos"):
                del self.fields[name]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).select_related("region")
        if len(self.sources) == 1:
            del self.fields["source"]
        else:
            self.fields["source"].choices = [(s.value, s.label) for s in self.sources]
        self.fields["criterion"].queryset = Clause.objects.in_force().select_related("standard")
        bootstrap_style(self)

    def service_kwargs(self) -> dict:
        """The keyword arguments of hazard_log(...)."""
        data = self.cleaned_data
        kwargs = self.hazard_kwargs()
        kwargs["source"] = data["source"] if "source" in self.fields else self.sources[0]
        if "enterprise" in self.fields:
            kwargs["enterprise_id"] = data["enterprise"].pk
        else:
            kwargs["enterprise_id"] = self.user.enterprise_id
        return kwargs
