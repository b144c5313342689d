"""The register API: enterprises (read in the scope, written by administrators), regions and sectors.

The map is conftest's: the inspector and supervisor work in 沈阳市 (和平区, 沈河区), the enterprise user at
和平区燃气有限公司; 大连市 (中山区, 西岗区) is outside every scope but the administrator's.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.lib.credit_code import check_character
from hazards.models import Enterprise, EnterpriseStatus, RiskColour
from tests.api.helpers import by_role, error
from tests.factories import EnterpriseFactory, credit_code_for, sector

SHENYANG = {"和平区燃气有限公司", "沈河区燃气有限公司"}
DALIAN = {"中山区燃气有限公司", "西岗区燃气有限公司"}
REGION_USERS = ["inspector", "supervisor"]
NON_ADMINISTRATORS = ["inspector", "supervisor", "enterprise"]
SCOPED_USERS = NON_ADMINISTRATORS


@pytest.fixture
def client_of(api, cast):
    """client_of(role) is an API client of the role's user (tests/api/helpers.py), answered in English."""

    def make(role: str):
        client = api(by_role(cast, role))
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def administrator(client_of):
    return client_of("administrator")


def enterprises_url() -> str:
    return reverse("api:enterprise-list")


def enterprise_url(enterprise: Enterprise | int) -> str:
    return reverse("api:enterprise-detail", args=[getattr(enterprise, "pk", enterprise)])


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def new_enterprise(liaoning, **changes) -> dict:
    """A valid body for a new enterprise in 和平区."""
    return {
        "name": "和平区新能源有限公司",
        "credit_code": credit_code_for("210102", 90001),
        "region": "210102",
        "sector": "hazardous-chemicals",
        "address": "沈阳市和平区南京北街1号",
        "principal_name": "刘安全",
        "principal_phone": "024-23456789",
        "risk_colour": "orange",
        "status": "operating",
    } | changes


def assert_bad_field(response, field: str, code: str | None = None) -> dict:
    assert response.status_code == 400, response.content
    body = error(response)
    assert field in body["fields"], body
    if code is not None:
        assert body["code"] == code, body
    return body


# Reading the register: each role sees its scope.


@pytest.mark.parametrize("role", REGION_USERS)
def test_an_inspector_or_supervisor_lists_only_the_enterprises_of_his_city(client_of, role):
    assert names(client_of(role).get(enterprises_url())) == SHENYANG


def test_an_enterprise_user_lists_only_its_own_enterprise(client_of):
    assert names(client_of("enterprise").get(enterprises_url())) == {"和平区燃气有限公司"}


def test_an_administrator_lists_every_enterprise(administrator):
    assert names(administrator.get(enterprises_url())) == SHENYANG | DALIAN


@pytest.mark.parametrize("role", SCOPED_USERS)
def test_an_enterprise_outside_the_scope_is_not_found(client_of, liaoning, role):
    response = client_of(role).get(enterprise_url(liaoning.enterprises["zhongshan"]))
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


@pytest.mark.parametrize("role", [*SCOPED_USERS, "administrator"])
def test_a_user_reads_an_enterprise_of_his_scope_with_its_region_in_brief_and_its_sector_code(
    client_of, liaoning, role
):
    heping = liaoning.enterprises["heping"]
    response = client_of(role).get(enterprise_url(heping))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == heping.pk
    assert body["credit_code"] == heping.credit_code
    assert body["region"] == {"code": "210102", "name": "和平区", "level": "county"}
    assert body["sector"] == "urban-gas"
    assert set(body) == {
        "id",
        "name",
        "credit_code",
        "region",
        "sector",
        "address",
        "principal_name",
        "principal_phone",
        "risk_colour",
        "status",
        "created_at",
        "updated_at",
    }


def test_an_administrator_reads_an_enterprise_anywhere(administrator, liaoning):
    response = administrator.get(enterprise_url(liaoning.enterprises["zhongshan"]))
    assert response.status_code == 200
    assert response.json()["region"]["code"] == "210202"


