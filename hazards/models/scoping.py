"""One scoping rule for every model: what a user may see follows from the user's role and scope."""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q

from hazards.lib import request_context as audit_context


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` keeps only the rows inside the user's scope.

    Subclasses name the lookup from their rows to a region code and to an enterprise id; a region user sees
    the subtree of the region (by code prefix), an enterprise user its own enterprise, an administrator all.
    A `get()` on a scoped queryset that finds nothing, for a row that exists outside the scope, marks the
    request being served, so that its 404 is logged as denied access (a mistyped address is not).
    """

    region_code_lookup: str
    enterprise_lookup: str
    _scoped: bool = False

    def visible_to(self, user) -> "ScopedQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.sees_everything:
            return self.all()
        scoped = self.filter(self.scope_condition(user))
        scoped._scoped = True
        return scoped

    def scope_condition(self, user) -> Q:
        if user.is_region_user:
            return Q(**{f"{self.region_code_lookup}__startswith": user.region.code_prefix})
        if user.is_enterprise_user:
            return Q(**{self.enterprise_lookup: user.enterprise_id})
        return Q(pk__in=[])

    def _clone(self):
        clone = super()._clone()
        clone._scoped = self._scoped
        return clone

    def get(self, *args, **kwargs):
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            if self._scoped and audit_context.current_request() is not None:
                self._mark_if_outside_scope(args, kwargs)
            raise

    def _mark_if_outside_scope(self, args, kwargs) -> None:
        # One more query, only on a miss while a request is served: does the row exist at all?
        try:
            found = self.model._base_manager.filter(*args, **kwargs).values_list("pk", flat=True).first()
        except (FieldError, TypeError, ValueError):
            return  # a lookup on an annotation or a malformed value: nothing to say
        if found is not None:
            audit_context.mark_out_of_scope(self.model._meta.label_lower, found)
