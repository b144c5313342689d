"""The one action table: every action has all its parts, its routes keep their names, and fixed on the spot
is a move of the table like the others."""

import dataclasses

import pytest
from django.core import checks
from django.urls import reverse

from hazards.api.views.hazards import API_ACTIONS, OTHER_INPUTS
from hazards.checks import action_table_gaps
from hazards.lib.errors import ActionNotPermitted
from hazards.models import AuditAction, AuditEvent, EventKind, HazardLevel, HazardSource, HazardStatus, Role
from hazards.pages.forms import workflow as action_table
from hazards.pages.forms.workflow import OTHER_FORMS, PAGE_ACTIONS
from hazards.services import workflow
from hazards.services.counts import counts_differences
from hazards.services.hazards import hazard_log
from tests.factories import photo_upload

# The page routes and the API's, by the names the portal has published; the table generates both.
PAGE_ROUTES = {
    "hazard_submit": "submit/",
    "hazard_send_back": "send-back/",
    "hazard_verify": "verify/",
    "hazard_void": "void/",
    "hazard_plan": "plan/",
    "hazard_extension_request": "extension/",
    "hazard_extension_decide": "extension/decide/",
    "hazard_suspension": "suspension/",
    "hazard_listing": "listing/",
    "hazard_reclassify": "level/",
}
API_ROUTES = {
    "api:hazard-submit": "submit/",
    "api:hazard-send-back": "send-back/",
    "api:hazard-verify": "verify/",
    "api:hazard-void": "void/",
    "api:hazard-plan": "plan/",
    "api:hazard-extension": "extension/",
    "api:hazard-extension-decide": "extension/decide/",
    "api:hazard-suspension": "suspension/",
    "api:hazard-listing": "listing/",
    "api:hazard-level": "level/",
}


def tables(**changes) -> dict:
    """The real tables, as copies, with some of them changed."""
    real = {
        "actions": dict(workflow.ACTIONS),
        "page_actions": dict(PAGE_ACTIONS),
        "page_forms": dict(OTHER_FORMS),
        "api_actions": dict(API_ACTIONS),
        "api_inputs": dict(OTHER_INPUTS),
    }
    for name, change in changes.items():
        change(real[name])
    return real


def without(key: str):
    return lambda table: table.pop(key)


def replaced(key: str, **fields):
    return lambda table: table.__setitem__(key, dataclasses.replace(table[key], **fields))


def form_without_the_field(key: str):
    return lambda table: table.__setitem__(key, PAGE_ACTIONS["submit"].form_class)


def test_every_action_has_its_rule_service_route_page_form_and_api_input():
    assert action_table_gaps(**tables()) == []


def test_the_table_holds_each_workflow_action_once_under_its_key():
    assert set(workflow.ACTIONS) == {
        "submit",
        "send_back",
        "verify",
        "void",
        "fixed_on_spot",
        "plan",
        "extension_request",
        "extension_decide",
        "suspension",
        "listing",
        "reclassify",
        "add_evidence",
    }


@pytest.mark.parametrize(
    ("changes", "gap"),
    [
        ({"page_actions": without("verify")}, "verify: no form on the hazard's page"),
        ({"api_actions": without("plan")}, "plan: no input in the API"),
        (
            {"actions": replaced("void", service="hazards.services.nowhere.go")},
            "void: no service",
        ),
        ({"actions": replaced("void", service="hazards.services.audit.audit_record")}, "void: its service"),
        (
            {"actions": replaced("listing", rule=workflow._rule(set(), {HazardStatus.OPEN}))},
            "listing: no rule",
        ),
        ({"actions": replaced("submit", route="/submit")}, "submit: its route '/submit'"),
        ({"actions": replaced("submit", route=None)}, "submit: no route and no form of another page"),
        ({"page_forms": without("fixed_on_spot")}, "fixed_on_spot: no route and no form of another page"),
        ({"api_inputs": without("add_evidence")}, "add_evidence: no route and no input of another endpoint"),
        ({"page_forms": form_without_the_field("fixed_on_spot")}, "fixed_on_spot: not a field of"),
        ({"actions": without("reclassify")}, "reclassify: a part in the page but no action"),
    ],
)
def test_an_action_lacking_any_of_its_parts_is_named(changes, gap):
    gaps = action_table_gaps(**tables(**changes))
    assert any(line.startswith(gap) for line in gaps), gaps


