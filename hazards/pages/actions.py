"""The routes of the actions posted from an object's page (a hazard's workflow, an inspection's checklist).

An action URL is only ever posted to. Opened any other way (a reload, a bookmark, the login's return) it
answers with the object's page. A post that arrives without a session (it expired while the user typed) keeps
what was typed, says the session ended on the login page, and returns to the object's page after the login.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

DRAFT_KEY = "action_draft"


def action_route(object_page: Callable[..., str]) -> Callable:
    """Wrap the view of a posted action; object_page(**url kwargs) is the path of the object's page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            page = object_page(**kwargs)
            if request.method != "POST":
                return redirect(page)
            if not request.user.is_authenticated:
                keep_draft(request, page, kwargs.get("action", ""))
                messages.warning(request, _("Your session ended. Log in again to go on where you were."))
                return redirect_to_login(page)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def keep_draft(request: HttpRequest, page: str, action: str) -> None:
    """Keep the typed fields of an action posted after the session ended, for its page after the login."""
    data = {name: value for name, value in request.POST.items() if name != "csrfmiddlewaretoken"}
    request.session[DRAFT_KEY] = {"page": page, "action": action, "data": data}


def take_draft(request: HttpRequest, page: str) -> tuple[str, dict] | None:
    """The action and typed fields kept for this page, once (a draft of another page stays kept)."""
    draft = request.session.get(DRAFT_KEY)
    if not isinstance(draft, dict) or draft.get("page") != page:
        return None
    del request.session[DRAFT_KEY]
    return str(draft.get("action", "")), dict(draft.get("data") or {})
