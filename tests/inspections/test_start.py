"""Starting an inspection: the enterprise found by name or credit code, the start form, and its rules."""

from django.urls import reverse

from hazards.models import Enterprise
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, Inspection, InspectionKind
from inspections.selectors.inspections import default_checklist
from tests.factories import EnterpriseFactory, sector
from tests.inspections.helpers import EN


def result_names(response) -> list[str]:
    return [enterprise.name for enterprise in response.context["results"]]


def test_an_inspector_finds_the_enterprise_by_part_of_its_name(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_new"), {"q": "和平"}, **EN)
    assert response.status_code == 200
    assert result_names(response) == ["和平区燃气有限公司"]
    enterprise = liaoning.enterprises["heping"]
    text = response.content.decode()
    assert f'href="?enterprise={enterprise.pk}"' in text and enterprise.credit_code in text


def test_an_inspector_finds_the_enterprise_by_its_credit_code_in_any_case(client, cast, enterprise):
    client.force_login(cast.heping_inspector)
    for query in (enterprise.credit_code, enterprise.credit_code[-8:].lower()):
        assert result_names(client.get(reverse("inspection_new"), {"q": query})) == [enterprise.name]


def test_the_search_finds_only_enterprises_of_the_inspectors_region(client, cast):
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_new"), {"q": "燃气有限公司"}, **EN)
    assert result_names(response) == ["和平区燃气有限公司"]  # 沈河区 is another county
    response = client.get(reverse("inspection_new"), {"q": "没有这家"}, **EN)
    assert result_names(response) == []
    assert "No enterprise in your scope matches “没有这家”." in response.content.decode()


def test_choosing_the_enterprise_shows_the_start_form_with_its_sectors_checklist(
    client, cast, enterprise, checklist
):
    cast.present("co_inspector", "zhongshan_inspector")  # a colleague, and an inspector of another region
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_new"), {"enterprise": enterprise.pk}, **EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["checklist"].initial == default_checklist(enterprise)
    assert default_checklist(enterprise).sector == enterprise.sector
    assert checklist in form.fields["checklist"].queryset
    kinds = {value for value, _label in form.fields["kind"].choices}
    assert kinds == set(InspectionKind.values) - {InspectionKind.SELF_INSPECTION}
    # Inspectors of the region may join; not the inspector himself, nor one of another region.
    assert list(form.fields["co_inspectors"].queryset) == [cast.co_inspector]
    text = response.content.decode()
    assert enterprise.name in text and enterprise.credit_code in text
    assert f'action="{reverse("inspection_new")}?enterprise={enterprise.pk}"' in text


def test_an_inspector_starts_an_inspection_with_a_co_inspector_and_lands_on_its_checklist(
    client, cast, enterprise, checklist
):
    client.force_login(cast.heping_inspector)
    response = client.post(
        f"{reverse('inspection_new')}?enterprise={enterprise.pk}",
        {
            "kind": InspectionKind.SPECIAL_CAMPAIGN,
            "checklist": checklist.pk,
            "co_inspectors": [cast.co_inspector.pk],
            "notes": "  Winter campaign  ",
        },
        **EN,
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert response.url == reverse("inspection_detail", args=[inspection.pk])
    assert inspection.enterprise == enterprise and inspection.kind == InspectionKind.SPECIAL_CAMPAIGN
    assert inspection.checklist == checklist.current_version()
    assert set(inspection.inspectors.all()) == {cast.heping_inspector, cast.co_inspector}
    assert inspection.notes == "Winter campaign" and inspection.started_by == cast.heping_inspector
    page = client.get(response.url, **EN).content.decode()
    assert "The inspection of 和平区燃气有限公司 is started." in page


def test_a_co_inspector_of_another_region_is_refused_in_place(client, cast, enterprise, checklist):
    client.force_login(cast.heping_inspector)
    response = client.post(
        f"{reverse('inspection_new')}?enterprise={enterprise.pk}",
        {"kind": "routine", "checklist": checklist.pk, "co_inspectors": [cast.zhongshan_inspector.pk]},
        **EN,
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select a valid choice" in text[text.index('id="field-co_inspectors"') :]
    assert not Inspection.objects.exists()


def test_without_a_checklist_for_the_sector_the_start_is_refused_on_the_checklist(client, cast, liaoning):
    road = sector("road-transport")
    for template in ChecklistTemplate.objects.filter(sector=road):
        ChecklistItem.objects.filter(version__template=template).delete()
        ChecklistVersion.objects.filter(template=template).delete()
        template.delete()
    haulier = EnterpriseFactory(region=liaoning.counties["heping"], sector=road, name="和平运输公司")
    client.force_login(cast.heping_inspector)
    response = client.post(
        f"{reverse('inspection_new')}?enterprise={haulier.pk}", {"kind": "routine", "checklist": ""}, **EN
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a checklist." in text[text.index('id="field-checklist"') :]
    assert not Inspection.objects.exists()


def test_starting_at_an_enterprise_outside_the_scope_is_not_found(client, cast, liaoning, checklist):
    client.force_login(cast.heping_inspector)
    outside = liaoning.enterprises["shenhe"]
    url = f"{reverse('inspection_new')}?enterprise={outside.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "routine", "checklist": checklist.pk}).status_code == 404
    assert client.get(f"{reverse('inspection_new')}?enterprise=nonsense").status_code == 404
    assert client.post(reverse("inspection_new"), {"kind": "routine"}).status_code == 404
    assert not Inspection.objects.exists()


def test_an_enterprise_starts_its_self_inspection_with_the_kind_fixed(client, cast, enterprise, checklist):
    client.force_login(cast.heping_staff)
    response = client.get(reverse("inspection_new"), **EN)
    assert response.status_code == 200
    assert response.context["enterprise"] == enterprise
    text = response.content.decode()
    assert 'name="kind"' not in text and 'name="co_inspectors"' not in text
    assert "Enterprise self-inspection" in text[text.index('data-testid="fixed-kind"') :]
    # A kind posted anyway changes nothing: an enterprise runs self-inspections.
    response = client.post(
        f"{reverse('inspection_new')}?enterprise={enterprise.pk}",
        {"kind": InspectionKind.ROUTINE, "checklist": checklist.pk},
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.kind == InspectionKind.SELF_INSPECTION
    assert list(inspection.inspectors.all()) == [cast.heping_staff]


def test_an_enterprise_cannot_start_at_another_enterprise(client, cast, liaoning, checklist):
    client.force_login(cast.heping_staff)
    other: Enterprise = liaoning.enterprises["shenhe"]
    url = f"{reverse('inspection_new')}?enterprise={other.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"checklist": checklist.pk}).status_code == 404
    assert not Inspection.objects.exists()


def test_the_navigation_offers_inspections_to_inspectors_and_enterprises(client, cast):
    for user, offered in (
        (cast.heping_inspector, True),
        (cast.heping_staff, True),
        (cast.shenyang_supervisor, False),
    ):
        client.force_login(user)
        text = client.get(reverse("home"), **EN).content.decode()
        assert (f'href="{reverse("inspection_list")}"' in text) is offered
