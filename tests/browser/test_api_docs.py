"""Swagger UI at /api/docs/ works on a closed network: everything it loads comes from the portal."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_shows_the_api_with_nothing_from_outside(new_page, live_server, reference_data):
    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    outside = []

    def only_the_portal(route):
        if urlsplit(route.request.url).netloc != urlsplit(live_server.url).netloc:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_the_portal)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hazard rectification portal API")
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/hazards/{id}/verify/']")).to_be_visible()
    assert outside == []