@pytest.mark.parametrize("url", [reverse("api:enterprise-list"), "/api/v1/enterprises/1/"])
def test_an_anonymous_client_is_asked_to_authenticate(client_of, liaoning, url):
    response = client_of("anonymous").get(url)
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("pk", ["99999999999999999999999999", "9223372036854775808", "0"])
def test_an_id_that_names_no_enterprise_is_not_found_however_large(administrator, liaoning, pk):
    assert administrator.get(f"/api/v1/enterprises/{pk}/").status_code == 404
    assert administrator.patch(f"/api/v1/enterprises/{pk}/", {"name": "x"}).status_code == 404


def test_an_id_that_is_not_a_number_names_no_endpoint(administrator, liaoning):
    response = administrator.get("/api/v1/enterprises/abc/")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


# Writing the register: administrators only; the object's scope is judged before the role.


@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_only_an_administrator_registers_an_enterprise(client_of, liaoning, role):
    response = client_of(role).post(enterprises_url(), new_enterprise(liaoning))
    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"
    assert not Enterprise.objects.filter(name="和平区新能源有限公司").exists()


@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_a_non_administrator_is_refused_before_his_body_is_read(client_of, liaoning, role):
    response = client_of(role).post(enterprises_url(), {"name": ""})
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_a_non_administrator_may_not_change_an_enterprise_of_his_scope(client_of, liaoning, role, method):
    heping = liaoning.enterprises["heping"]
    body = new_enterprise(liaoning, credit_code=heping.credit_code, name="改名")
    response = getattr(client_of(role), method)(enterprise_url(heping), body)
    assert response.status_code == 403
    heping.refresh_from_db()
    assert heping.name == "和平区燃气有限公司"


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("role", NON_ADMINISTRATORS)
def test_a_non_administrator_changing_an_enterprise_outside_his_scope_is_not_found(
    client_of, liaoning, role, method
):
    zhongshan = liaoning.enterprises["zhongshan"]
    body = new_enterprise(liaoning, credit_code=zhongshan.credit_code, name="改名")
    response = getattr(client_of(role), method)(enterprise_url(zhongshan), body)
    assert response.status_code == 404
    zhongshan.refresh_from_db()
    assert zhongshan.name == "中山区燃气有限公司"


def test_an_anonymous_client_may_not_register_an_enterprise(client_of, liaoning):
    assert client_of("anonymous").post(enterprises_url(), new_enterprise(liaoning)).status_code == 401
    assert not Enterprise.objects.filter(name="和平区新能源有限公司").exists()


def test_an_administrator_registers_an_enterprise(administrator, liaoning):
    body = new_enterprise(liaoning)
    response = administrator.post(enterprises_url(), body)
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(credit_code=body["credit_code"])
    answer = response.json()
    assert answer["id"] == created.pk
    assert answer["region"] == {"code": "210102", "name": "和平区", "level": "county"}
    assert answer["sector"] == "hazardous-chemicals"
    assert created.region == liaoning.counties["heping"]
    assert created.sector.code == "hazardous-chemicals"
    assert created.name == body["name"]
    assert created.principal_phone == body["principal_phone"]
    assert created.risk_colour == RiskColour.ORANGE
    assert created.status == EnterpriseStatus.OPERATING


def test_an_enterprise_registered_without_address_or_status_is_operating(administrator, liaoning):
    body = new_enterprise(liaoning)
    del body["address"], body["status"]
    response = administrator.post(enterprises_url(), body)
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(credit_code=body["credit_code"])
    assert (created.address, created.status) == ("", EnterpriseStatus.OPERATING)


