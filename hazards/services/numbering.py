"""Numbers for documents, running per region and year, handed out under a lock of the region's row."""

from django.db.models import Max, Model

from hazards.models import Region


def next_sequence(model: type[Model], region: Region, year: int) -> int:
    """The next `number_sequence` of `model` in the region and year; two callers never get the same one.

    The caller's transaction holds the region row's lock until it commits its new row.
    """
    Region.objects.select_for_update().filter(pk=region.pk).first()
    numbered = model.objects.filter(region=region, number_year=year)
    last = numbered.aggregate(last=Max("number_sequence"))["last"]
    return (last or 0) + 1
