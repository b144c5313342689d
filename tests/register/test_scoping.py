"""Who sees what: every model's visible_to(user) keeps a user inside the user's region or enterprise."""

from django.contrib.auth.models import AnonymousUser

from hazards.models import Enterprise, Region, User
from tests.factories import supervisor


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_a_city_supervisor_sees_its_counties_enterprises_and_not_a_neighbouring_citys(liaoning, cast):
    user = cast.shenyang_supervisor
    assert names(Enterprise.objects.visible_to(user)) == {"和平区燃气有限公司", "沈河区燃气有限公司"}


def test_a_province_supervisor_sees_every_city(liaoning, cast):
    user = cast.province_supervisor
    assert Enterprise.objects.visible_to(user).count() == 4


def test_a_county_inspector_sees_only_that_county(liaoning, cast):
    user = cast.zhongshan_inspector
    assert names(Enterprise.objects.visible_to(user)) == {"中山区燃气有限公司"}


def test_an_enterprise_user_sees_only_its_own_enterprise(liaoning, cast):
    user = cast.shenhe_staff
    assert list(Enterprise.objects.visible_to(user)) == [liaoning.enterprises["shenhe"]]


def test_an_administrator_sees_everything_and_an_anonymous_visitor_nothing(liaoning, cast):
    assert Enterprise.objects.visible_to(cast.admin).count() == 4
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(liaoning):
    user = supervisor(liaoning.province, is_active=False)
    assert not Enterprise.objects.visible_to(user).exists()


def test_regions_are_scoped_to_the_subtree(liaoning, cast):
    assert set(Region.objects.visible_to(cast.dalian_supervisor).values_list("code", flat=True)) == {
        "210200",
        "210202",
        "210203",
    }
    assert list(Region.objects.visible_to(cast.heping_staff)) == [liaoning.counties["heping"]]


def test_users_are_scoped_to_the_region_and_its_enterprises(liaoning, cast):
    city_supervisor = cast.shenyang_supervisor
    heping_inspector = cast.heping_inspector
    heping_staff = cast.heping_staff
    dalian_inspector = cast.dalian_inspector
    xigang_staff = cast.xigang_staff

    visible = set(User.objects.visible_to(city_supervisor))
    assert visible == {city_supervisor, heping_inspector, heping_staff}
    assert dalian_inspector not in visible and xigang_staff not in visible
    assert set(User.objects.visible_to(heping_staff)) == {heping_staff}
