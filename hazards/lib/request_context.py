"""The request being served, for the audit log: who asks from where, and whether a 404 came from the scope.

A context variable rather than a thread-local, so it follows the request into async code too. The audit
middleware sets it; the scoping queryset marks a lookup that missed only because of the user's scope.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)

# The request attribute holding (object type, object id) of the last lookup refused by the scope.
OUT_OF_SCOPE = "audit_out_of_scope"


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Make `request` the current request while the block runs."""
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


def current_request() -> HttpRequest | None:
    return _current.get()


def mark_out_of_scope(object_type: str, object_id: object) -> None:
    """Note on the current request that an object exists but lies outside the user's scope."""
    request = _current.get()
    if request is not None:
        setattr(request, OUT_OF_SCOPE, (object_type, str(object_id)[:64]))