def test_an_administrator_replaces_an_enterprise_with_put(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    body = new_enterprise(liaoning, region="210103", risk_colour="red", status="suspended")
    response = administrator.put(enterprise_url(heping), body)
    assert response.status_code == 200, response.content
    heping.refresh_from_db()
    assert heping.name == body["name"]
    assert heping.credit_code == body["credit_code"]
    assert heping.region == liaoning.counties["shenhe"]
    assert heping.sector.code == "hazardous-chemicals"
    assert (heping.risk_colour, heping.status) == (RiskColour.RED, EnterpriseStatus.SUSPENDED)
    assert response.json()["region"]["code"] == "210103"


def test_a_put_without_every_required_field_is_refused(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    response = administrator.put(enterprise_url(heping), {"name": "只改名"})
    body = assert_bad_field(response, "credit_code")
    assert {"region", "sector", "principal_name", "principal_phone", "risk_colour"} <= set(body["fields"])
    heping.refresh_from_db()
    assert heping.name == "和平区燃气有限公司"


def test_an_administrator_changes_some_fields_with_patch_and_the_rest_stay(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    before = Enterprise.objects.get(pk=heping.pk)
    response = administrator.patch(enterprise_url(heping), {"risk_colour": "blue", "status": "closed"})
    assert response.status_code == 200, response.content
    heping.refresh_from_db()
    assert (heping.risk_colour, heping.status) == (RiskColour.BLUE, EnterpriseStatus.CLOSED)
    assert (heping.name, heping.credit_code, heping.region_id) == (
        before.name,
        before.credit_code,
        before.region_id,
    )
    assert heping.updated_at > before.updated_at


def test_an_enterprise_keeps_its_own_credit_code_when_changed(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    response = administrator.patch(enterprise_url(heping), {"credit_code": heping.credit_code, "name": "新"})
    assert response.status_code == 200, response.content


def test_an_enterprise_cannot_be_deleted(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    assert administrator.delete(enterprise_url(heping)).status_code == 405
    assert Enterprise.objects.filter(pk=heping.pk).exists()


# Mass assignment: the id and the timestamps are the server's.


def test_an_id_and_timestamps_sent_when_registering_are_ignored(administrator, liaoning):
    other = liaoning.enterprises["zhongshan"]
    long_ago = "2000-01-01T00:00:00+08:00"
    body = new_enterprise(liaoning, id=other.pk, created_at=long_ago, updated_at=long_ago)
    response = administrator.post(enterprises_url(), body)
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(credit_code=body["credit_code"])
    assert created.pk != other.pk
    assert created.created_at.year > 2000 and created.updated_at.year > 2000
    other.refresh_from_db()
    assert other.name == "中山区燃气有限公司"


def test_an_id_and_timestamps_sent_when_changing_are_ignored(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    created_at = heping.created_at
    response = administrator.patch(
        enterprise_url(heping), {"id": heping.pk + 1000, "created_at": "2000-01-01T00:00:00Z", "name": "新名"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == heping.pk
    heping.refresh_from_db()
    assert heping.name == "新名"
    assert heping.created_at == created_at
    assert not Enterprise.objects.filter(pk=heping.pk + 1000).exists()


# Bad input: a 400 naming the field, with the model's and the import's messages.


def test_a_credit_code_with_a_wrong_check_character_is_refused(administrator, liaoning):
    good = credit_code_for("210102", 90001)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, credit_code=wrong))
    body = assert_bad_field(response, "credit_code", code="credit_code_check")
    assert f"should be {check_character(good[:-1])}" in body["fields"]["credit_code"][0]
    assert not Enterprise.objects.filter(credit_code=wrong).exists()


def test_a_credit_code_already_registered_is_refused(administrator, liaoning):
    taken = liaoning.enterprises["zhongshan"].credit_code
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, credit_code=taken))
    body = assert_bad_field(response, "credit_code", code="unique")
    assert body["fields"]["credit_code"] == ["An enterprise with this credit code is already registered."]
    assert Enterprise.objects.filter(credit_code=taken).count() == 1


def test_a_credit_code_registered_by_another_request_after_the_check_is_a_400_not_a_server_error(
    administrator, liaoning, monkeypatch
):
    # As if the other request committed between this one's uniqueness check and its insert.
    monkeypatch.setattr("rest_framework.validators.qs_exists", lambda queryset: False)
    taken = liaoning.enterprises["zhongshan"].credit_code
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, credit_code=taken))
    body = assert_bad_field(response, "credit_code", code="unique")
    assert body["fields"]["credit_code"] == ["An enterprise with this credit code is already registered."]
    assert Enterprise.objects.filter(credit_code=taken).count() == 1


def test_changing_to_another_enterprises_credit_code_is_refused(administrator, liaoning):
    heping, shenhe = liaoning.enterprises["heping"], liaoning.enterprises["shenhe"]
    response = administrator.patch(enterprise_url(heping), {"credit_code": shenhe.credit_code})
    assert_bad_field(response, "credit_code", code="unique")
    heping.refresh_from_db()
    assert heping.credit_code != shenhe.credit_code


@pytest.mark.parametrize("code", ["210100", "210000"])
def test_a_city_or_province_instead_of_a_county_is_refused(administrator, liaoning, code):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, region=code))
    body = assert_bad_field(response, "region", code="not_county")
    assert "county or district" in body["fields"]["region"][0]


