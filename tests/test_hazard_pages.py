"""The hazard pages: scope on every view, the actions offered exactly, and forbidden actions refused."""

import datetime
import io
import random
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty
from PIL import Image, ImageDraw

from hazards.models import (
    Evidence,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
    User,
)
from hazards.models.evidence import evidence_storage
from hazards.services.evidence import evidence_store
from tests.factories import HazardFactory, enterprise_user, inspector, major_criterion, supervisor

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)

# The POST actions of a hazard: URL name -> data that the service would accept.
ACTION_URLS = [
    "hazard_submit",
    "hazard_send_back",
    "hazard_verify",
    "hazard_void",
    "hazard_plan",
    "hazard_extension_request",
    "hazard_extension_decide",
    "hazard_suspension",
    "hazard_listing",
]


def valid_data(url_name: str) -> dict:
    today = TODAY()
    return {
        "hazard_submit": {"comment": "done"},
        "hazard_send_back": {"reasons": "not fixed"},
        "hazard_verify": {"comment": "ok", "reviewed_on_site_on": today.isoformat()},
        "hazard_void": {"reason": "logged twice"},
        "hazard_plan": {
            "responsible_person": "王五",
            "measures": "Replace the line",
            "funds_amount": "12000.50",
            "deadline": (today + 20 * DAY).isoformat(),
            "emergency_plan": "Evacuate",
        },
        "hazard_extension_request": {
            "requested_deadline": (today + 90 * DAY).isoformat(),
            "reasons": "Parts on order",
        },
        "hazard_extension_decide": {"decision": "approve", "comment": ""},
        "hazard_suspension": {"scope": "Boiler room", "starts_on": today.isoformat()},
        "hazard_listing": {"authority": "沈阳市应急管理局"},
    }[url_name]


def jpeg(seed: int = 0, size: tuple[int, int] = (160, 120)) -> bytes:
    """A small JPEG with shapes, so that photos of different seeds have different perceptual hashes."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = [x0, y0, x0 + rng.randrange(20, 80), y0 + rng.randrange(20, 60)]
        draw.rectangle(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def photo(seed: int = 0, name: str = "site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(seed), content_type="image/jpeg")


def pdf() -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile("assessment.pdf", content, content_type="application/pdf")


@pytest.fixture
def evidence_root(settings, tmp_path):
    """Evidence files under the test's own folder."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    evidence_storage._wrapped = empty
    yield settings.EVIDENCE_ROOT
    evidence_storage._wrapped = empty


def store(hazard: Hazard, user: User, stage: str, upload=None) -> Evidence:
    return evidence_store(hazard=hazard, actor=user, upload=upload or photo(hazard.pk), stage=stage)


@dataclass
class People:
    inspector: User  # 和平区
    supervisor: User  # 沈阳市
    staff: User  # 和平区燃气有限公司
    other_staff: User  # 沈河区燃气有限公司, same city
    other_inspector: User  # 中山区, Dalian
    other_supervisor: User  # 大连市


@pytest.fixture
def people(liaoning) -> People:
    return People(
        inspector=inspector(liaoning.counties["heping"], first_name="李检查"),
        supervisor=supervisor(liaoning.shenyang, first_name="王监管"),
        staff=enterprise_user(liaoning.enterprises["heping"], first_name="张安全"),
        other_staff=enterprise_user(liaoning.enterprises["shenhe"]),
        other_inspector=inspector(liaoning.counties["zhongshan"]),
        other_supervisor=supervisor(liaoning.dalian),
    )


@pytest.fixture
def make_hazard(liaoning, people):
    """A hazard at 和平区燃气有限公司, found by the 和平区 inspector."""

    def make(status=HazardStatus.OPEN, level=HazardLevel.GENERAL, **fields) -> Hazard:
        if level == HazardLevel.MAJOR:
            fields.setdefault("criterion", major_criterion())
        if status == HazardStatus.CLOSED:
            fields.setdefault("closed_at", timezone.now())
        if status == HazardStatus.SUBMITTED:
            fields.setdefault("submitted_at", timezone.now())
        fields.setdefault("enterprise", liaoning.enterprises["heping"])
        fields.setdefault("found_by", people.inspector)
        return HazardFactory(status=status, level=level, **fields)

    return make


def snapshot(hazard: Hazard) -> tuple:
    hazard.refresh_from_db()
    return (hazard.status, hazard.deadline, HazardEvent.objects.filter(hazard=hazard).count())


