"""The hazard list and home by role, their query counts, logging variants, the order, duplicate photos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import (
    EvidenceStage,
    Hazard,
    HazardSource,
    HazardStatus,
)
from hazards.selectors.hazards import PAGE_SIZE
from tests.factories import in_status, major_criterion, pdf_upload, photo_upload
from tests.hazards import helpers
from tests.hazards.helpers import DAY, EN, TODAY, new_hazard_data, store


def numbers_in(response) -> list[str]:
    return [hazard.number for hazard in response.context["page"].object_list]


# --- The list by role --------------------------------------------------------------------------------


def test_an_enterprise_sees_its_to_do_overdue_first_and_can_see_all_its_hazards(
    client, make_hazard, cast, liaoning
):
    later = make_hazard(deadline=TODAY() + 20 * DAY)
    overdue = make_hazard(deadline=TODAY() - 3 * DAY)
    soon = make_hazard(deadline=TODAY() + 2 * DAY)
    closed = make_hazard(closed=True)
    make_hazard(enterprise=liaoning.enterprises["shenhe"])  # a neighbour's
    client.force_login(cast.heping_staff)
    response = client.get(reverse("hazard_list"), **EN)
    assert response.status_code == 200
    assert numbers_in(response) == [overdue.number, soon.number, later.number]
    text = response.content.decode()
    assert "Overdue" in text
    all_numbers = numbers_in(client.get(reverse("hazard_list"), {"status": "all"}))
    assert set(all_numbers) == {later.number, overdue.number, soon.number, closed.number}


def test_an_inspector_sees_what_awaits_review_first_then_the_open_hazards_of_the_region(
    client, make_hazard, cast, liaoning
):
    open_hazard = make_hazard()
    submitted = make_hazard(submitted=True)
    make_hazard(closed=True)
    make_hazard(enterprise=liaoning.enterprises["shenhe"], submitted=True)  # another county
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("hazard_list"))
    assert numbers_in(response) == [submitted.number, open_hazard.number]


def test_a_supervisor_sees_every_hazard_of_the_region_and_filters_by_status(
    client, make_hazard, cast, liaoning
):
    heping = make_hazard()
    shenhe = make_hazard(enterprise=liaoning.enterprises["shenhe"], closed=True)
    make_hazard(of_another_region=True)  # Dalian
    client.force_login(cast.shenyang_supervisor)
    assert set(numbers_in(client.get(reverse("hazard_list")))) == {heping.number, shenhe.number}
    assert numbers_in(client.get(reverse("hazard_list"), {"status": "closed"})) == [shenhe.number]
    assert numbers_in(client.get(reverse("hazard_list"), {"status": "open"})) == [heping.number]


def test_the_overdue_filter_and_an_unknown_filter(client, make_hazard, cast):
    overdue = make_hazard(overdue=True)
    make_hazard()
    client.force_login(cast.shenyang_supervisor)
    assert numbers_in(client.get(reverse("hazard_list"), {"status": "overdue"})) == [overdue.number]
    response = client.get(reverse("hazard_list"), {"status": "nonsense"})
    assert response.status_code == 200 and len(numbers_in(response)) == 2


def test_the_list_shows_the_columns_and_highlights_a_major_hazard(client, make_hazard, cast, liaoning):
    major = make_hazard(major=True, overdue=True, description="Tailings dam too high")
    client.force_login(cast.shenyang_supervisor)
    text = client.get(reverse("hazard_list"), **EN).content.decode()
    for expected in (
        major.number,
        "和平区燃气有限公司",
        "Tailings dam too high",
        f"{major.deadline:%Y-%m-%d}",
        "Overdue",
        "To rectify",
        "hazard-major",
        reverse("hazard_detail", args=[major.pk]),
    ):
        assert expected in text


def test_the_list_is_paginated(client, make_hazard, cast):
    for _ in range(PAGE_SIZE + 5):
        make_hazard()
    client.force_login(cast.shenyang_supervisor)
    assert len(numbers_in(client.get(reverse("hazard_list")))) == PAGE_SIZE
    response = client.get(reverse("hazard_list"), {"status": "all", "page": 2})
    assert len(numbers_in(response)) == 5
    assert "Page 2 of 2" in client.get(reverse("hazard_list"), {"page": 2}, **EN).content.decode()


@pytest.mark.parametrize("who", ["heping_staff", "heping_inspector", "shenyang_supervisor"])
def test_the_list_page_takes_as_many_queries_for_thirty_hazards_as_for_one(client, make_hazard, cast, who):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("hazard_list"), {"status": "all"}).status_code == 200
        return len(captured)

    client.force_login(getattr(cast, who))
    make_hazard(major=True)
    few = queries()
    for index in range(29):
        make_hazard(**in_status([HazardStatus.OPEN, HazardStatus.SUBMITTED, HazardStatus.CLOSED][index % 3]))
    assert queries() == few


def test_the_hazard_page_takes_a_bounded_number_of_queries(
    client, make_hazard, cast, evidence_root, django_assert_max_num_queries
):
    hazard = make_hazard(major=True, submitted=True)
    for seed in range(4):
        store(hazard, cast.heping_inspector, EvidenceStage.FOUND, photo_upload(seed=seed))
    client.force_login(cast.heping_inspector)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("hazard_detail", args=[hazard.pk])).status_code == 200


# --- The home page ------------------------------------------------------------------------------------


def test_an_enterprise_home_shows_its_to_do_overdue_first(client, make_hazard, cast):
    overdue = make_hazard(overdue=True)
    later = make_hazard(deadline=TODAY() + 9 * DAY)
    make_hazard(submitted=True)
    client.force_login(cast.heping_staff)
    response = client.get(reverse("home"), **EN)
    text = response.content.decode()
    assert "Welcome, 张安全" in text
    assert [h.number for h in response.context["summary"].hazards] == [overdue.number, later.number]
    assert text.index(overdue.number) < text.index(later.number)
    assert reverse("hazard_list") in text


def test_an_enterprise_home_lists_ten_hazards_at_most(client, make_hazard, cast):
    for _ in range(12):
        make_hazard()
    client.force_login(cast.heping_staff)
    summary = client.get(reverse("home")).context["summary"]
    assert len(summary.hazards) == 10 and summary.total == 12


def test_an_inspector_home_shows_what_awaits_review_and_the_log_button(client, make_hazard, cast, liaoning):
    submitted = make_hazard(submitted=True)
    open_hazard = make_hazard()
    elsewhere = make_hazard(of_another_region=True, submitted=True)
    client.force_login(cast.heping_inspector)
    text = client.get(reverse("home"), **EN).content.decode()
    assert "Welcome, inspector 李检查" in text
    assert submitted.number in text
    assert open_hazard.number not in text and elsewhere.number not in text
    assert f'href="{reverse("hazard_new")}"' in text and "Log a hazard" in text


def test_a_supervisor_home_counts_the_regions_hazards(client, make_hazard, cast, liaoning):
    make_hazard()
    make_hazard(overdue=True)
    make_hazard(major=True, submitted=True, listed=True)
    make_hazard(major=True, closed=True)
    make_hazard(of_another_region=True, overdue=True)  # Dalian
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("home"), **EN)
    assert response.context["summary"].counts == {"open": 2, "overdue": 1, "major": 1, "listed": 1}
    assert "Welcome, supervisor 王监管" in response.content.decode()


def test_the_navigation_offers_logging_to_inspectors_and_enterprises_only(client, cast):
    for user, offered in (
        (cast.heping_inspector, True),
        (cast.heping_staff, True),
        (cast.shenyang_supervisor, False),
    ):
        client.force_login(user)
        text = client.get(reverse("home"), **EN).content.decode()
        assert f'href="{reverse("hazard_list")}"' in text
        assert (f'href="{reverse("hazard_new")}"' in text) is offered


# --- Logging variants ---------------------------------------------------------------------------------


def test_an_enterprise_logs_a_self_inspection_hazard_at_itself(client, cast, liaoning):
    client.force_login(cast.heping_staff)
    page = client.get(reverse("hazard_new"), **EN).content.decode()
    assert 'name="enterprise"' not in page and 'name="source"' not in page
    assert 'name="fixed_on_spot"' not in page
    data = new_hazard_data(liaoning.enterprises["shenhe"], source="government_inspection", fixed_on_spot="on")
    response = client.post(reverse("hazard_new"), data)
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.enterprise == liaoning.enterprises["heping"]
    assert hazard.source == HazardSource.SELF_INSPECTION
    assert hazard.status == HazardStatus.OPEN and not hazard.fixed_on_spot


def test_the_inspectors_form_offers_the_regions_enterprises_and_the_camera(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("hazard_new"), **EN)
    form = response.context["form"]
    assert list(form.fields["enterprise"].queryset) == [liaoning.enterprises["heping"]]
    assert {value for value, _label in form.fields["source"].choices} == {
        "government_inspection",
        "special_campaign",
        "report",
    }
    text = response.content.decode()
    assert 'enctype="multipart/form-data"' in text
    assert 'accept="image/*"' in text and 'capture="environment"' in text and "multiple" in text


def test_an_inspector_logs_a_major_hazard_with_its_criterion_and_two_photos(
    client, cast, liaoning, evidence_root
):
    criterion = major_criterion()
    client.force_login(cast.heping_inspector)
    data = new_hazard_data(
        liaoning.enterprises["heping"],
        level="major",
        criterion=criterion.pk,
        source="special_campaign",
        deadline=(TODAY() + 60 * DAY).isoformat(),
    )
    response = client.post(
        reverse("hazard_new"),
        {**data, "photos": [photo_upload("a.jpg", seed=1), photo_upload("b.jpg", seed=2)]},
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.is_major and hazard.criterion == criterion and hazard.deadline == TODAY() + 60 * DAY
    assert hazard.evidence.filter(stage=EvidenceStage.FOUND).count() == 2
    page = client.get(response.url, **EN).content.decode()
    assert criterion.text[:20] in page and "Special campaign" in page


def test_a_hazard_fixed_on_the_spot_is_closed_at_once_with_its_after_photo(
    client, cast, liaoning, evidence_root
):
    client.force_login(cast.heping_inspector)
    data = new_hazard_data(liaoning.enterprises["heping"], fixed_on_spot="on")
    response = client.post(
        reverse("hazard_new"),
        {**data, "photos": [photo_upload(seed=1)], "after_photos": [photo_upload("after.jpg", seed=2)]},
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.status == HazardStatus.CLOSED and hazard.fixed_on_spot
    assert hazard.evidence.filter(stage=EvidenceStage.RECTIFIED).count() == 1


def test_fixed_on_the_spot_without_an_after_photo_is_refused_in_place(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    data = new_hazard_data(liaoning.enterprises["heping"], fixed_on_spot="on")
    response = client.post(reverse("hazard_new"), data, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "A hazard fixed on the spot needs a photo after the fix."
        in text[text.index('id="field-after_photos"') :]
    )
    assert not Hazard.objects.exists()


# --- Evidence on the hazard page ------------------------------------------------------------------------


def test_the_upload_form_offers_each_role_its_stages(client, make_hazard, cast):
    hazard = make_hazard()
    client.force_login(cast.heping_staff)
    form = client.get(reverse("hazard_detail", args=[hazard.pk])).context["upload_form"]
    assert [value for value, _label in form.fields["stage"].choices] == ["rectified", "assessment"]
    client.force_login(cast.heping_inspector)
    form = client.get(reverse("hazard_detail", args=[hazard.pk])).context["upload_form"]
    assert [value for value, _label in form.fields["stage"].choices] == ["found"]


def test_photos_are_shown_before_and_after_and_documents_listed(client, make_hazard, cast, evidence_root):
    hazard = make_hazard()
    found = store(hazard, cast.heping_inspector, EvidenceStage.FOUND, photo_upload(seed=1))
    after = store(hazard, cast.heping_staff, EvidenceStage.RECTIFIED, photo_upload(seed=2))
    document = store(hazard, cast.heping_staff, EvidenceStage.ASSESSMENT, pdf_upload())
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
    evidence = response.context["evidence"]
    assert evidence.found == [found] and evidence.rectified == [after] and evidence.documents == [document]
    text = response.content.decode()
    assert text.index("As found") < text.index(reverse("evidence_thumbnail", args=[hazard.pk, found.pk]))
    assert text.index("After rectification") < text.index(
        reverse("evidence_thumbnail", args=[hazard.pk, after.pk])
    )
    assert reverse("evidence_download", args=[hazard.pk, document.pk]) in text and "assessment.pdf" in text


def test_the_inspector_reviewing_is_warned_of_a_photo_used_on_another_hazard(
    client, make_hazard, cast, liaoning, evidence_root
):
    earlier = make_hazard(of_another_region=True, closed=True)
    reused = store(earlier, cast.zhongshan_inspector, EvidenceStage.RECTIFIED, photo_upload(seed=7))
    hazard = make_hazard(submitted=True)
    mine = store(hazard, cast.heping_staff, EvidenceStage.RECTIFIED, photo_upload("same.jpg", seed=7))
    store(hazard, cast.heping_inspector, EvidenceStage.FOUND, photo_upload(seed=8))

    client.force_login(cast.heping_inspector)
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    warning = text[text.index('data-testid="duplicate-photos"') :]
    assert "These photos also appear on other hazards" in warning
    assert reverse("evidence_thumbnail", args=[hazard.pk, mine.pk]) in warning
    assert reverse("evidence_duplicate_thumbnail", args=[hazard.pk, mine.pk, reused.pk]) in warning
    assert earlier.number in warning

    # The enterprise is not shown the other hazard.
    client.force_login(cast.heping_staff)
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert 'data-testid="duplicate-photos"' not in text and earlier.number not in text


# --- The rectification order ----------------------------------------------------------------------------


def test_the_rectification_order_is_printable_with_the_number_enterprise_and_issuer(
    client, make_hazard, cast, liaoning
):
    hazard = make_hazard(major=True, description="No gas leak detection")
    client.force_login(cast.heping_staff)
    response = client.get(reverse("hazard_order", args=[hazard.pk]), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    enterprise = liaoning.enterprises["heping"]
    for expected in (
        "Rectification order",
        hazard.number,
        enterprise.name,
        enterprise.credit_code,
        "No gas leak detection",
        hazard.location,
        hazard.measures,
        "Major",
        f"{hazard.deadline:%Y-%m-%d}",
        "和平区 Emergency Management Bureau",
        "data-print",
    ):
        assert expected in text
    assert 'class="d-flex flex-wrap gap-2 mb-3 no-print"' in text


def test_a_self_inspection_order_is_issued_in_the_enterprises_county(client, make_hazard, cast):
    hazard = make_hazard(found_by=cast.heping_staff, source=HazardSource.SELF_INSPECTION)
    client.force_login(cast.heping_inspector)
    text = client.get(reverse("hazard_order", args=[hazard.pk]), **EN).content.decode()
    assert "和平区 Emergency Management Bureau" in text
    text = client.get(
        reverse("hazard_order", args=[hazard.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "和平区应急管理局" in text and "隐患整改通知书" in text


def test_a_disguised_photo_is_refused_on_the_photos_field(client, cast, liaoning, evidence_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    client.force_login(cast.heping_inspector)
    data = new_hazard_data(liaoning.enterprises["heping"])
    response = client.post(reverse("hazard_new"), {**data, "photos": [photo_upload(seed=1), fake]}, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    photos = text[text.index('id="field-photos"') : text.index('id="field-fixed_on_spot"')]
    assert 'data-testid="field-error"' in photos
    assert not Hazard.objects.exists()


def test_an_administrator_sees_every_hazard_and_is_offered_no_action(client, make_hazard, liaoning, cast):
    heping = make_hazard()
    dalian = make_hazard(of_another_region=True)
    client.force_login(cast.admin)
    assert set(numbers_in(client.get(reverse("hazard_list")))) == {heping.number, dalian.number}
    text = client.get(reverse("hazard_detail", args=[dalian.pk])).content.decode()
    assert helpers.offered(text, dalian) == set()
    assert client.get(reverse("hazard_new")).status_code == 403
