"""The hazard pages: errors shown in place with nothing changed, and whole flows through the pages."""

from django.urls import reverse

from hazards.models import EventKind, EvidenceStage, Hazard, HazardEvent, HazardStatus
from tests.factories import pdf_upload, photo_upload
from tests.hazards.helpers import (
    DAY,
    EN,
    TODAY,
    form_html,
    new_hazard_data,
    offered,
    snapshot,
    store,
    valid_data,
)

# --- Errors in place ------------------------------------------------------------------------------------


def test_sending_back_without_reasons_shows_the_error_on_the_reasons(client, make_hazard, cast):
    hazard = make_hazard(submitted=True)
    before = snapshot(hazard)
    client.force_login(cast.heping_inspector)
    url = reverse("hazard_send_back", args=[hazard.pk])
    response = client.post(url, {"reasons": "   "}, **EN)
    assert response.status_code == 400
    form = form_html(response.content.decode(), url)
    assert "Say why the rectification is sent back." in form
    assert 'aria-invalid="true"' in form
    assert snapshot(hazard) == before


def test_voiding_without_a_reason_shows_the_error_on_the_reason(client, make_hazard, cast):
    hazard = make_hazard()
    before = snapshot(hazard)
    client.force_login(cast.shenyang_supervisor)
    url = reverse("hazard_void", args=[hazard.pk])
    response = client.post(url, {"reason": ""}, **EN)
    assert response.status_code == 400
    assert "Say why the hazard is void." in form_html(response.content.decode(), url)
    assert snapshot(hazard) == before


def test_an_extension_not_later_than_the_deadline_is_refused_in_place(client, make_hazard, cast):
    hazard = make_hazard()
    before = snapshot(hazard)
    client.force_login(cast.heping_staff)
    url = reverse("hazard_extension_request", args=[hazard.pk])
    response = client.post(
        url, {"requested_deadline": hazard.deadline.isoformat(), "reasons": "More time"}, **EN
    )
    assert response.status_code == 400
    form = form_html(response.content.decode(), url)
    assert "Ask for a date after the current deadline" in form
    assert "More time" in form  # the bound form keeps what was typed
    assert snapshot(hazard) == before
    assert not hazard.extensions.exists()


def test_submitting_without_rectification_evidence_shows_why_above_the_form(client, make_hazard, cast):
    hazard = make_hazard()
    before = snapshot(hazard)
    client.force_login(cast.heping_staff)
    url = reverse("hazard_submit", args=[hazard.pk])
    response = client.post(url, {"comment": ""}, **EN)
    assert response.status_code == 400
    assert "Upload at least one photo or document of the rectification first." in form_html(
        response.content.decode(), url
    )
    assert snapshot(hazard) == before


def test_a_plan_with_a_missing_date_is_refused_by_the_form(client, make_hazard, cast):
    hazard = make_hazard(major=True)
    client.force_login(cast.heping_staff)
    url = reverse("hazard_plan", args=[hazard.pk])
    response = client.post(url, {**valid_data("hazard_plan"), "deadline": ""}, **EN)
    assert response.status_code == 400
    assert "This field is required." in form_html(response.content.decode(), url)
    assert not hasattr(Hazard.objects.get(pk=hazard.pk), "plan")


def test_verifying_a_major_hazard_without_the_on_site_review_is_refused_in_place(
    client, make_hazard, cast, evidence_root
):
    hazard = make_hazard(submitted=True, major=True)
    store(hazard, cast.heping_staff, EvidenceStage.ASSESSMENT, pdf_upload())
    before = snapshot(hazard)
    client.force_login(cast.heping_inspector)
    url = reverse("hazard_verify", args=[hazard.pk])
    response = client.post(url, {"comment": "ok"}, **EN)
    assert response.status_code == 400
    form = form_html(response.content.decode(), url)
    assert "Record the date of the on-site review of this major hazard." in form
    assert 'name="reviewed_on_site_on"' in form
    assert snapshot(hazard) == before