def form_html(text: str, url: str) -> str:
    """The HTML of the form posting to url, to check that an error is shown inside it."""
    start = text.index(f'action="{url}"')
    return text[start : text.index("</form>", start)]


def offered(text: str, hazard: Hazard) -> set[str]:
    """The action forms a hazard's page offers, by the URL names they post to."""
    names = [*ACTION_URLS, "evidence_upload"]
    return {name for name in names if f'action="{reverse(name, args=[hazard.pk])}"' in text}


def new_hazard_data(enterprise, **overrides) -> dict:
    data = {
        "enterprise": enterprise.pk,
        "source": "government_inspection",
        "level": "general",
        "description": "Gas alarm out of order",
        "location": "Boiler room",
        "measures": "Replace the alarm",
        "responsible_person": "赵六",
        "deadline": "",
    }
    data.update(overrides)
    return data


# --- Scope: every view, every outsider -------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_from_every_hazard_page(client, make_hazard):
    hazard = make_hazard()
    urls = [reverse("hazard_list"), reverse("hazard_new")]
    urls += [reverse(name, args=[hazard.pk]) for name in ["hazard_detail", "hazard_order", *ACTION_URLS]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    for name in ACTION_URLS:
        response = client.post(reverse(name, args=[hazard.pk]), valid_data(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name
    assert snapshot(hazard) == (HazardStatus.OPEN, hazard.deadline, 0)


@pytest.mark.parametrize("outsider", ["other_staff", "other_inspector", "other_supervisor"])
@pytest.mark.parametrize("url_name", ["hazard_detail", "hazard_order"])
def test_a_page_of_a_hazard_outside_the_scope_is_not_found(client, make_hazard, people, outsider, url_name):
    hazard = make_hazard(level=HazardLevel.MAJOR)
    client.force_login(getattr(people, outsider))
    assert client.get(reverse(url_name, args=[hazard.pk])).status_code == 404


@pytest.mark.parametrize("outsider", ["other_staff", "other_inspector", "other_supervisor"])
@pytest.mark.parametrize("url_name", ACTION_URLS)
def test_an_action_on_a_hazard_outside_the_scope_is_not_found_and_changes_nothing(
    client, make_hazard, people, outsider, url_name
):
    # A status in which the action is allowed for its role, so only the scope stands in the way.
    status = (
        HazardStatus.SUBMITTED if url_name in ("hazard_send_back", "hazard_verify") else HazardStatus.OPEN
    )
    hazard = make_hazard(status=status, level=HazardLevel.MAJOR)
    before = snapshot(hazard)
    client.force_login(getattr(people, outsider))
    response = client.post(reverse(url_name, args=[hazard.pk]), valid_data(url_name))
    assert response.status_code == 404
    assert snapshot(hazard) == before


def test_an_outsiders_list_does_not_show_the_hazard(client, make_hazard, people):
    hazard = make_hazard()
    for outsider in (people.other_staff, people.other_inspector, people.other_supervisor):
        client.force_login(outsider)
        response = client.get(reverse("hazard_list"), {"status": "all"})
        assert response.status_code == 200
        assert hazard.number not in response.content.decode()


def test_an_inspector_cannot_log_a_hazard_at_an_enterprise_outside_the_region(client, people, liaoning):
    client.force_login(people.other_inspector)
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


def test_supervisors_do_not_log_hazards(client, people):
    client.force_login(people.supervisor)
    assert client.get(reverse("hazard_new")).status_code == 403


def test_an_action_url_takes_only_post(client, make_hazard, people):
    hazard = make_hazard(status=HazardStatus.SUBMITTED)
    client.force_login(people.inspector)
    for name in ACTION_URLS:
        assert client.get(reverse(name, args=[hazard.pk])).status_code == 405, name


# --- The actions offered are exactly the permitted ones ----------------------------------------------

EVIDENCE = "evidence_upload"


@pytest.mark.parametrize(
    ("role", "status", "level", "expected"),
    [
        (
            "staff",
            HazardStatus.OPEN,
            HazardLevel.GENERAL,
            {"hazard_submit", "hazard_extension_request", EVIDENCE},
        ),
        (
            "staff",
            HazardStatus.OPEN,
            HazardLevel.MAJOR,
            {"hazard_submit", "hazard_extension_request", "hazard_plan", EVIDENCE},
        ),
        ("staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, set()),
        ("staff", HazardStatus.CLOSED, HazardLevel.GENERAL, set()),
        ("inspector", HazardStatus.OPEN, HazardLevel.GENERAL, {EVIDENCE}),
        ("inspector", HazardStatus.OPEN, HazardLevel.MAJOR, {EVIDENCE, "hazard_suspension"}),
        ("inspector", HazardStatus.SUBMITTED, HazardLevel.GENERAL, {"hazard_verify", "hazard_send_back"}),
        (
            "inspector",
            HazardStatus.SUBMITTED,
            HazardLevel.MAJOR,
            {"hazard_verify", "hazard_send_back", "hazard_suspension"},
        ),
        ("inspector", HazardStatus.CLOSED, HazardLevel.MAJOR, set()),
        ("supervisor", HazardStatus.OPEN, HazardLevel.GENERAL, {"hazard_void"}),
        (
            "supervisor",
            HazardStatus.SUBMITTED,
            HazardLevel.MAJOR,
            {"hazard_void", "hazard_suspension", "hazard_listing"},
        ),
        ("supervisor", HazardStatus.VOID, HazardLevel.MAJOR, set()),
    ],
)
def test_the_hazard_page_offers_exactly_the_permitted_actions(
    client, make_hazard, people, role, status, level, expected
):
    hazard = make_hazard(status=status, level=level)
    client.force_login(getattr(people, role))
    response = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN)
    assert response.status_code == 200
    assert offered(response.content.decode(), hazard) == expected


def test_a_pending_extension_is_offered_to_the_inspector_to_decide_and_not_asked_again(
    client, make_hazard, people
):
    hazard = make_hazard()
    client.force_login(people.staff)
    response = client.post(
        reverse("hazard_extension_request", args=[hazard.pk]), valid_data("hazard_extension_request")
    )
    assert response.status_code == 302
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_submit", EVIDENCE}
    assert "Parts on order" in text and "Pending" in text
    client.force_login(people.inspector)
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_extension_decide", EVIDENCE}


def test_a_listed_hazard_is_not_offered_for_listing_again(client, make_hazard, people):
    hazard = make_hazard(level=HazardLevel.MAJOR)
    client.force_login(people.supervisor)
    assert (
        client.post(reverse("hazard_listing", args=[hazard.pk]), {"authority": "沈阳市政府"}).status_code
        == 302
    )
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert offered(text, hazard) == {"hazard_void", "hazard_suspension"}
    assert "Listed by 沈阳市政府" in text


# --- Forcing what is not offered ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "level", "url_name", "code"),
    [
        ("staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_verify", 403),
        ("staff", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_send_back", 403),
        ("staff", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_listing", 403),
        ("staff", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_suspension", 403),
        ("staff", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_void", 403),
        ("inspector", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_verify", 409),
        ("inspector", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_send_back", 409),
        ("inspector", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_submit", 403),
        ("inspector", HazardStatus.OPEN, HazardLevel.MAJOR, "hazard_plan", 403),
        ("supervisor", HazardStatus.OPEN, HazardLevel.GENERAL, "hazard_submit", 403),
        ("supervisor", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_void", 409),
        ("supervisor", HazardStatus.SUBMITTED, HazardLevel.GENERAL, "hazard_verify", 403),
        ("staff", HazardStatus.CLOSED, HazardLevel.GENERAL, "hazard_extension_request", 409),
    ],
)
def test_a_forced_forbidden_action_is_refused_and_changes_nothing(
    client, make_hazard, people, role, status, level, url_name, code
):
    hazard = make_hazard(status=status, level=level)
    before = snapshot(hazard)
    client.force_login(getattr(people, role))
    response = client.post(reverse(url_name, args=[hazard.pk]), valid_data(url_name), **EN)
    assert response.status_code == code
    assert snapshot(hazard) == before
    text = response.content.decode()
    expected = "Your role may not do this." if code == 403 else "Not possible while the hazard is"
    assert expected in text


def test_a_rule_of_the_workflow_refuses_an_action_with_its_message_on_the_page(client, make_hazard, people):
    # Listing a general hazard: the role and status allow it, the rule does not.
    hazard = make_hazard(level=HazardLevel.GENERAL)
    before = snapshot(hazard)
    client.force_login(people.supervisor)
    response = client.post(reverse("hazard_listing", args=[hazard.pk]), {"authority": "X"}, **EN)
    assert response.status_code == 400
    assert "Only a major hazard has this." in response.content.decode()
    assert snapshot(hazard) == before
