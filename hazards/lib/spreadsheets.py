"""Spreadsheets written a row at a time, in constant memory: CSV for streaming, XLSX in openpyxl's write-only
mode. The ledger's exports, direct and in the background, and the other downloads use the same writers."""

import csv
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Echo:
    """A file whose write() hands back the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text line by line, the first one with a byte-order mark so spreadsheets read the Chinese."""
    out = csv.writer(_Echo())
    yield "\ufeff" + out.writerow(headers)
    for cells in rows:
        yield out.writerow(["" if cell is None else cell for cell in cells])


def write_xlsx(
    headers: list[str], rows: Iterable[list], target: IO[bytes], *, title: str | None = None
) -> None:
    """An XLSX workbook of one sheet, written row by row (openpyxl's write-only mode) into target."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title or _("Hazards"))
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    workbook.save(target)
