"""Fixtures of the hazard pages' tests: the people of the Liaoning map, and hazards at 和平区燃气有限公司."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from hazards.models import Hazard, HazardLevel, HazardStatus, User
from tests.factories import HazardFactory, enterprise_user, inspector, major_criterion, supervisor


@dataclass
class People:
    inspector: User  # 和平区
    supervisor: User  # 沈阳市
    staff: User  # 和平区燃气有限公司
    other_staff: User  # 沈河区燃气有限公司, same city
    other_inspector: User  # 中山区, Dalian
    other_supervisor: User  # 大连市


@pytest.fixture
def people(liaoning) -> People:
    return People(
        inspector=inspector(liaoning.counties["heping"], first_name="李检查"),
        supervisor=supervisor(liaoning.shenyang, first_name="王监管"),
        staff=enterprise_user(liaoning.enterprises["heping"], first_name="张安全"),
        other_staff=enterprise_user(liaoning.enterprises["shenhe"]),
        other_inspector=inspector(liaoning.counties["zhongshan"]),
        other_supervisor=supervisor(liaoning.dalian),
    )


@pytest.fixture
def make_hazard(liaoning, people):
    """A hazard at 和平区燃气有限公司, found by the 和平区 inspector."""

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
