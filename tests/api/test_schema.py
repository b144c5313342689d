"""The OpenAPI schema: every operation documents its parameters, body and error responses."""

import re

import pytest

pytestmark = pytest.mark.django_db

ERROR = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def test_the_schema_is_served_without_authentication_and_names_every_endpoint(schema):
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/hazards/",
        "/api/v1/hazards/{id}/verify/",
        "/api/v1/hazards/{hazard_pk}/evidence/",
    ):
        assert expected in paths
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_error_response_has_the_one_error_shape(schema):
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "code", "fields"}
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"]["$ref"] == ERROR, (
                    path,
                    method,
                    status,
                )


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, method, operation in operations(schema):
        documented = {int(status) for status in operation["responses"]}
        public = operation.get("security") == [] or {} in operation.get("security", [{}])
        if not public:
            assert {401, 403} <= documented, (path, method)
        if re.search(r"\{\w+\}", path):
            assert 404 in documented, (path, method)
        if method in ("POST", "PUT", "PATCH"):
            assert {400, 429} <= documented, (path, method)


def test_the_moves_document_a_conflict_with_the_status(schema):
    for move in ("submit", "send-back", "verify", "void", "extension/decide"):
        assert "409" in schema["paths"][f"/api/v1/hazards/{{id}}/{move}/"]["post"]["responses"]
    assert "409" not in schema["paths"]["/api/v1/hazards/{id}/"]["get"]["responses"]


def test_every_list_is_paginated_with_bounded_page_sizes(schema):
    for path, method, operation in operations(schema):
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        reference = ok.get("schema", {}).get("$ref", "")
        if not reference.split("/")[-1].startswith("Paginated"):
            continue
        parameters = {parameter["name"]: parameter for parameter in operation.get("parameters", [])}
        assert parameters["page_size"]["schema"]["maximum"] == 100, (path, method)
        assert parameters["page"]["schema"]["minimum"] == 1, (path, method)


def test_fields_a_client_must_not_set_are_read_only(schema):
    components = schema["components"]["schemas"]
    detail = components["HazardDetail"]["properties"]
    for name in ("status", "found_by", "closed_at", "submitted_at", "number", "timeline"):
        assert detail[name].get("readOnly") or "allOf" in detail[name] or "$ref" in detail[name], name
    logged = components["HazardCreateRequest"]["properties"]
    for name in ("status", "found_by", "closed_at", "number", "created_at"):
        assert name not in logged


def test_the_hazard_ledger_documents_its_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/hazards/"]["get"]["parameters"]}
    assert {
        "q",
        "status",
        "region",
        "sector",
        "enterprise",
        "level",
        "overdue",
        "listed",
        "found_from",
        "ordering",
    } <= parameters
