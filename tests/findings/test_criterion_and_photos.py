"""The finding form of a checklist item tied to a major-hazard criterion: a general level drops the
criterion the form was prefilled with, and a refused form says which chosen files to choose again."""

from hazards.models import Hazard, HazardLevel
from tests.factories import photo_upload
from tests.findings.test_pages import field_html
from tests.inspections.conftest import items_of
from tests.inspections.helpers import EN, JSON, finding_data, finding_url


def test_a_finding_on_a_criterion_item_logged_as_general_drops_the_criterion(client, start, cast, clause):
    inspection = start()
    first = items_of(inspection)[0]
    assert first.clause == clause
    client.force_login(cast.heping_inspector)
    form = client.get(finding_url(inspection, first), **EN).content.decode()
    assert f'<option value="{clause.pk}" selected>' in field_html(form, "criterion")
    # The level changed to general; the hidden criterion list still holds the item's clause.
    response = client.post(finding_url(inspection, first), finding_data(criterion=clause.pk), **EN)
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.level == HazardLevel.GENERAL and hazard.criterion is None


def test_a_general_finding_drops_even_a_criterion_that_does_not_exist(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(criterion="999999"), **JSON)
    assert response.status_code == 201
    assert Hazard.objects.get().criterion is None


def test_a_major_finding_still_needs_a_valid_criterion(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(level="major", criterion="999999"), **JSON)
    assert response.status_code == 400 and "criterion" in response.json()["errors"]
    assert not Hazard.objects.exists()


def test_a_refused_finding_asks_to_choose_its_photos_again(client, start, cast, evidence_root):
    inspection = start()
    client.force_login(cast.heping_inspector)
    data = {**finding_data(description=" "), "photos": [photo_upload("leak.jpg")]}
    response = client.post(finding_url(inspection), data, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert "choose them again" in field_html(text, "photos")
    assert "choose them again" not in field_html(text, "after_photos")
    assert not Hazard.objects.exists()


def test_a_refused_finding_without_photos_asks_for_none(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(description=" "), **EN)
    assert response.status_code == 400
    assert 'data-testid="choose-again"' not in response.content.decode()
