"""Import enterprises into the register from a spreadsheet (.xlsx) or a CSV file, all rows or none.

Each row is checked with EnterpriseImportForm; the API's enterprise input uses its county and sector fields.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from hazards.models import Enterprise, EnterpriseStatus, Region, RegionLevel, RiskColour, Sector


class CountyField(forms.ModelChoiceField):
    """A county or district by its six-digit code; a province or city code gets its own message."""

    default_error_messages = {
        "invalid_choice": _("No county or district has the code %(value)s."),
        "not_county": _(
            "Region %(value)s (%(name)s) is a province or city; "
            "an enterprise belongs to a county or district."
        ),
    }

    def __init__(self, **kwargs) -> None:
        counties = Region.objects.filter(level=RegionLevel.COUNTY)
        super().__init__(queryset=counties, to_field_name="code", **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            region = Region.objects.filter(code=value).first() if error.code == "invalid_choice" else None
            if region is None:
                raise
            raise ValidationError(
                self.error_messages["not_county"],
                code="not_county",
                params={"value": value, "name": region.name},
            ) from error


class SectorField(forms.ModelChoiceField):
    """A sector by its code; an unknown one is answered with the list of codes."""

    default_error_messages = {
        "invalid_choice": _("There is no sector %(value)s; the sectors are: %(codes)s."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Sector.objects.all(), to_field_name="code", **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            codes = ", ".join(self.queryset.values_list("code", flat=True))
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value, "codes": codes},
            ) from error


class EnterpriseImportForm(forms.ModelForm):
    """One row of an enterprise import: the register's own rules, with codes instead of ids."""

    region = CountyField(label=_("region"))
    sector = SectorField(label=_("sector"))

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "sector",
            "address",
            "principal_name",
            "principal_phone",
            "risk_colour",
            "status",
        ]
        error_messages = {
            "risk_colour": {
                "invalid_choice": _("Unknown risk colour %(value)s; use red, orange, yellow or blue."),
            },
            "status": {
                "invalid_choice": _("Unknown status %(value)s; use operating, suspended or closed."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or EnterpriseStatus.OPERATING


# Column name -> the form field it fills; English names and the Chinese headings of the usual templates.
COLUMNS = {
    "credit_code": "credit_code",
    "name": "name",
    "region_code": "region",
    "sector": "sector",
    "risk_colour": "risk_colour",
    "address": "address",
    "principal_name": "principal_name",
    "principal_phone": "principal_phone",
    "status": "status",
}
CHINESE_COLUMNS = {
    "统一社会信用代码": "credit_code",
    "企业名称": "name",
    "行政区划代码": "region_code",
    "行业领域": "sector",
    "风险等级": "risk_colour",
    "地址": "address",
    "主要负责人": "principal_name",
    "联系电话": "principal_phone",
    "经营状态": "status",
}
OPTIONAL_COLUMNS = {"address", "status"}
FIELD_COLUMNS = {form_field: column for column, form_field in COLUMNS.items()}

# Looked up with any trailing 色 removed, so 红, 红色 and RED all mean red.
RISK_COLOURS = {
    **{colour: colour for colour in RiskColour.values},
    "红": RiskColour.RED.value,
    "橙": RiskColour.ORANGE.value,
    "黄": RiskColour.YELLOW.value,
    "蓝": RiskColour.BLUE.value,
}
STATUSES = {
    **{status: status for status in EnterpriseStatus.values},
    "在营": EnterpriseStatus.OPERATING.value,
    "营业": EnterpriseStatus.OPERATING.value,
    "停产": EnterpriseStatus.SUSPENDED.value,
    "停业": EnterpriseStatus.SUSPENDED.value,
    "关闭": EnterpriseStatus.CLOSED.value,
}
EMPTY_FILE = _("The file is empty: its first row should name the columns.")
NO_ROWS = _("The file has no enterprises: there is no row under the header.")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Chinese Excel saves CSV as GBK unless told otherwise.


class ImportFileError(Exception):
    """The file cannot be read at all: missing, of an unsupported type, damaged or in an unknown encoding."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class EnterpriseImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


def enterprises_import(*, path: Path) -> EnterpriseImportResult:
    """Create an enterprise for every row of the file at `path`, or none if any row is wrong.

    The first row names the columns (English names or Chinese headings); every other non-blank row is
    checked with EnterpriseImportForm and against the other rows of the file. Errors carry the line number
    of the spreadsheet or CSV file (the header is line 1). Raises ImportFileError if the file is unreadable.
    """
    rows = iter(_read_rows(Path(path)))
    header = [_normalise(cell) for cell in next(rows, [])]
    if not any(header):
        return EnterpriseImportResult(errors=[RowError(1, "", str(EMPTY_FILE))])
    columns, errors = _map_header(header)
    if errors:
        return EnterpriseImportResult(errors=errors)

    enterprises: list[tuple[int, Enterprise]] = []
    first_line_of_code: dict[str, int] = {}
    sectors = _sector_codes()
    for line, cells in enumerate(rows, start=2):
        values = [_normalise(cell) for cell in cells]
        if not any(values):
            continue
        if any(values[len(columns) :]):
            errors.append(RowError(line, "", str(_("This row has more cells than the header has columns."))))
            continue
        row = dict.fromkeys(columns, "") | dict(zip(columns, values, strict=False))
        data = _form_data(row, sectors)
        code = data["credit_code"]
        if code in first_line_of_code:
            message = _("The same credit code is already on line %(line)d.") % {
                "line": first_line_of_code[code]
            }
            errors.append(RowError(line, "credit_code", message))
        elif code:
            first_line_of_code[code] = line
        form = EnterpriseImportForm(data)
        if form.is_valid():
            enterprises.append((line, form.save(commit=False)))
        else:
            errors.extend(_form_errors(line, form))

    if not enterprises and not errors:
        errors.append(RowError(1, "", str(NO_ROWS)))
    if errors:
        return EnterpriseImportResult(errors=sorted(errors, key=lambda error: error.line))
    return _create(enterprises)


def _read_rows(path: Path) -> Iterable[list[Any]]:
    if not path.is_file():
        raise ImportFileError(_("There is no file %(path)s.") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportFileError(
        _("Cannot import a %(suffix)s file; use .xlsx or .csv.") % {"suffix": suffix or path.name}
    )


def _read_csv(path: Path) -> list[list[str]]:
    content = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ImportFileError(
                _("%(path)s is not a valid CSV file: %(error)s") % {"path": path, "error": exc}
            ) from exc
    raise ImportFileError(_("%(path)s is neither UTF-8 nor GBK text.") % {"path": path})


def _read_xlsx(path: Path) -> list[tuple[Any, ...]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise ImportFileError(
            _("%(path)s is not a readable .xlsx workbook: %(error)s") % {"path": path, "error": exc}
        ) from exc


def _map_header(header: list[str]) -> tuple[list[str], list[RowError]]:
    """The column name of each header cell, and the errors of a header that cannot be used."""
    cells = list(header)
    while cells and not cells[-1]:
        cells.pop()
    columns = [_column(cell) for cell in cells]
    errors = []
    unknown = [cell or str(_("(blank)")) for cell, column in zip(cells, columns, strict=True) if not column]
    if unknown:
        message = _("Unknown column(s): %(columns)s. The columns are: %(known)s.") % {
            "columns": ", ".join(unknown),
            "known": ", ".join(COLUMNS),
        }
        errors.append(RowError(1, "header", message))
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        message = _("Column(s) given more than once: %(columns)s.") % {"columns": ", ".join(repeated)}
        errors.append(RowError(1, "header", message))
    missing = [column for column in COLUMNS if column not in columns and column not in OPTIONAL_COLUMNS]
    if missing:
        message = _("Missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        errors.append(RowError(1, "header", message))
    return columns, errors


def _column(heading: str) -> str:
    """The column a heading names (English names in any case, or the Chinese heading), or ""."""
    if heading.casefold() in COLUMNS:
        return heading.casefold()
    return CHINESE_COLUMNS.get(heading, "")


def _normalise(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # Excel stores every number as a float: 13812345678.0 is a phone number.
    return str(cell).strip()


def _sector_codes() -> dict[str, str]:
    """Sector code for each way of naming a sector: its code, English name (any case) or Chinese name."""
    names = {}
    for code, name_en, name_zh in Sector.objects.values_list("code", "name_en", "name_zh"):
        names.update({code.casefold(): code, name_en.casefold(): code, name_zh: code})
    return names


def _form_data(row: dict[str, str], sectors: dict[str, str]) -> dict[str, str]:
    data = {COLUMNS[column]: value for column, value in row.items()}
    data["credit_code"] = data["credit_code"].upper()
    data["sector"] = sectors.get(data["sector"].casefold(), data["sector"])
    colour = data["risk_colour"].casefold().removesuffix("色")
    data["risk_colour"] = RISK_COLOURS.get(colour, data["risk_colour"])
    if "status" in data:
        data["status"] = STATUSES.get(data["status"].casefold(), data["status"])
    return data


def _form_errors(line: int, form: EnterpriseImportForm) -> Iterator[RowError]:
    for name, messages in form.errors.items():
        column = "" if name == "__all__" else FIELD_COLUMNS.get(name, name)
        for message in messages:
            yield RowError(line, column, message)


def _create(enterprises: list[tuple[int, Enterprise]]) -> EnterpriseImportResult:
    try:
        with transaction.atomic():
            Enterprise.objects.bulk_create([enterprise for _line, enterprise in enterprises])
    except IntegrityError:
        # Another import registered some of the same codes after this one checked them.
        return EnterpriseImportResult(errors=_conflicts(enterprises))
    return EnterpriseImportResult(created=len(enterprises))


def _conflicts(enterprises: list[tuple[int, Enterprise]]) -> list[RowError]:
    registered = set(
        Enterprise.objects.filter(
            credit_code__in=[enterprise.credit_code for _line, enterprise in enterprises]
        ).values_list("credit_code", flat=True)
    )
    message = str(_("An enterprise with this credit code was registered while the file was being imported."))
    errors = [
        RowError(line, "credit_code", message)
        for line, enterprise in enterprises
        if enterprise.credit_code in registered
    ]
    return errors or [RowError(1, "", str(_("The enterprises could not be saved; nothing was imported.")))]
