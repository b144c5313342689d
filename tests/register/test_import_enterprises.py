"""Importing enterprises from .csv and .xlsx files: all rows or none, and a clear message per bad cell."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from hazards.lib.credit_code import ALPHABET
from hazards.models import Enterprise, EnterpriseStatus, RiskColour
from hazards.services.register import EnterpriseImportForm, ImportFileError, RowError, enterprises_import
from tests.factories import credit_code_for

HEADER = [
    "credit_code",
    "name",
    "region_code",
    "sector",
    "risk_colour",
    "address",
    "principal_name",
    "principal_phone",
    "status",
]
CHINESE_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "行业领域",
    "风险等级",
    "地址",
    "主要负责人",
    "联系电话",
    "经营状态",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(serial: int, **overrides) -> dict[str, object]:
    values = {
        "credit_code": credit_code_for("210102", 900_000 + serial),
        "name": f"和平燃气{serial}号站",
        "region_code": "210102",
        "sector": "urban-gas",
        "risk_colour": "yellow",
        "address": "沈阳市和平区南京北街1号",
        "principal_name": "王建国",
        "principal_phone": "024-23456789",
        "status": "operating",
    }
    return values | overrides


def write_csv(path: Path, rows: list[dict], header=HEADER, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows([[values.get(column, "") for column in HEADER] for values in rows])
    return path


def write_xlsx(path: Path, lines: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for line in lines:
        workbook.active.append(line)
    workbook.save(path)
    return path


def import_rows(tmp_path: Path, *rows: dict) -> list[RowError]:
    result = enterprises_import(path=write_csv(tmp_path / "enterprises.csv", list(rows)))
    return result.errors


def only_error(errors: list[RowError]) -> RowError:
    assert len(errors) == 1, errors
    return errors[0]


def changed(code: str, position: int) -> str:
    """The code with one character replaced by the next one of the alphabet."""
    char = ALPHABET[(ALPHABET.index(code[position]) + 1) % len(ALPHABET)]
    return code[:position] + char + code[position + 1 :]


def test_a_clean_csv_file_imports_every_row_with_its_fields(liaoning, tmp_path):
    path = write_csv(
        tmp_path / "enterprises.csv",
        [
            row(1, address=" 和平区 1 号 "),
            row(2, region_code="210202", sector="危险化学品", risk_colour="红色", status=""),
            row(
                3, credit_code=credit_code_for("210203", 900_003).lower(), sector="Fire safety", status="停产"
            ),
        ],
    )

    result = enterprises_import(path=path)

    assert result.errors == []
    assert result.created == 3
    assert Enterprise.objects.count() == 7
    first = Enterprise.objects.get(credit_code=row(1)["credit_code"])
    assert (first.name, first.region.code, first.sector.code) == ("和平燃气1号站", "210102", "urban-gas")
    assert (first.address, first.principal_name, first.principal_phone) == (
        "和平区 1 号",
        "王建国",
        "024-23456789",
    )
    assert (first.risk_colour, first.status) == (RiskColour.YELLOW, EnterpriseStatus.OPERATING)
    second = Enterprise.objects.get(name="和平燃气2号站")
    assert (second.region.code, second.sector.code) == ("210202", "hazardous-chemicals")
    assert (second.risk_colour, second.status) == (RiskColour.RED, EnterpriseStatus.OPERATING)
    third = Enterprise.objects.get(name="和平燃气3号站")
    assert third.credit_code == credit_code_for("210203", 900_003)
    assert (third.sector.code, third.status) == ("fire-safety", EnterpriseStatus.SUSPENDED)


def test_a_clean_xlsx_file_with_numeric_cells_imports_every_row(liaoning, tmp_path):
    path = write_xlsx(
        tmp_path / "enterprises.xlsx",
        [
            HEADER[:-1],
            [
                credit_code_for("210103", 900_001),
                "沈河化工",
                210103,
                "hazardous-chemicals",
                "橙",
                "",
                "李四",
                13812345678,
            ],
            [
                credit_code_for("210202", 900_002),
                "中山矿业",
                210202.0,
                "non-coal-mine",
                "Blue",
                None,
                "赵六",
                2412345678,
            ],
        ],
    )

    result = enterprises_import(path=path)

    assert (result.created, result.errors) == (2, [])
    chemicals = Enterprise.objects.get(credit_code=credit_code_for("210103", 900_001))
    assert (chemicals.name, chemicals.region.code, chemicals.principal_phone) == (
        "沈河化工",
        "210103",
        "13812345678",
    )
    assert (chemicals.risk_colour, chemicals.address) == (RiskColour.ORANGE, "")
    mine = Enterprise.objects.get(credit_code=credit_code_for("210202", 900_002))
    assert (mine.region.code, mine.principal_phone, mine.risk_colour) == (
        "210202",
        "2412345678",
        RiskColour.BLUE,
    )


def test_a_gbk_encoded_csv_with_chinese_headers_imports(liaoning, tmp_path):
    path = write_csv(
        tmp_path / "企业名单.csv",
        [row(1, sector="城镇燃气", risk_colour="蓝色", status="在营")],
        header=CHINESE_HEADER,
        encoding="gbk",
    )

    result = enterprises_import(path=path)

    assert (result.created, result.errors) == (1, [])
    enterprise = Enterprise.objects.get(credit_code=row(1)["credit_code"])
    assert (enterprise.name, enterprise.principal_name) == ("和平燃气1号站", "王建国")
    assert (enterprise.sector.code, enterprise.risk_colour) == ("urban-gas", RiskColour.BLUE)


def test_a_file_with_one_bad_row_imports_nothing_and_names_its_line_and_field(liaoning, tmp_path):
    bad_code = changed(row(2)["credit_code"], 10)

    errors = import_rows(tmp_path, row(1), row(2, credit_code=bad_code), row(3))

    error = only_error(errors)
    assert (error.line, error.field) == (3, "credit_code")
    assert "check character" in error.message
    assert Enterprise.objects.count() == 4


def test_blank_rows_are_skipped_but_keep_their_line_numbers(liaoning, tmp_path):
    path = write_xlsx(
        tmp_path / "enterprises.xlsx",
        [
            HEADER,
            list(row(1).values()),
            [],
            [None] * len(HEADER),
            list(row(2, risk_colour="purple").values()),
        ],
    )

    result = enterprises_import(path=path)

    assert [(error.line, error.field) for error in result.errors] == [(5, "risk_colour")]
    assert Enterprise.objects.count() == 4


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("91210102MA0ABC", "has 18 characters; this one has 14", id="too short"),
        pytest.param("91210102MA0ABCDE1XX", "at most 18 characters (it has 19)", id="too long"),
        pytest.param("91210102MA0ABCDE1I", "never appear in a credit code; found I", id="forbidden letter"),
        pytest.param("91210102-A0ABCDE1X", "only digits and capital letters", id="punctuation"),
    ],
)
def test_a_malformed_credit_code_is_refused_with_the_reason(liaoning, tmp_path, code, message):
    error = only_error(import_rows(tmp_path, row(1, credit_code=code)))

    assert (error.line, error.field) == (2, "credit_code")
    assert message in error.message
    assert Enterprise.objects.count() == 4


def test_a_credit_code_with_a_wrong_check_character_names_the_right_one(liaoning, tmp_path):
    good = row(1)["credit_code"]
    bad = changed(good, 17)

    error = only_error(import_rows(tmp_path, row(1, credit_code=bad)))

    assert error.field == "credit_code"
    assert error.message == (f"The check character of this credit code should be {good[-1]}, not {bad[-1]}.")


def test_an_unknown_region_code_is_refused(liaoning, tmp_path):
    error = only_error(import_rows(tmp_path, row(1, region_code="219999")))

    assert (error.line, error.field) == (2, "region_code")
    assert error.message == "No county or district has the code 219999."
    assert Enterprise.objects.count() == 4


@pytest.mark.parametrize("code", ["210100", "210000"])
def test_a_city_or_province_code_is_refused_because_an_enterprise_belongs_to_a_county(
    liaoning, tmp_path, code
):
    error = only_error(import_rows(tmp_path, row(1, region_code=code)))

    assert (error.line, error.field) == (2, "region_code")
    assert code in error.message
    assert "an enterprise belongs to a county or district" in error.message
    assert Enterprise.objects.count() == 4


def test_an_unknown_sector_is_refused_with_the_list_of_sectors(liaoning, tmp_path):
    error = only_error(import_rows(tmp_path, row(1, sector="fishing")))

    assert (error.line, error.field) == (2, "sector")
    assert error.message.startswith("There is no sector fishing; the sectors are: ")
    assert "urban-gas" in error.message and "road-transport" in error.message
    assert Enterprise.objects.count() == 4


@pytest.mark.parametrize("colour", ["purple", "绿色", ""])
def test_a_bad_or_missing_risk_colour_is_refused(liaoning, tmp_path, colour):
    error = only_error(import_rows(tmp_path, row(1, risk_colour=colour)))

    assert (error.line, error.field) == (2, "risk_colour")
    if colour:
        assert error.message == f"Unknown risk colour {colour}; use red, orange, yellow or blue."
    else:
        assert error.message == "This field is required."
    assert Enterprise.objects.count() == 4


def test_a_credit_code_already_registered_is_refused(liaoning, tmp_path):
    registered = liaoning.enterprises["heping"].credit_code

    errors = import_rows(tmp_path, row(1), row(2, credit_code=registered))

    error = only_error(errors)
    assert (error.line, error.field) == (3, "credit_code")
    assert error.message == "An enterprise with this credit code is already registered."
    assert Enterprise.objects.count() == 4


def test_a_credit_code_twice_in_the_file_is_refused_on_its_second_line(liaoning, tmp_path):
    code = row(1)["credit_code"]

    errors = import_rows(tmp_path, row(1), row(2), row(3, credit_code=code.lower()))

    error = only_error(errors)
    assert (error.line, error.field) == (4, "credit_code")
    assert error.message == "The same credit code is already on line 2."
    assert Enterprise.objects.count() == 4


def test_a_missing_required_column_is_named(liaoning, tmp_path):
    path = tmp_path / "enterprises.csv"
    path.write_text("credit_code,name,sector,risk_colour,principal_name\n", encoding="utf-8")

    error = only_error(enterprises_import(path=path).errors)

    assert (error.line, error.field) == (1, "header")
    assert error.message == "Missing required column(s): region_code, principal_phone."


def test_an_unknown_column_is_named(liaoning, tmp_path):
    path = write_xlsx(tmp_path / "enterprises.xlsx", [[*HEADER, " 传真 "], list(row(1).values())])

    error = only_error(enterprises_import(path=path).errors)

    assert (error.line, error.field) == (1, "header")
    assert error.message.startswith("Unknown column(s): 传真. The columns are: credit_code, name,")
    assert Enterprise.objects.count() == 4


def test_a_column_given_twice_is_refused(liaoning, tmp_path):
    path = write_xlsx(
        tmp_path / "enterprises.xlsx", [[*HEADER, "企业名称"], [*row(1).values(), "又一个名称"]]
    )

    error = only_error(enterprises_import(path=path).errors)

    assert (error.line, error.message) == (1, "Column(s) given more than once: name.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "The file is empty: its first row should name the columns.", id="empty"),
        pytest.param(
            ",".join(HEADER) + "\n\n",
            "The file has no enterprises: there is no row under the header.",
            id="header only",
        ),
    ],
)
def test_a_file_without_enterprises_is_an_error(liaoning, tmp_path, content, message):
    path = tmp_path / "enterprises.csv"
    path.write_text(content, encoding="utf-8")

    error = only_error(enterprises_import(path=path).errors)

    assert (error.line, error.message) == (1, message)


def test_an_unsupported_file_type_raises_an_import_file_error(liaoning, tmp_path):
    path = tmp_path / "enterprises.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(ImportFileError, match=r"Cannot import a \.xls file; use \.xlsx or \.csv\."):
        enterprises_import(path=path)


def test_a_damaged_workbook_raises_an_import_file_error(liaoning, tmp_path):
    path = tmp_path / "enterprises.xlsx"
    path.write_bytes(b"this is not a zip archive")

    with pytest.raises(ImportFileError, match=r"is not a readable \.xlsx workbook"):
        enterprises_import(path=path)


def test_a_concurrent_import_of_the_same_code_rolls_back_and_names_the_line(liaoning, tmp_path, monkeypatch):
    # Another import registers the code after this one's check: the database constraint has the last word.
    monkeypatch.setattr(EnterpriseImportForm, "validate_unique", lambda form: None)
    registered = liaoning.enterprises["xigang"].credit_code

    errors = import_rows(tmp_path, row(1), row(2, credit_code=registered))

    error = only_error(errors)
    assert (error.line, error.field) == (3, "credit_code")
    assert "registered while the file was being imported" in error.message
    assert Enterprise.objects.count() == 4


def test_the_command_imports_a_file_and_says_how_many(liaoning, tmp_path):
    path = write_csv(tmp_path / "enterprises.csv", [row(1), row(2)])
    stdout = io.StringIO()

    call_command("import_enterprises", str(path), stdout=stdout)

    assert stdout.getvalue().strip() == "Imported 2 enterprises."
    assert Enterprise.objects.count() == 6


def test_the_command_lists_every_bad_row_and_fails(liaoning, tmp_path):
    path = write_csv(
        tmp_path / "enterprises.csv",
        [row(1), row(2, region_code="210100"), row(3), row(4, sector="fishing", risk_colour="purple")],
    )
    stderr = io.StringIO()

    with pytest.raises(CommandError, match=r"^Nothing was imported: 2 rows have errors\.$"):
        call_command("import_enterprises", str(path), stdout=io.StringIO(), stderr=stderr)

    lines = stderr.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "line 3, region_code",
        "line 5, sector",
        "line 5, risk_colour",
    ]
    assert lines[2] == "line 5, risk_colour: Unknown risk colour purple; use red, orange, yellow or blue."
    assert Enterprise.objects.count() == 4


def test_the_command_fails_on_a_missing_file(liaoning, tmp_path):
    with pytest.raises(CommandError, match=r"There is no file .*missing\.csv"):
        call_command("import_enterprises", str(tmp_path / "missing.csv"))