def test_logging_a_hazard_with_a_deadline_in_the_past_is_refused_in_place(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    yesterday = (TODAY() - DAY).isoformat()
    url = reverse("hazard_new")
    response = client.post(url, new_hazard_data(liaoning.enterprises["heping"], deadline=yesterday), **EN)
    assert response.status_code == 400
    text = response.content.decode()
    deadline_field = text[text.index('id="field-deadline"') : text.index('id="field-responsible_person"')]
    assert "The deadline cannot be in the past." in deadline_field
    assert "Gas alarm out of order" in text  # what was typed is kept
    assert not Hazard.objects.exists() and not HazardEvent.objects.exists()


def test_logging_a_major_hazard_without_a_criterion_is_refused_in_place(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    url = reverse("hazard_new")
    response = client.post(url, new_hazard_data(liaoning.enterprises["heping"], level="major"), **EN)
    assert response.status_code == 400
    text = response.content.decode()
    criterion_field = text[text.index('id="field-criterion"') : text.index('id="field-description"')]
    assert "A major hazard needs the criterion it matches." in criterion_field
    assert not Hazard.objects.exists()


def test_logging_a_hazard_without_a_description_names_the_field(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    response = client.post(
        reverse("hazard_new"), new_hazard_data(liaoning.enterprises["heping"], description=" "), **EN
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "This field is required."
        in text[text.index('id="field-description"') : text.index('id="field-location"')]
    )
    assert not Hazard.objects.exists()


# --- A whole flow through the pages ---------------------------------------------------------------------


def test_a_hazard_goes_from_logged_to_closed_through_the_pages(client, cast, liaoning, evidence_root):
    # The inspector logs the hazard on site with a photo.
    client.force_login(cast.heping_inspector)
    data = new_hazard_data(liaoning.enterprises["heping"])
    response = client.post(
        reverse("hazard_new"), {**data, "photos": [photo_upload("found.jpg", seed=1)]}, **EN
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert response.url == reverse("hazard_detail", args=[hazard.pk])
    assert hazard.status == HazardStatus.OPEN and hazard.found_by == cast.heping_inspector
    assert hazard.deadline == TODAY() + 30 * DAY  # the default for a general hazard
    found = hazard.evidence.get()
    assert found.stage == EvidenceStage.FOUND

    # The enterprise sees it in its to-do, uploads a photo of the rectification and submits.
    client.force_login(cast.heping_staff)
    assert hazard.number in client.get(reverse("hazard_list")).content.decode()
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]),
        {"file": photo_upload("fixed.jpg", seed=2), "stage": EvidenceStage.RECTIFIED},
    )
    assert response.status_code == 302
    page = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    after = hazard.evidence.get(stage=EvidenceStage.RECTIFIED)
    for item in (found, after):
        assert reverse("evidence_thumbnail", args=[hazard.pk, item.pk]) in page
        assert reverse("evidence_download", args=[hazard.pk, item.pk]) in page
    response = client.post(reverse("hazard_submit", args=[hazard.pk]), {"comment": "Replaced"}, **EN)
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED

    # The inspector finds it awaiting review and verifies it.
    client.force_login(cast.heping_inspector)
    assert hazard.number in client.get(reverse("home"), **EN).content.decode()
    response = client.post(reverse("hazard_verify", args=[hazard.pk]), {"comment": "Checked"}, **EN)
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED

    page = client.get(response.url, **EN).content.decode()
    assert "Verified: the hazard is closed." in page
    kinds = list(hazard.events.values_list("kind", flat=True))
    assert kinds == [EventKind.LOGGED, EventKind.EVIDENCE_ADDED, EventKind.SUBMITTED, EventKind.VERIFIED]
    timeline = page[page.index('data-testid="timeline"') :]
    positions = [
        timeline.index(label)
        for label in ("Logged", "Evidence added", "Submitted for verification", "Verified and closed")
    ]
    assert positions == sorted(positions)
    assert "Awaiting review → Closed" in timeline and "李检查" in timeline and "张安全" in timeline
    assert offered(page, hazard) == set()


def test_a_major_hazard_is_planned_suspended_listed_and_its_extension_approved(client, make_hazard, cast):
    hazard = make_hazard(major=True)
    original = hazard.deadline
    client.force_login(cast.heping_staff)
    assert client.post(reverse("hazard_plan", args=[hazard.pk]), valid_data("hazard_plan")).status_code == 302
    response = client.post(
        reverse("hazard_extension_request", args=[hazard.pk]), valid_data("hazard_extension_request")
    )
    assert response.status_code == 302
    # The plan form is prefilled to revise the plan.
    page = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert 'value="12000.50"' in form_html(page, reverse("hazard_plan", args=[hazard.pk]))

    client.force_login(cast.heping_inspector)
    assert (
        client.post(
            reverse("hazard_suspension", args=[hazard.pk]), valid_data("hazard_suspension")
        ).status_code
        == 302
    )
    response = client.post(
        reverse("hazard_extension_decide", args=[hazard.pk]), {"decision": "approve", "comment": "Fine"}
    )
    assert response.status_code == 302
    client.force_login(cast.shenyang_supervisor)
    assert (
        client.post(
            reverse("hazard_listing", args=[hazard.pk]), {"authority": "沈阳市应急管理局"}
        ).status_code
        == 302
    )

    hazard.refresh_from_db()
    assert hazard.deadline == TODAY() + 90 * DAY and hazard.original_deadline == original
    page = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    major = page[page.index('data-testid="major"') :]
    assert "12000.50" in major and "Evacuate" in major
    assert "Boiler room" in major and "until further notice" in major
    assert "Listed by 沈阳市应急管理局" in major
    assert f"the original deadline was {original:%Y-%m-%d}" in page
    assert "Approved" in page
    criterion = hazard.criterion
    assert f"{criterion.standard.number} {criterion.number}" in page
