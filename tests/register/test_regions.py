"""Regions: GB/T 2260 codes, levels, and the subtree found by code prefix with one indexed query."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from hazards.models import Region, RegionLevel


def test_the_subtree_of_a_city_is_the_city_and_its_counties(liaoning):
    assert set(Region.objects.within(liaoning.shenyang).values_list("code", flat=True)) == {
        "210100",
        "210102",
        "210103",
    }


def test_the_subtree_of_a_province_is_everything_under_it(liaoning):
    assert Region.objects.within(liaoning.province).count() == 7


def test_the_subtree_of_a_county_is_the_county(liaoning):
    assert list(Region.objects.within(liaoning.counties["xigang"])) == [liaoning.counties["xigang"]]


def test_the_subtree_is_one_query_that_uses_an_index(liaoning):
    queryset = Region.objects.within(liaoning.shenyang)
    with CaptureQueriesContext(connection) as queries:
        list(queryset)
    assert len(queries) == 1
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "Index" in plan and "Seq Scan" not in plan, plan


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [("210104", RegionLevel.CITY, "province"), ("210300", RegionLevel.COUNTY, "province")],
)
def test_a_level_that_does_not_match_the_code_is_refused(liaoning, code, level, parent):
    region = Region(code=code, name="x", level=level, parent=getattr(liaoning, parent))
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert "level" in caught.value.message_dict


def test_a_county_whose_code_does_not_begin_with_its_parents_is_refused(liaoning):
    region = Region(code="210299", name="x", level=RegionLevel.COUNTY, parent=liaoning.shenyang)
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert "parent" in caught.value.message_dict


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [("210104", RegionLevel.COUNTY, None), ("220000", RegionLevel.PROVINCE, "province")],
)
def test_only_a_province_has_no_parent(liaoning, code, level, parent):
    region = Region(code=code, name="x", level=level, parent=parent and getattr(liaoning, parent))
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert "parent" in caught.value.message_dict


@pytest.mark.parametrize("code", ["21010", "2101020", "21a102"])
def test_a_code_that_is_not_six_digits_is_refused(liaoning, code):
    with pytest.raises(ValidationError) as caught:
        Region(code=code, name="x", level=RegionLevel.COUNTY, parent=liaoning.shenyang).full_clean()
    assert "code" in caught.value.message_dict


def test_the_database_refuses_a_malformed_code(db):
    with pytest.raises(IntegrityError):
        Region.objects.create(code="21A100", name="x", level=RegionLevel.PROVINCE)


def test_the_database_refuses_a_city_without_a_parent(db):
    with pytest.raises(IntegrityError):
        Region.objects.create(code="210100", name="沈阳市", level=RegionLevel.CITY)
