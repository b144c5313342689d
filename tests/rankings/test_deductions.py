"""Supervisors enter the accidents and deaths of a quarter for a region of their scope, with the reason."""

import pytest
from django.urls import reverse

from hazards.models import RankingDeduction

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form(**changes) -> dict:
    return {
        "quarter": "2025Q3",
        "region": "210102",
        "accidents": "1",
        "deaths": "2",
        "reason": "较大事故",
        **changes,
    }


def test_a_supervisor_records_and_corrects_a_deduction(client, liaoning, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.post(reverse("ranking_deductions"), form(veto="on"))
    assert response.status_code == 302
    deduction = RankingDeduction.objects.get()
    assert (deduction.year, deduction.quarter, deduction.region.code) == (2025, 3, "210102")
    assert (deduction.accidents, deduction.deaths, deduction.veto, deduction.reason) == (
        1,
        2,
        True,
        "较大事故",
    )
    client.post(reverse("ranking_deductions"), form(deaths="3", reason="复核后更正"))
    deduction = RankingDeduction.objects.get()
    assert (deduction.deaths, deduction.veto, deduction.reason) == (3, False, "复核后更正")
    page = client.get(reverse("ranking_deductions"), **EN).content.decode()
    assert "复核后更正" in page and "1 accidents, 3 deaths" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "   "}, "reason", "This field is required."),
        ({"reason": ""}, "reason", "This field is required."),
        ({"quarter": "2025-3"}, "quarter", "Write the quarter as a year and its number, e.g. 2026Q3."),
        ({"quarter": "2999Q1"}, "quarter", "This quarter has not begun yet."),
        ({"region": "210202"}, "region", "Unknown region code, or a region outside your scope."),  # 大连
        ({"region": "abc"}, "region", "Unknown region code, or a region outside your scope."),
        ({"accidents": "-1"}, "accidents", "Ensure this value is greater than or equal to 0."),
        ({"deaths": "many"}, "deaths", "Enter a whole number."),
        ({"deaths": "20000"}, "deaths", "Enter a whole number from 0 to 10000."),
    ],
)
def test_a_bad_deduction_is_refused_in_place_and_nothing_recorded(
    client, liaoning, changes, field, message, cast
):
    client.force_login(cast.shenyang_supervisor)
    response = client.post(reverse("ranking_deductions"), form(**changes), **EN)
    assert response.status_code == 400
    assert message in response.content.decode().split(f'data-testid="error-{field}"')[1].split("</div>")[0]
    assert not RankingDeduction.objects.exists()


def test_a_province_is_not_ranked(client, liaoning, cast):
    client.force_login(cast.province_supervisor)
    response = client.post(reverse("ranking_deductions"), form(region="210000"), **EN)
    assert response.status_code == 400 and "A province is not ranked" in response.content.decode()


def test_only_supervisors_enter_deductions(client, liaoning, cast):
    client.force_login(cast.shenyang_inspector)
    assert client.post(reverse("ranking_deductions"), form()).status_code == 403
    client.force_login(cast.heping_staff)
    assert client.get(reverse("ranking_deductions")).status_code == 404
    assert not RankingDeduction.objects.exists()


def test_a_supervisor_sees_only_the_deductions_of_the_scope(client, liaoning, cast):
    client.force_login(cast.dalian_supervisor)
    client.post(reverse("ranking_deductions"), form(region="210202", reason="大连的事故"))
    client.force_login(cast.shenyang_supervisor)
    assert "大连的事故" not in client.get(reverse("ranking_deductions")).content.decode()


def test_the_service_itself_refuses_a_blank_reason(liaoning, cast):
    from hazards.lib.errors import RuleViolation
    from hazards.services.rankings.deductions import ranking_deduction_enter

    with pytest.raises(RuleViolation, match="Say what happened"):
        ranking_deduction_enter(
            actor=cast.shenyang_supervisor,
            quarter="2025Q3",
            region_code="210102",
            accidents=1,
            deaths=0,
            veto=False,
            reason=" \n ",
        )
    assert not RankingDeduction.objects.exists()
