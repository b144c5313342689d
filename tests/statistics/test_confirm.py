"""Confirming a report: the enterprise itself, once, with a name."""

import pytest

from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import QuarterlyStatistics
from hazards.services.statistics import quarterly_statistics_confirm, quarterly_statistics_generate
from tests.statistics.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(liaoning, quarter) -> QuarterlyStatistics:
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    return QuarterlyStatistics.objects.get(enterprise=liaoning.enterprises["heping"])


def test_it_records_the_name_the_user_and_the_time(report, cast):
    confirmed = quarterly_statistics_confirm(
        actor=cast.heping_staff, statistics_id=report.pk, principal_name="  张三 "
    )
    report.refresh_from_db()
    assert report.principal_name == "张三"
    assert report.confirmed_by == cast.heping_staff
    assert report.confirmed_at is not None and report.is_confirmed
    assert confirmed.pk == report.pk


def test_confirming_twice_is_refused_saying_when_and_by_whom(report, cast):
    quarterly_statistics_confirm(actor=cast.heping_staff, statistics_id=report.pk, principal_name="张三")
    with pytest.raises(RuleViolation) as refused:
        quarterly_statistics_confirm(actor=cast.heping_staff, statistics_id=report.pk, principal_name="李四")
    assert "already confirmed" in refused.value.message and "张三" in refused.value.message
    assert refused.value.field is None
    report.refresh_from_db()
    assert report.principal_name == "张三"


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused_on_its_field(report, cast, name):
    with pytest.raises(RuleViolation) as refused:
        quarterly_statistics_confirm(actor=cast.heping_staff, statistics_id=report.pk, principal_name=name)
    assert refused.value.field == "principal_name"
    report.refresh_from_db()
    assert not report.is_confirmed


def test_a_name_too_long_is_refused_on_its_field(report, cast):
    with pytest.raises(RuleViolation) as refused:
        quarterly_statistics_confirm(
            actor=cast.heping_staff, statistics_id=report.pk, principal_name="张" * 65
        )
    assert refused.value.field == "principal_name"


def test_another_enterprise_cannot_find_the_report(report, cast):
    with pytest.raises(QuarterlyStatistics.DoesNotExist):
        quarterly_statistics_confirm(actor=cast.xigang_staff, statistics_id=report.pk, principal_name="王五")


@pytest.mark.parametrize("who", ["heping_inspector", "shenyang_supervisor", "admin"])
def test_the_authorities_see_the_report_but_do_not_confirm_it(report, cast, who):
    with pytest.raises(ActionNotPermitted):
        quarterly_statistics_confirm(actor=getattr(cast, who), statistics_id=report.pk, principal_name="王五")
    report.refresh_from_db()
    assert not report.is_confirmed


def test_a_dalian_supervisor_cannot_find_a_shenyang_report(report, cast):
    with pytest.raises(QuarterlyStatistics.DoesNotExist):
        quarterly_statistics_confirm(
            actor=cast.dalian_supervisor, statistics_id=report.pk, principal_name="王五"
        )
