"""The admin pages of the register: lists with filters and search, for administrators only."""

import pytest
from django.urls import reverse

from tests.factories import administrator, supervisor

MODELS = ["region", "sector", "enterprise", "user"]


@pytest.mark.parametrize("model", MODELS)
def test_an_administrator_lists_and_searches_each_model(client, liaoning, model):
    client.force_login(administrator())
    url = reverse(f"admin:hazards_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "和平"}).status_code == 200


def test_enterprises_are_filtered_by_risk_colour_and_found_by_credit_code(client, liaoning):
    client.force_login(administrator())
    url = reverse("admin:hazards_enterprise_changelist")
    heping = liaoning.enterprises["heping"]
    response = client.get(url, {"q": heping.credit_code})
    assert list(response.context["cl"].result_list) == [heping]
    response = client.get(url, {"risk_colour__exact": "red"})
    assert list(response.context["cl"].result_list) == []


def test_a_supervisor_cannot_open_the_admin(client, liaoning):
    client.force_login(supervisor(liaoning.shenyang))
    response = client.get(reverse("admin:hazards_enterprise_changelist"))
    assert response.status_code == 302