def test_an_unknown_region_code_is_refused(administrator, liaoning):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, region="990101"))
    assert_bad_field(response, "region", code="invalid_choice")


def test_an_unknown_sector_is_refused_with_the_list_of_sectors(administrator, liaoning):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, sector="space-travel"))
    body = assert_bad_field(response, "sector", code="invalid_choice")
    assert "urban-gas" in body["fields"]["sector"][0]


def test_an_overlong_name_is_refused(administrator, liaoning):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, name="企" * 201))
    assert_bad_field(response, "name", code="max_length")


def test_a_name_of_the_longest_length_is_accepted(administrator, liaoning):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, name="企" * 200))
    assert response.status_code == 201, response.content


def test_a_phone_number_with_letters_is_refused(administrator, liaoning):
    response = administrator.post(
        enterprises_url(), new_enterprise(liaoning, principal_phone="call-me-maybe")
    )
    assert_bad_field(response, "principal_phone")


@pytest.mark.parametrize(
    ("raised", "field"),
    [
        ({"address": "Not on this street."}, "address"),
        ("Not this enterprise.", "non_field_errors"),
    ],
)
def test_the_models_own_validation_refuses_a_write_naming_the_field(
    administrator, liaoning, monkeypatch, raised, field
):
    def clean(enterprise):
        raise ValidationError(raised)

    monkeypatch.setattr(Enterprise, "clean", clean)
    heping = liaoning.enterprises["heping"]
    assert_bad_field(administrator.post(enterprises_url(), new_enterprise(liaoning)), field)
    assert_bad_field(administrator.patch(enterprise_url(heping), {"name": "新名"}), field)
    assert not Enterprise.objects.filter(principal_name="刘安全").exists()
    heping.refresh_from_db()
    assert heping.name == "和平区燃气有限公司"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "和平\x00公司"),
        ("name", {"zh": "公司"}),
        ("name", ["公司"]),
        ("name", ""),
        ("name", None),
        ("credit_code", "91210102\x00ABCDEFGH"),
        ("credit_code", "9" * 10_000),
        ("credit_code", 912101020000000000),
        ("credit_code", "91210102mA0000000x"),
        ("region", 210102),
        ("region", "210102\x00"),
        ("region", "21010"),
        ("region", "2101020"),
        ("region", ["210102"]),
        ("region", {"code": "210102"}),
        ("region", None),
        ("region", ""),
        ("sector", "urban\x00gas"),
        ("sector", "x" * 10_000),
        ("sector", 7),
        ("sector", None),
        ("address", "a" * 256),
        ("address", "南京北街\x00"),
        ("principal_name", "张" * 65),
        ("principal_phone", "1" * 21),
        ("principal_phone", "+86 139\x0012345678"),
        ("risk_colour", "purple"),
        ("risk_colour", ["red"]),
        ("risk_colour", {"red": True}),
        ("status", "bankrupt"),
        ("status", "\x00"),
    ],
)
def test_a_bad_value_is_a_400_naming_its_field_never_a_server_error(administrator, liaoning, field, value):
    response = administrator.post(enterprises_url(), new_enterprise(liaoning, **{field: value}))
    assert_bad_field(response, field)
    assert not Enterprise.objects.filter(principal_name="刘安全").exists()


