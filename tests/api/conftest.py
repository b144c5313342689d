"""Fixtures of the API's tests: the people of the Liaoning map, hazards inside and outside their scope, and
API clients that authenticate with each person's token, as a program would.

Scopes: the inspector and supervisor work in 沈阳市 (Shenyang), the enterprise user at 和平区燃气有限公司;
"outside" is Dalian (中山区燃气有限公司), which none of them may see but the administrator.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hazards.models import Hazard, HazardLevel, HazardStatus, User
from tests.factories import (
    HazardFactory,
    administrator,
    enterprise_user,
    inspector,
    major_criterion,
    supervisor,
)

ROLES = ("anonymous", "inspector", "supervisor", "enterprise", "administrator")


@dataclass
class People:
    inspector: User  # 沈阳市
    supervisor: User  # 沈阳市
    enterprise: User  # 和平区燃气有限公司 (沈阳市和平区)
    administrator: User
    other_inspector: User  # 大连市
    other_supervisor: User  # 大连市
    other_enterprise: User  # 中山区燃气有限公司 (大连市中山区)

    def by_role(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def people(liaoning) -> People:
    return People(
        inspector=inspector(liaoning.shenyang, first_name="李检查"),
        supervisor=supervisor(liaoning.shenyang, first_name="王监管"),
        enterprise=enterprise_user(liaoning.enterprises["heping"], first_name="张安全"),
        administrator=administrator(),
        other_inspector=inspector(liaoning.dalian),
        other_supervisor=supervisor(liaoning.dalian),
        other_enterprise=enterprise_user(liaoning.enterprises["zhongshan"]),
    )


@pytest.fixture
def api():
    """api(user) is a client authenticated with the user's token; api(None) an anonymous one."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def make_hazard(liaoning, people):
    """A hazard at 和平区燃气有限公司 (inside every scope of `people`), or at `enterprise=`."""

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


@pytest.fixture
def outside_hazard(liaoning, people, make_hazard) -> Hazard:
    """A hazard in Dalian: outside the scope of everyone in `people` but the administrator."""
    return make_hazard(enterprise=liaoning.enterprises["zhongshan"], found_by=people.other_inspector)


def error(response) -> dict:
    """The error body, checked to have the API's one shape."""
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}, body
    return body
