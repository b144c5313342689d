"""An enterprise's self-inspection: started with the kind fixed, findings self-reported, no order issued."""

from django.urls import reverse

from hazards.models import Hazard, HazardSource
from inspections.models import Inspection, InspectionKind, InspectionStatus, RectificationOrder
from tests.inspections.conftest import items_of
from tests.inspections.helpers import EN, answer_url, finding_data, finding_url


def test_an_enterprise_runs_its_self_inspection_from_start_to_completion(
    client, cast, enterprise, checklist, evidence_root
):
    client.force_login(cast.heping_staff)
    response = client.post(
        f"{reverse('inspection_new')}?enterprise={enterprise.pk}", {"checklist": checklist.pk}
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.kind == InspectionKind.SELF_INSPECTION and inspection.started_by == cast.heping_staff
    first, second, third = items_of(inspection)

    assert client.post(answer_url(inspection, first), {"answer": "pass"}).status_code == 302
    response = client.post(answer_url(inspection, second), {"answer": "fail"})
    assert response.url == finding_url(inspection, second)
    page = client.get(response.url, **EN).content.decode()
    # Only an inspector closes a hazard fixed on the spot.
    assert 'name="fixed_on_spot"' not in page and 'name="after_photos"' not in page
    response = client.post(finding_url(inspection, second), finding_data())
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.source == HazardSource.SELF_INSPECTION and hazard.found_by == cast.heping_staff
    assert hazard.finding.inspection == inspection and hazard.finding.checklist_item == second
    assert client.post(answer_url(inspection, third), {"answer": "not_applicable"}).status_code == 302

    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    assert not RectificationOrder.objects.exists()
    text = client.get(response.url, **EN).content.decode()
    assert "The inspection is completed." in text
    assert "A self-inspection issues no rectification order" in text
    assert client.get(reverse("inspection_order", args=[inspection.pk])).status_code == 404


def test_the_regions_inspector_sees_a_self_inspection_but_does_not_work_on_it(client, start, cast):
    inspection = start(actor=cast.heping_staff, kind=InspectionKind.SELF_INSPECTION)
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN)
    assert response.status_code == 200
    assert "Enterprise self-inspection" in response.content.decode()
    assert client.post(answer_url(inspection, items_of(inspection)[0]), {"answer": "pass"}).status_code == 403
    assert not inspection.results.exists()
