"""An enterprise's page: its facts, its open, overdue and repeated hazards, its recent inspections."""

import datetime

from django.urls import reverse

from inspections.models import InspectionKind
from tests.factories import HazardFactory
from tests.inspections.conftest import items_of
from tests.inspections.helpers import EN

DAY = datetime.timedelta(days=1)


def test_the_enterprise_page_shows_who_it_is_and_its_hazards_at_a_glance(
    client, start, cast, enterprise, closed_hazard
):
    HazardFactory(enterprise=enterprise, found_by=cast.heping_inspector)
    overdue = HazardFactory(enterprise=enterprise, found_by=cast.heping_inspector, overdue=True)
    inspection = start()
    earlier = closed_hazard(items_of(inspection)[1], days_ago=20, inspection=inspection)
    HazardFactory(enterprise=enterprise, found_by=cast.heping_inspector, repeat_of=earlier)
    void_repeat = HazardFactory(
        enterprise=enterprise, found_by=cast.heping_inspector, repeat_of=earlier, void=True
    )
    self_inspection = start(actor=cast.heping_staff, kind=InspectionKind.SELF_INSPECTION)

    for user in (cast.heping_inspector, cast.shenyang_supervisor, cast.heping_staff):
        client.force_login(user)
        response = client.get(reverse("enterprise_detail", args=[enterprise.pk]), **EN)
        assert response.status_code == 200
        overview = response.context["overview"]
        [recent] = overview.parts["column"]
        assert overview.counts == {"open": 3, "overdue": 1, "repeats": 1}
        text = response.content.decode()
        for expected in (
            enterprise.name,
            enterprise.credit_code,
            "和平区",
            "Urban gas",
            "Yellow (general risk)",
            "Zhang San",
            "Operating",
            overdue.number,
            reverse("inspection_detail", args=[self_inspection.pk]),
        ):
            assert expected in text, expected
        assert void_repeat in overview.hazards
        assert '<div class="fs-3 text-danger" data-testid="count-overdue">1</div>' in text
    assert len(recent.context["inspections"]) == 2


def test_the_enterprise_page_takes_a_bounded_number_of_queries(
    client, start, cast, enterprise, django_assert_max_num_queries
):
    for _ in range(12):
        start()
        HazardFactory(enterprise=enterprise, found_by=cast.heping_inspector)
    client.force_login(cast.shenyang_supervisor)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("enterprise_detail", args=[enterprise.pk])).status_code == 200


def test_an_unknown_enterprise_is_not_found(client, cast):
    client.force_login(cast.heping_inspector)
    assert client.get(reverse("enterprise_detail", args=[10**8])).status_code == 404
