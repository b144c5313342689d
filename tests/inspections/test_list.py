"""The inspection list by role: today's first, an inspector's own or the region's, paginated, few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionKind
from inspections.selectors.inspections import PAGE_SIZE
from tests.factories import EnterpriseFactory
from tests.inspections.conftest import items_of, log_finding
from tests.inspections.helpers import EN

DAY = datetime.timedelta(days=1)


def listed(response) -> list:
    return list(response.context["page"].object_list)


def test_an_inspector_sees_the_inspections_taken_part_in_today_first_then_latest_first(client, start, cast):
    today = timezone.localdate()
    older = start(date=today - 9 * DAY)
    todays = start(date=today)
    joined = start(
        actor=cast.co_inspector, date=today - 2 * DAY, co_inspector_ids=(cast.heping_inspector.pk,)
    )
    start(actor=cast.co_inspector, date=today)  # a colleague's alone
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_list"), **EN)
    assert response.status_code == 200
    assert listed(response) == [todays, joined, older]
    text = response.content.decode()
    assert "Today" in text and "和平区燃气有限公司" in text and "0 of 3 items answered" in text


def test_an_inspector_can_list_every_inspection_of_the_region(client, start, cast, liaoning):
    mine = start()
    colleagues = start(actor=cast.co_inspector)
    elsewhere = start(actor=cast.zhongshan_inspector, enterprise_id=liaoning.enterprises["zhongshan"].pk)
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_list"), {"scope": "all"}, **EN)
    assert set(listed(response)) == {mine, colleagues}
    assert elsewhere not in listed(response)
    text = response.content.decode()
    assert 'href="?scope=mine"' in text and "All in the region" in text
    # An unknown filter falls back to the inspector's own.
    assert listed(client.get(reverse("inspection_list"), {"scope": "nonsense"})) == [mine]


def test_an_enterprise_sees_the_inspections_of_itself_only(client, start, cast, liaoning):
    by_inspector = start()
    self_inspection = start(actor=cast.heping_staff, kind=InspectionKind.SELF_INSPECTION)
    start(actor=cast.shenhe_staff, kind=InspectionKind.SELF_INSPECTION)
    client.force_login(cast.heping_staff)
    response = client.get(reverse("inspection_list"), **EN)
    assert set(listed(response)) == {by_inspector, self_inspection}
    assert "Enterprise self-inspection" in response.content.decode()
    assert 'href="?scope=' not in response.content.decode()


def test_a_supervisor_sees_every_inspection_of_the_region(client, start, cast, liaoning):
    heping = start()
    shenhe = start(actor=cast.shenhe_inspector, enterprise_id=liaoning.enterprises["shenhe"].pk)
    start(actor=cast.zhongshan_inspector, enterprise_id=liaoning.enterprises["zhongshan"].pk)
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("inspection_list"))
    assert set(listed(response)) == {heping, shenhe}
    assert f'href="{reverse("inspection_new")}"' not in response.content.decode()


def test_the_list_is_paginated(client, start, cast):
    for _ in range(PAGE_SIZE + 2):
        start()
    client.force_login(cast.heping_inspector)
    assert len(listed(client.get(reverse("inspection_list")))) == PAGE_SIZE
    response = client.get(reverse("inspection_list"), {"page": 2}, **EN)
    assert len(listed(response)) == 2
    assert "Page 2 of 2" in response.content.decode()


@pytest.mark.parametrize("who", ["heping_inspector", "heping_staff", "shenyang_supervisor"])
def test_the_list_takes_as_many_queries_for_twenty_inspections_as_for_one(
    client, start, cast, liaoning, who, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inspection_list")).status_code == 200
        return len(captured)

    client.force_login(getattr(cast, who))
    first = start()
    log_finding(first, cast.heping_inspector, items_of(first)[1])
    few = queries()
    for index in range(19):
        inspection = start(co_inspector_ids=(cast.co_inspector.pk,))
        if index % 2:
            log_finding(inspection, cast.heping_inspector)
    assert queries() == few
    with django_assert_max_num_queries(6):
        client.get(reverse("inspection_list"))


def test_the_list_counts_answers_and_findings_of_each_inspection(client, start, cast, liaoning):
    inspection = start()
    second = items_of(inspection)[1]
    log_finding(inspection, cast.heping_inspector, second)
    log_finding(inspection, cast.heping_inspector)
    other = EnterpriseFactory(region=liaoning.counties["heping"], name="和平区第二燃气公司")
    start(enterprise_id=other.pk)
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_list"), **EN)
    counts = {row.pk: (row.item_count, row.answered_count, row.finding_count) for row in listed(response)}
    assert counts[inspection.pk] == (3, 1, 2)  # item 2 failed with its finding; items 1 and 3 unanswered
    text = response.content.decode()
    assert "1 of 3 items answered" in text and "2 findings" in text