def test_the_system_check_refuses_to_start_with_an_action_lacking_a_part(monkeypatch):
    assert [error for error in checks.run_checks() if error.id == "hazards.E001"] == []
    monkeypatch.delitem(action_table.PAGE_ACTIONS, "void")
    errors = [error for error in checks.run_checks() if error.id == "hazards.E001"]
    assert [error.msg for error in errors] == ["void: no form on the hazard's page"]
    assert errors[0].is_serious()


def test_the_page_and_api_routes_of_the_actions_keep_their_names_and_addresses():
    for name, route in PAGE_ROUTES.items():
        assert reverse(name, args=[7]) == f"/hazards/7/{route}", name
    for name, route in API_ROUTES.items():
        assert reverse(name, args=[7]) == f"/api/v1/hazards/7/{route}", name
    routed = {key for key, action in workflow.ACTIONS.items() if action.route}
    assert {f"hazard_{key}" for key in routed} == set(PAGE_ROUTES)


# --- Fixed on the spot, a move of the table ---------------------------------------------------------------


def log_fixed_on_the_spot(liaoning, actor):
    return hazard_log(
        actor=actor,
        enterprise_id=liaoning.enterprises["heping"].pk,
        source=HazardSource.GOVERNMENT_INSPECTION,
        description="消防通道堆放杂物",
        location="仓库",
        level=HazardLevel.GENERAL,
        measures="清理通道",
        responsible_person="周九",
        fixed_on_spot=True,
        after_photos=[photo_upload(seed=5)],
    )


@pytest.mark.django_db
def test_fixed_on_the_spot_closes_the_hazard_through_the_move_with_its_event_audit_row_and_counts(
    liaoning, evidence_root, cast
):
    actor = cast.heping_inspector
    hazard = log_fixed_on_the_spot(liaoning, actor)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_at is not None
    event = hazard.events.get(kind=EventKind.VERIFIED)
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        HazardStatus.OPEN,
        HazardStatus.CLOSED,
        actor,
        "Fixed on the spot.",
    )
    audit = AuditEvent.objects.get(action=AuditAction.STATUS_MOVE)
    assert audit.detail == {"from": "open", "to": "closed", "event": "verified"}
    assert counts_differences() == []


@pytest.mark.django_db
def test_fixed_on_the_spot_reaches_the_target_and_follows_the_rule_that_the_table_gives_it(
    liaoning, evidence_root, monkeypatch, cast
):
    fixed = workflow.ACTIONS["fixed_on_spot"]
    actor = cast.heping_inspector
    monkeypatch.setitem(
        workflow.ACTIONS,
        "fixed_on_spot",
        dataclasses.replace(fixed, rule=dataclasses.replace(fixed.rule, target=HazardStatus.VOID)),
    )
    hazard = log_fixed_on_the_spot(liaoning, actor)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VOID
    assert hazard.events.get(kind=EventKind.VERIFIED).to_status == HazardStatus.VOID
    assert counts_differences() == []

    monkeypatch.setitem(
        workflow.ACTIONS,
        "fixed_on_spot",
        dataclasses.replace(fixed, rule=dataclasses.replace(fixed.rule, roles=frozenset({Role.ENTERPRISE}))),
    )
    with pytest.raises(ActionNotPermitted, match="Only an inspector closes"):
        log_fixed_on_the_spot(liaoning, actor)


def test_fixed_on_the_spot_is_never_offered_on_a_logged_hazard():
    assert workflow.ACTIONS["fixed_on_spot"].rule.at_logging
    assert "fixed_on_spot" not in PAGE_ACTIONS and "fixed_on_spot" not in API_ACTIONS
