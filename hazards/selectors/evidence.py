"""Reads about evidence: photos reused across hazards, found by their perceptual hashes."""

from django.db.models import Q

from hazards.domain.evidence import hamming
from hazards.models import Evidence, EvidenceKind, Hazard

# Four 16-bit bands: two hashes within 3 bits agree on at least one band, so the band lookup misses none.
MAX_BAND_DISTANCE = 3


def duplicate_photos(hazard: Hazard, *, max_distance: int = 3) -> list[tuple[Evidence, Evidence]]:
    """Pairs (a photo of this hazard, a photo of another hazard) within max_distance bits of each other.

    Other hazards are searched regardless of scope (a reused photo may come from anywhere); showing the other
    photo is the caller's business. Candidates come from the indexed bands, the distance is then exact.
    """
    return photo_duplicates(hazard.evidence.filter(kind=EvidenceKind.PHOTO), max_distance=max_distance)


def photo_duplicates(photos, *, max_distance: int = 3) -> list[tuple[Evidence, Evidence]]:
    """duplicate_photos for the given photos of one hazard: other hazards' photos within max_distance bits."""
    if not 0 <= max_distance <= MAX_BAND_DISTANCE:
        raise ValueError(f"The band lookup finds hashes within {MAX_BAND_DISTANCE} bits, not {max_distance}.")
    photos = [photo for photo in photos if photo.phash is not None]
    if not photos:
        return []
    bands = Q()
    for index in range(4):
        values = {getattr(photo, f"phash_band{index}") for photo in photos}
        bands |= Q(**{f"phash_band{index}__in": values})
    hazard_ids = {photo.hazard_id for photo in photos}
    candidates = list(
        Evidence.objects.filter(bands, kind=EvidenceKind.PHOTO, phash__isnull=False)
        .exclude(hazard_id__in=hazard_ids)
        .select_related("hazard")
        .order_by("hazard_id", "id")
    )
    return [
        (photo, other)
        for photo in photos
        for other in candidates
        if hamming(photo.phash, other.phash) <= max_distance
    ]
