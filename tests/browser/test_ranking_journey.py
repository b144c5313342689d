"""A supervisor opens the draft ranking of the quarter, reads an entry's explanation, and publishes it."""

import pytest
from playwright.sync_api import expect

from hazards.lib.calendar import quarter_of
from hazards.models import RankingRun

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_a_supervisor_reads_an_explanation_and_publishes_the_draft(new_page, log_in):
    from django.utils import timezone

    year, quarter = quarter_of(timezone.localdate())
    draft = RankingRun.objects.get(year=year, quarter=quarter, published_at__isnull=True)
    page = new_page(viewport=DESKTOP, locale="en-US")
    log_in(page, "supervisor")

    page.get_by_test_id("rankings-link").click()
    page.get_by_test_id(f"run-{draft.pk}").click()
    expect(page.get_by_test_id("run-state")).to_have_text("Draft")

    first = draft.entries.filter(kind="region").order_by("rank", "id").first()
    entry = page.get_by_test_id(f"entry-{first.region.code}")
    explanation = entry.get_by_test_id("explanation")
    expect(explanation).to_be_hidden()
    entry.locator("summary").click()
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Rectification rate")
    expect(explanation.locator("tbody tr")).to_have_count(9)

    page.get_by_test_id("publish-form").get_by_role("button").click()
    expect(page.get_by_test_id("run-state")).to_contain_text("Published")
    expect(page.get_by_test_id("publish-form")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by.username == "supervisor"