@pytest.mark.parametrize("body", [[], "enterprise", 42, None])
def test_a_body_that_is_not_an_object_is_a_400(administrator, liaoning, body):
    response = administrator.post(enterprises_url(), body, format="json")
    assert response.status_code == 400
    error(response)


def test_a_body_that_is_not_json_is_a_400(administrator, liaoning):
    response = administrator.post(enterprises_url(), "{name:", content_type="application/json")
    assert response.status_code == 400
    error(response)


def test_a_patch_with_a_bad_value_changes_nothing(administrator, liaoning):
    heping = liaoning.enterprises["heping"]
    response = administrator.patch(enterprise_url(heping), {"name": "新名", "region": "210100"})
    assert_bad_field(response, "region")
    heping.refresh_from_db()
    assert heping.name == "和平区燃气有限公司"


# Filters of the list.


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("210000", SHENYANG | DALIAN),
        ("210100", SHENYANG),
        ("210200", DALIAN),
        ("210202", {"中山区燃气有限公司"}),
    ],
)
def test_the_region_filter_takes_the_region_and_everything_under_it(
    administrator, liaoning, region, expected
):
    assert names(administrator.get(enterprises_url(), {"region": region})) == expected


def test_an_inspector_filters_by_a_county_of_his_city(client_of, liaoning):
    assert names(client_of("inspector").get(enterprises_url(), {"region": "210103"})) == {
        "沈河区燃气有限公司"
    }


@pytest.mark.parametrize(
    ("role", "region"),
    [
        ("inspector", "210200"),  # another city
        ("inspector", "210202"),  # a county of another city
        ("inspector", "210000"),  # the province above his city
        ("enterprise", "210100"),  # the city above its county
        ("administrator", "999999"),  # no such region
        ("administrator", "2101"),
        ("administrator", "abcdef"),
        ("administrator", "1" * 5000),
    ],
)
def test_a_region_filter_outside_the_scope_or_unknown_is_a_400_on_the_region(
    client_of, liaoning, role, region
):
    response = client_of(role).get(enterprises_url(), {"region": region})
    body = assert_bad_field(response, "region")
    assert body["fields"]["region"] == ["Unknown region code, or a region outside your scope."]


def test_the_sector_filter_keeps_the_enterprises_of_the_sector(administrator, liaoning):
    EnterpriseFactory(region=liaoning.counties["heping"], name="和平区煤矿", sector=sector("coal-mine"))
    assert names(administrator.get(enterprises_url(), {"sector": "coal-mine"})) == {"和平区煤矿"}
    assert "和平区煤矿" not in names(administrator.get(enterprises_url(), {"sector": "urban-gas"}))


def test_the_risk_colour_and_status_filters_keep_the_matching_enterprises(administrator, liaoning):
    Enterprise.objects.filter(pk=liaoning.enterprises["heping"].pk).update(risk_colour=RiskColour.RED)
    Enterprise.objects.filter(pk=liaoning.enterprises["xigang"].pk).update(status=EnterpriseStatus.CLOSED)
    assert names(administrator.get(enterprises_url(), {"risk_colour": "red"})) == {"和平区燃气有限公司"}
    assert names(administrator.get(enterprises_url(), {"status": "closed"})) == {"西岗区燃气有限公司"}
    assert names(administrator.get(enterprises_url(), {"status": "operating"})) == (SHENYANG | DALIAN) - {
        "西岗区燃气有限公司"
    }


