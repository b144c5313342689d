"""Helpers of the API's tests: the roles of the permission matrix and their people, and the error shape.

The roles' people are the cast's of 沈阳市: the inspector and the supervisor of the city, the staff of
和平区燃气有限公司; "outside" is Dalian, which none of them may see but the administrator.
"""

from hazards.models import User
from tests.conftest import Cast

ROLES = ("anonymous", "inspector", "supervisor", "enterprise", "administrator")
MEMBER_OF_ROLE = {
    "inspector": "shenyang_inspector",
    "supervisor": "shenyang_supervisor",
    "enterprise": "heping_staff",
    "administrator": "admin",
}


def by_role(cast: Cast, role: str) -> User | None:
    """The user of the role in the API's tests; None for an anonymous client."""
    return None if role == "anonymous" else getattr(cast, MEMBER_OF_ROLE[role])


def error(response) -> dict:
    """The error body, checked to have the API's one shape."""
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}, body
    return body
