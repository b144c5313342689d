from django import forms
from django.utils.translation import gettext_lazy as _

from hazards.models import EvidenceStage, User
from hazards.services.evidence import STAGES_BY_ROLE


class EvidenceUploadForm(forms.Form):
    """One photo or document for a hazard; its content is checked by the evidence service, not here.

    Given the user, the stage offers only what the user's role uploads.
    """

    # Phones offer the camera for image/*; the type is still decided from the content on upload.
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"})
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=EvidenceStage.choices)

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A role that uploads nothing keeps every choice: the service then says why it may not.
        if user is not None and user.role in STAGES_BY_ROLE:
            allowed = STAGES_BY_ROLE[user.role]
            self.fields["stage"].choices = [
                choice for choice in EvidenceStage.choices if choice[0] in allowed
            ]