def test_the_search_finds_by_part_of_the_name_or_of_the_credit_code(administrator, liaoning):
    assert names(administrator.get(enterprises_url(), {"q": "沈河"})) == {"沈河区燃气有限公司"}
    code = liaoning.enterprises["xigang"].credit_code
    assert names(administrator.get(enterprises_url(), {"q": code[6:14].lower()})) == {"西岗区燃气有限公司"}


def test_the_search_stays_within_the_scope(client_of, liaoning):
    assert names(client_of("inspector").get(enterprises_url(), {"q": "中山"})) == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("region", "210100\x00"),
        ("sector", "space-travel"),
        ("sector", "urban\x00gas"),
        ("risk_colour", "purple"),
        ("status", "bankrupt"),
        ("q", "燃气\x00"),
        ("q", "燃" * 201),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(administrator, liaoning, name, value):
    assert_bad_field(administrator.get(enterprises_url(), {name: value}), name)


def test_the_filters_combine(administrator, liaoning):
    Enterprise.objects.filter(pk=liaoning.enterprises["shenhe"].pk).update(risk_colour=RiskColour.BLUE)
    Enterprise.objects.filter(pk=liaoning.enterprises["xigang"].pk).update(risk_colour=RiskColour.BLUE)
    response = administrator.get(enterprises_url(), {"region": "210100", "risk_colour": "blue"})
    assert names(response) == {"沈河区燃气有限公司"}


def test_the_lists_query_count_does_not_grow_with_the_page_size(administrator, liaoning):
    for serial in range(30):
        EnterpriseFactory(region=liaoning.counties["shenhe"], name=f"沈河区企业{serial:02d}")
    counts = {}
    for page_size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            response = administrator.get(enterprises_url(), {"page_size": page_size, "region": "210100"})
        assert len(response.json()["results"]) == page_size
        counts[page_size] = len(queries)
    assert counts[2] == counts[20]


def test_the_list_pages_in_a_stable_order(administrator, liaoning):
    for _serial in range(6):
        EnterpriseFactory(region=liaoning.counties["shenhe"], name="同名企业")
    seen = []
    for page in (1, 2, 3, 4, 5):
        response = administrator.get(enterprises_url(), {"page_size": 2, "page": page})
        seen += [row["id"] for row in response.json()["results"]]
    assert len(seen) == len(set(seen)) == 10


# Regions: the scope's divisions, by code.


def regions_url() -> str:
    return reverse("api:region-list")


def region_url(code: str) -> str:
    return reverse("api:region-detail", args=[code])


@pytest.mark.parametrize("role", REGION_USERS)
def test_an_inspector_or_supervisor_lists_his_city_and_its_counties(client_of, liaoning, role):
    assert codes(client_of(role).get(regions_url())) == ["210100", "210102", "210103"]


def test_an_enterprise_user_lists_only_the_county_of_its_enterprise(client_of, liaoning):
    assert codes(client_of("enterprise").get(regions_url())) == ["210102"]


def test_an_administrator_lists_every_region(administrator, liaoning):
    assert codes(administrator.get(regions_url())) == [
        "210000",
        "210100",
        "210102",
        "210103",
        "210200",
        "210202",
        "210203",
    ]


@pytest.mark.parametrize("role", [*SCOPED_USERS, "administrator"])
def test_a_user_reads_a_region_of_his_scope_by_its_code(client_of, liaoning, role):
    response = client_of(role).get(region_url("210102"))
    assert response.status_code == 200
    assert response.json() == {"code": "210102", "name": "和平区", "level": "county", "parent": "210100"}


