"""From the dashboard to an export, on a desktop: the overdue hazards of a child region.

A supervisor opens the dashboard, clicks the overdue count of a child region, lands on that filtered ledger
and exports it; the dashboard also fits a phone without sideways scrolling.
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from hazards.models import Hazard, User

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
CITY = "210100"  # 沈阳市, a child of the supervisor's 辽宁省


@pytest.fixture
def overdue_numbers(demo) -> list[str]:
    """The numbers of the city's overdue hazards the supervisor sees, in the ledger's order (by deadline)."""
    supervisor = User.objects.get(username="supervisor")
    numbers = list(
        Hazard.objects.visible_to(supervisor)
        .overdue()
        .filter(region__code__startswith=CITY[:4])
        .order_by("deadline", "id")
        .values_list("number", flat=True)
    )
    assert numbers, "the demo data should have overdue hazards in 沈阳市"
    return numbers


def ledger_numbers(page: Page) -> list[str]:
    """The hazard numbers of the desktop ledger, following its pages to the last."""
    numbers = []
    while True:
        rows = page.get_by_test_id("hazard-table").locator("tbody tr td:first-child")
        numbers += [text.strip() for text in rows.all_inner_texts()]
        next_link = page.locator("ul.pagination li:last-child a.page-link")
        if next_link.count() == 0:
            return numbers
        current = page.url
        next_link.click()
        expect(page).not_to_have_url(current)


def export_link(page: Page, path: str):
    return page.get_by_test_id("ledger-exports").locator(f"a[href^='{path}?']")


def test_a_supervisor_follows_a_regions_overdue_count_to_its_ledger_and_export(
    new_page, log_in, overdue_numbers
):
    page = new_page(viewport=DESKTOP)
    log_in(page, "supervisor")
    page.goto("/dashboard/")

    # The by-region table: 沈阳市's overdue count, a link to the ledger filtered to it.
    row = page.get_by_test_id("by-region").get_by_test_id(f"row-{CITY}")
    expect(row.locator("th")).to_contain_text("沈阳市")
    overdue = row.locator("td").nth(1).locator("a")
    expect(overdue).to_have_text(str(len(overdue_numbers)))
    overdue.click()
    expect(page).to_have_url(re.compile(r"/hazards/\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["region"] == [CITY]
    assert query["overdue"] == ["true"]

    # The ledger shows exactly those hazards, in the order of their deadlines.
    assert ledger_numbers(page) == overdue_numbers

    # Both exports carry the ledger's filters (never its page) and hold the same hazards.
    for path in ("/hazards/export.csv", "/hazards/export.xlsx"):
        href = export_link(page, path).get_attribute("href")
        assert parse_qs(urlsplit(href).query) == query
    with page.expect_download() as csv_download:
        export_link(page, "/hazards/export.csv").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    content = csv_download.value.path().read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert [row[0] for row in rows[1:]] == overdue_numbers

    with page.expect_download() as xlsx_download:
        export_link(page, "/hazards/export.xlsx").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True)
    sheet = workbook.active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == overdue_numbers


def test_the_dashboard_fits_a_phone(page, log_in):
    log_in(page, "supervisor")
    page.goto("/dashboard/")
    expect(page.get_by_test_id("by-region").get_by_test_id(f"row-{CITY}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
