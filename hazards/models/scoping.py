"""One scoping rule for every model: what a user may see follows from the user's role and scope."""

from django.db import models
from django.db.models import Q


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` keeps only the rows inside the user's scope.

    Subclasses name the lookup from their rows to a region code and to an enterprise id; a region user sees
    the subtree of the region (by code prefix), an enterprise user its own enterprise, an administrator all.
    """

    region_code_lookup: str
    enterprise_lookup: str

    def visible_to(self, user) -> "ScopedQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.sees_everything:
            return self.all()
        return self.filter(self.scope_condition(user))

    def scope_condition(self, user) -> Q:
        if user.is_region_user:
            return Q(**{f"{self.region_code_lookup}__startswith": user.region.code_prefix})
        if user.is_enterprise_user:
            return Q(**{self.enterprise_lookup: user.enterprise_id})
        return Q(pk__in=[])