def test_a_province_has_no_parent(administrator, liaoning):
    assert administrator.get(region_url("210000")).json()["parent"] is None


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("inspector", "210202"),
        ("supervisor", "210202"),
        ("enterprise", "210202"),
        ("inspector", "210000"),
        ("enterprise", "210100"),
        ("administrator", "999999"),
    ],
)
def test_a_region_outside_the_scope_or_unknown_is_not_found(client_of, liaoning, role, code):
    response = client_of(role).get(region_url(code))
    assert response.status_code == 404
    error(response)


@pytest.mark.parametrize("code", ["21010", "2101020", "abcdef", "210102%00"])
def test_a_region_address_without_six_digits_names_no_endpoint(administrator, liaoning, code):
    assert administrator.get(f"/api/v1/regions/{code}/").status_code == 404


def test_the_regions_filter_by_level_and_by_parent(administrator, liaoning):
    assert codes(administrator.get(regions_url(), {"level": "city"})) == ["210100", "210200"]
    assert codes(administrator.get(regions_url(), {"parent": "210200"})) == ["210202", "210203"]
    assert codes(administrator.get(regions_url(), {"parent": "210100", "level": "county"})) == [
        "210102",
        "210103",
    ]


def test_the_parent_filter_stays_within_the_scope(client_of, liaoning):
    assert codes(client_of("inspector").get(regions_url(), {"parent": "210000"})) == ["210100"]
    assert codes(client_of("inspector").get(regions_url(), {"parent": "210200"})) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("level", "planet"), ("parent", "2101"), ("parent", "abcdef"), ("parent", "21\x000100")],
)
def test_a_bad_region_filter_is_a_400_naming_the_filter(administrator, liaoning, name, value):
    assert_bad_field(administrator.get(regions_url(), {name: value}), name)


def test_an_anonymous_client_may_not_list_regions(client_of, liaoning):
    assert client_of("anonymous").get(regions_url()).status_code == 401


def test_the_regions_are_read_only(administrator, liaoning):
    body = {"code": "210104", "name": "大东区", "level": "county", "parent": "210100"}
    assert administrator.post(regions_url(), body).status_code == 405
    assert administrator.patch(region_url("210102"), {"name": "改"}).status_code == 405


# Sectors: reference data for everyone signed in.


@pytest.mark.parametrize("role", [*SCOPED_USERS, "administrator"])
def test_every_signed_in_user_lists_every_sector(client_of, liaoning, role):
    response = client_of(role).get(reverse("api:sector-list"))
    assert response.status_code == 200
    assert "urban-gas" in codes(response)
    assert len(codes(response)) == response.json()["count"] == 10


def test_a_sector_is_read_by_its_code_with_both_names(client_of, liaoning):
    response = client_of("enterprise").get(reverse("api:sector-detail", args=["coal-mine"]))
    assert response.json() == {"code": "coal-mine", "name_en": "Coal mine", "name_zh": "煤矿"}


def test_an_unknown_sector_is_not_found(client_of, liaoning):
    response = client_of("inspector").get(reverse("api:sector-detail", args=["space-travel"]))
    assert response.status_code == 404
    error(response)


def test_an_anonymous_client_may_not_list_sectors(client_of, liaoning):
    assert client_of("anonymous").get(reverse("api:sector-list")).status_code == 401


def test_the_sectors_are_read_only(administrator, liaoning):
    assert administrator.post(reverse("api:sector-list"), {"code": "x"}).status_code == 405


def test_timestamps_are_iso_datetimes(administrator, liaoning):
    body = administrator.get(enterprise_url(liaoning.enterprises["heping"])).json()
    assert datetime.datetime.fromisoformat(body["created_at"]) <= datetime.datetime.fromisoformat(
        body["updated_at"]
    )


def test_a_refusal_speaks_the_language_of_the_request(api, cast, liaoning):
    client = api(cast.admin)
    body = new_enterprise(liaoning, region="210100")
    response = client.post(enterprises_url(), body, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert error(response)["fields"]["region"] == ["行政区划210100（沈阳市）是省或市；企业应属于县（区）。"]
