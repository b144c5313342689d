"""Evidence files, served only through views that check the user's scope, and the upload form's target."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hazards.http import evidence_download_response, file_response
from hazards.lib.errors import DomainError
from hazards.models import Evidence, Hazard, Role, User
from hazards.pages.forms.evidence import EvidenceUploadForm
from hazards.selectors.evidence import photo_duplicates
from hazards.services.evidence import evidence_add, evidence_downloaded

# The roles shown a photo reused on a hazard outside their scope: regulators, never an enterprise.
DUPLICATE_VIEWERS = {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMINISTRATOR}


def _visible_evidence(user: User, hazard_id: int, evidence_id: int) -> Evidence:
    """The evidence of that hazard if the user may see it; a 404 otherwise (logged as denied access when the
    evidence exists on that hazard outside the user's scope)."""
    try:
        return (
            Evidence.objects.visible_to(user)
            .select_related("hazard__region")
            .get(pk=evidence_id, hazard_id=hazard_id)
        )
    except Evidence.DoesNotExist as error:
        raise Http404 from error


@login_required
@require_safe
def evidence_download(request: HttpRequest, hazard_id: int, evidence_id: int) -> HttpResponse:
    """The stored file, as an attachment, to a user who may see the hazard."""
    evidence = _visible_evidence(request.user, hazard_id, evidence_id)
    response = evidence_download_response(evidence)
    evidence_downloaded(actor=request.user, evidence=evidence)
    return response


@login_required
@require_safe
def evidence_thumbnail(request: HttpRequest, hazard_id: int, evidence_id: int) -> FileResponse:
    """A photo's small JPEG, inline, to a user who may see the hazard."""
    evidence = _visible_evidence(request.user, hazard_id, evidence_id)
    return file_response(evidence.thumbnail, "image/jpeg")


@login_required
@require_safe
def evidence_duplicate_thumbnail(
    request: HttpRequest, hazard_id: int, evidence_id: int, other_id: int
) -> FileResponse:
    """The thumbnail of another hazard's photo flagged as a duplicate of a photo the user may see.

    The other hazard may lie outside the user's scope: only regulators see it, and only as that duplicate.
    """
    if not (request.user.role in DUPLICATE_VIEWERS or request.user.sees_everything):
        raise Http404
    photo = _visible_evidence(request.user, hazard_id, evidence_id)
    if not photo.is_photo:
        raise Http404
    other = next((other for _photo, other in photo_duplicates([photo]) if other.pk == other_id), None)
    if other is None:
        raise Http404
    return file_response(other.thumbnail, "image/jpeg")


@login_required
@require_POST
def evidence_upload(request: HttpRequest, hazard_id: int) -> HttpResponse:
    """Add the posted file to the hazard and go back to it; a refusal is a page with the reasons."""
    if not Hazard.objects.visible_to(request.user).filter(pk=hazard_id).exists():
        raise Http404
    form = EvidenceUploadForm(request.POST, request.FILES, user=request.user)
    status = 400
    if form.is_valid():
        try:
            evidence = evidence_add(
                actor=request.user,
                hazard_id=hazard_id,
                upload=form.cleaned_data["file"],
                stage=form.cleaned_data["stage"],
            )
        except Hazard.DoesNotExist as error:
            raise Http404 from error
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status_code
        else:
            messages.success(request, _("Evidence added: %(name)s") % {"name": evidence.original_name})
            return redirect("hazard_detail", hazard_id)
    return render(
        request, "hazards/evidence_upload_error.html", {"form": form, "hazard_id": hazard_id}, status=status
    )
