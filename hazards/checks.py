"""The portal's own checks (`manage.py check`): the action table is whole; with --deploy, a deployment's."""

import inspect
from collections.abc import Mapping

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from hazards.services.workflow import Rule


@register(Tags.security, deploy=True)
def bench_bare_view_is_off(app_configs, **kwargs) -> list[Warning]:
    """The load benchmark's bare view (BENCH_BARE_VIEW) answers without a login: never in a deployment."""
    if not getattr(settings, "BENCH_BARE_VIEW", False):
        return []
    return [
        Warning(
            "BENCH_BARE_VIEW is on: the load benchmark's bare view answers at /bench/bare/ without a login.",
            hint="Unset BENCH_BARE_VIEW; it is for bench/load_benchmark.py only.",
            id="hazards.W001",
        )
    ]


def action_table_gaps(
    actions: Mapping,
    page_actions: Mapping,
    page_forms: Mapping,
    api_actions: Mapping,
    api_inputs: Mapping,
) -> list[str]:
    """What each action of the workflow's table lacks of its parts, one line each (none when it is whole).

    An action has a rule, a service that can be imported, and either a route (with its form and words on the
    hazard's page and its input and words in the API) or, taken on another form, that form and that input; an
    action taken at logging is a field of both, by its key. Neither layer has a part of an unknown action.
    """
    gaps = []
    for key, action in actions.items():
        if not isinstance(action.rule, Rule) or not action.rule.roles or not action.rule.statuses:
            gaps.append(f"{key}: no rule (roles and statuses)")
        try:
            service = import_string(action.service)
        except ImportError:
            gaps.append(f"{key}: no service at {action.service!r}")
        else:
            wanted = {key} if action.rule.at_logging else {"actor", "hazard_id"}
            if not wanted <= set(inspect.signature(service).parameters):
                gaps.append(f"{key}: its service takes no {', '.join(sorted(wanted))}")
        if action.route:
            if action.rule.at_logging:
                gaps.append(f"{key}: taken at logging, it has no route under a logged hazard")
            if not action.route.endswith("/") or action.route.startswith("/"):
                gaps.append(f"{key}: its route {action.route!r} is a path under the hazard's, ending in '/'")
            if key not in page_actions:
                gaps.append(f"{key}: no form on the hazard's page")
            if key not in api_actions:
                gaps.append(f"{key}: no input in the API")
            continue
        form, api_input = page_forms.get(key), api_inputs.get(key)
        if form is None:
            gaps.append(f"{key}: no route and no form of another page")
        if api_input is None:
            gaps.append(f"{key}: no route and no input of another endpoint")
        if action.rule.at_logging:
            if form is not None and key not in form.base_fields:
                gaps.append(f"{key}: not a field of {form.__name__}")
            if api_input is not None and key not in api_input().fields:
                gaps.append(f"{key}: not a field of {api_input.__name__}")
    for layer, parts in (
        ("page", page_actions),
        ("page's other forms", page_forms),
        ("API", api_actions),
        ("API's other inputs", api_inputs),
    ):
        gaps.extend(f"{key}: a part in the {layer} but no action" for key in parts if key not in actions)
    return gaps


@register()
def action_table_is_whole(app_configs, **kwargs) -> list[Error]:
    """Every action of the workflow's table has its rule, service, route, page form and API input."""
    # The page and API layers sit above the services: read once the apps are loaded, never at import.
    from hazards.api.views.hazards import API_ACTIONS, OTHER_INPUTS
    from hazards.pages.forms.workflow import OTHER_FORMS, PAGE_ACTIONS
    from hazards.services.workflow import ACTIONS

    return [
        Error(gap, hint="Each action needs every part: see hazards.services.workflow.", id="hazards.E001")
        for gap in action_table_gaps(ACTIONS, PAGE_ACTIONS, OTHER_FORMS, API_ACTIONS, OTHER_INPUTS)
    ]
