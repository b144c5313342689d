"""The ranking's configuration in the admin, and the beat task that drafts each quarter's rankings."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from hazards.lib.calendar import local_today, previous_quarter
from hazards.lib.ranking import indicators
from hazards.models import RankingConfiguration, RankingRun
from hazards.services.rankings.compute import ranking_compute
from hazards.tasks import compute_rankings

pytestmark = pytest.mark.django_db


def configuration_form(**changes) -> dict:
    form = {
        "weights": json.dumps({indicator.key: 1 for indicator in indicators()}),
        "prior_strength": "10",
        "list_size": "3",
        "accident_points": "5",
        "death_points": "10",
    }
    return {**form, **changes}


def change_url() -> str:
    return reverse("admin:hazards_rankingconfiguration_change", args=[RankingConfiguration.current().pk])


def test_an_administrator_changes_the_weights(client, cast):
    client.force_login(cast.admin)
    weights = {indicator.key: 1 for indicator in indicators()} | {"overdue_at_end": 3}
    response = client.post(change_url(), configuration_form(weights=json.dumps(weights)))
    assert response.status_code == 302
    assert RankingConfiguration.current().weights["overdue_at_end"] == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"weights": json.dumps({indicator.key: -1 for indicator in indicators()})},
            "a weight cannot be negative",
        ),
        ({"weights": json.dumps({indicator.key: 0 for indicator in indicators()})}, "at least one weight"),
        ({"weights": json.dumps({"luck": 1})}, "luck: not an indicator of the ranking"),
        ({"weights": "[1, 2]"}, "Give one weight for each indicator."),
        ({"prior_strength": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"list_size": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_weights_a_ranking_cannot_use_are_refused_in_the_admin(client, changes, message, cast):
    client.force_login(cast.admin)
    before = RankingConfiguration.current().weights
    response = client.post(change_url(), configuration_form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RankingConfiguration.current().weights == before


def test_there_is_one_configuration(client, cast):
    client.force_login(cast.admin)
    RankingConfiguration.current()
    assert client.get(reverse("admin:hazards_rankingconfiguration_add")).status_code == 403


def test_a_supervisor_cannot_change_the_configuration(client, liaoning, cast):
    client.force_login(cast.province_supervisor)
    assert client.get(change_url()).status_code == 302  # to the admin's login


def test_beat_drafts_the_rankings_after_the_quarter_and_keeps_a_published_one(liaoning):
    entry = settings.CELERY_BEAT_SCHEDULE["compute-rankings"]
    assert entry["task"] == "hazards.compute_rankings"
    assert (entry["schedule"].day_of_month, entry["schedule"].month_of_year) == ({1}, {1, 4, 7, 10})
    year, quarter = previous_quarter(local_today())
    published = ranking_compute(year=year, quarter=quarter, scope=liaoning.shenyang)
    RankingRun.objects.filter(pk=published.pk).update(published_at=published.computed_at)

    assert compute_rankings.apply().get() == 2  # the province and 大连市; 沈阳市 is published
    runs = RankingRun.objects.filter(year=year, quarter=quarter)
    assert {run.scope.code for run in runs} == {"210000", "210100", "210200"}
    assert RankingRun.objects.get(pk=published.pk).computed_at == published.computed_at
