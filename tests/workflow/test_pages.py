"""The hazard pages: scope on every view, the actions offered exactly, and forbidden actions refused."""

import pytest
from django.urls import reverse

from hazards.models import Hazard, HazardLevel, HazardStatus
from tests.factories import in_status
from tests.hazards.helpers import ACTION_URLS, EN, form_html, offered, snapshot, valid_data

# --- Scope: every view, every outsider -------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_from_every_hazard_page(client, make_hazard):
    hazard = make_hazard()
    urls = [reverse("hazard_list"), reverse("hazard_new")]
    urls += [reverse(name, args=[hazard.pk]) for name in ["hazard_detail", "hazard_order"]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    page = reverse("hazard_detail", args=[hazard.pk])
    for name in ACTION_URLS:
        # Opened, an action URL answers with the hazard's page (which asks to log in); posted, the login
        # returns to the hazard's page, not to the action.
        assert client.get(reverse(name, args=[hazard.pk])).url == page, name
        response = client.post(reverse(name, args=[hazard.pk]), valid_data(name))
        assert response.status_code == 302 and response.url == f"{reverse('login')}?next={page}", name
    assert snapshot(hazard) == (HazardStatus.OPEN, hazard.deadline, 0)


@pytest.mark.parametrize("outsider", ["shenhe_staff", "zhongshan_inspector", "dalian_supervisor"])
@pytest.mark.parametrize("url_name", ["hazard_detail", "hazard_order"])
def test_a_page_of_a_hazard_outside_the_scope_is_not_found(client, make_hazard, cast, outsider, url_name):
    hazard = make_hazard(major=True)
    client.force_login(getattr(cast, outsider))
    assert client.get(reverse(url_name, args=[hazard.pk])).status_code == 404


@pytest.mark.parametrize("outsider", ["shenhe_staff", "zhongshan_inspector", "dalian_supervisor"])
@pytest.mark.parametrize("url_name", ACTION_URLS)
def test_an_action_on_a_hazard_outside_the_scope_is_not_found_and_changes_nothing(
    client, make_hazard, cast, outsider, url_name
):
    # A status in which the action is allowed for its role, so only the scope stands in the way.
    status = (
        HazardStatus.SUBMITTED if url_name in ("hazard_send_back", "hazard_verify") else HazardStatus.OPEN
    )
    hazard = make_hazard(**in_status(status), major=True)
    before = snapshot(hazard)
    client.force_login(getattr(cast, outsider))
    response = client.post(reverse(url_name, args=[hazard.pk]), valid_data(url_name))
    assert response.status_code == 404
    assert snapshot(hazard) == before


def test_an_outsiders_list_does_not_show_the_hazard(client, make_hazard, cast):
    hazard = make_hazard()
    for outsider in (cast.shenhe_staff, cast.zhongshan_inspector, cast.dalian_supervisor):
        client.force_login(outsider)
        response = client.get(reverse("hazard_list"), {"status": "all"})
        assert response.status_code == 200
        assert hazard.number not in response.content.decode()


def test_an_inspector_cannot_log_a_hazard_at_an_enterprise_outside_the_region(client, cast, liaoning):
    client.force_login(cast.zhongshan_inspector)
    response = client.post(
        reverse("hazard_new"),
        {
            "enterprise": liaoning.enterprises["heping"].pk,
            "source": "government_inspection",
            "level": "general",
            "description": "Leak",
            "location": "Yard",
            "measures": "Fix",
            "responsible_person": "Zhao",
        },
        **EN,
    )
    assert response.status_code == 400
    assert "Select a valid choice" in form_html(response.content.decode(), reverse("hazard_new"))
    assert not Hazard.objects.exists()


def test_supervisors_do_not_log_hazards(client, cast):
    client.force_login(cast.shenyang_supervisor)
    assert client.get(reverse("hazard_new")).status_code == 403


def test_an_action_url_opened_with_get_answers_with_the_hazard_page_and_changes_nothing(
    client, make_hazard, cast
):
    hazard = make_hazard(submitted=True)
    client.force_login(cast.heping_inspector)
    for name in ACTION_URLS:
        response = client.get(reverse(name, args=[hazard.pk]))
        assert response.status_code == 302 and response.url == reverse("hazard_detail", args=[hazard.pk]), (
            name
        )
    assert snapshot(hazard)[0] == HazardStatus.SUBMITTED


# --- The actions offered are exactly the permitted ones ----------------------------------------------

EVIDENCE = "evidence_upload"


@pytest.mark.parametrize(
    ("who", "status", "level", "expected"),
    [
        (
            "heping_staff",
            HazardStatus.OPEN,
            HazardLevel.GENERAL,
            {"hazard_submit", "hazard_extension_request", EVIDENCE},
        ),
        (
            "heping_staff",
            HazardStatus.OPEN,
            HazardLevel.MAJOR,
            {"hazard_submit", "hazard_extension_request", "hazard_plan", EVIDENCE},
        ),
        ("heping_staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, set()),
        ("heping_staff", HazardStatus.CLOSED, HazardLevel.GENERAL, set()),
        ("heping_inspector", HazardStatus.OPEN, HazardLevel.GENERAL, {EVIDENCE}),
        ("heping_inspector", HazardStatus.OPEN, HazardLevel.MAJOR, {EVIDENCE, "hazard_suspension"}),
        (
            "heping_inspector",
            HazardStatus.SUBMITTED,
            HazardLevel.GENERAL,
            {"hazard_verify", "hazard_send_back"},
        ),
        (
            "heping_inspector",
            HazardStatus.SUBMITTED,
            HazardLevel.MAJOR,
            {"hazard_verify", "hazard_send_back", "hazard_suspension"},
        ),
        ("heping_inspector", HazardStatus.CLOSED, HazardLevel.MAJOR, set()),
        ("shenyang_supervisor", HazardStatus.OPEN, HazardLevel.GENERAL, {"hazard_void"}),
        (
            "shenyang_supervisor",
            HazardStatus.SUBMITTED,
            HazardLevel.MAJOR,
            {"hazard_void", "hazard_suspension", "hazard_listing"},
        ),
        ("shenyang_supervisor", HazardStatus.VOID, HazardLevel.MAJOR, set()),
    ],
)
def test_the_hazard_page_offers_exactly_the_permitted_actions(
    client, make_hazard, cast, who, status, level, expected
):
    hazard = make_hazard(**in_status(status), major=level == HazardLevel.MAJOR)
    client.force_login(getattr(cast, who))
    response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
    assert response.status_code == 200
    assert offered(response.content.decode(), hazard) == expected


def test_a_pending_extension_is_offered_to_the_inspector_to_decide_and_not_asked_again(
    client, make_hazard, cast
):
    hazard = make_hazard()
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("hazard_extension_request", args=[hazard.pk]), valid_data("hazard_extension_request")
    )
    assert response.status_code == 302
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_submit", EVIDENCE}
    assert "Parts on order" in text and "Pending" in text
    client.force_login(cast.heping_inspector)
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_extension_decide", EVIDENCE}


def test_a_listed_hazard_is_not_offered_for_listing_again(client, make_hazard, cast):
    hazard = make_hazard(major=True)
    client.force_login(cast.shenyang_supervisor)
    assert (
        client.post(reverse("hazard_listing", args=[hazard.pk]), {"authority": "沈阳市政府"}).status_code
        == 302
    )
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_void", "hazard_suspension"}
    assert "Listed by 沈阳市政府" in text


# --- Forcing what is not offered ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "level", "url_name", "code"),
    [
        ("heping_staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_verify", 403),
        ("heping_staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_send_back", 403),
        ("heping_staff", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_listing", 403),
        ("heping_staff", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_suspension", 403),
        ("heping_staff", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_void", 403),
        ("heping_inspector", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_verify", 409),
        ("heping_inspector", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_send_back", 409),
        ("heping_inspector", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_submit", 403),
        ("heping_inspector", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_plan", 403),
        ("shenyang_supervisor", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_submit", 403),
        ("shenyang_supervisor", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_void", 409),
        ("shenyang_supervisor", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_verify", 403),
        ("heping_staff", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_extension_request", 409),
    ],
)
def test_a_forced_forbidden_action_is_refused_and_changes_nothing(
    client, make_hazard, cast, who, status, level, url_name, code
):
    hazard = make_hazard(**in_status(status), major=level == HazardLevel.MAJOR)
    before = snapshot(hazard)
    client.force_login(getattr(cast, who))
    response = client.post(reverse(url_name, args=[hazard.pk]), valid_data(url_name), **EN)
    assert response.status_code == code
    assert snapshot(hazard) == before
    text = response.content.decode()
    expected = "Your role may not do this." if code == 403 else "Not possible while the hazard is"
    assert expected in text


def test_a_rule_of_the_workflow_refuses_an_action_with_its_message_on_the_page(client, make_hazard, cast):
    # Listing a general hazard: the role and status allow it, the rule does not.
    hazard = make_hazard(level=HazardLevel.GENERAL)
    before = snapshot(hazard)
    client.force_login(cast.shenyang_supervisor)
    response = client.post(reverse("hazard_listing", args=[hazard.pk]), {"authority": "X"}, **EN)
    assert response.status_code == 400
    assert "Only a major hazard has this." in response.content.decode()
    assert snapshot(hazard) == before
