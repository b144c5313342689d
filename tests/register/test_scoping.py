"""Who sees what: every model's visible_to(user) keeps a user inside the user's region or enterprise."""

from django.contrib.auth.models import AnonymousUser

from hazards.models import Enterprise, Region, User
from tests.factories import administrator, enterprise_user, inspector, supervisor


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_a_city_supervisor_sees_its_counties_enterprises_and_not_a_neighbouring_citys(liaoning):
    user = supervisor(liaoning.shenyang)
    assert names(Enterprise.objects.visible_to(user)) == {"和平区燃气有限公司", "沈河区燃气有限公司"}


def test_a_province_supervisor_sees_every_city(liaoning):
    user = supervisor(liaoning.province)
    assert Enterprise.objects.visible_to(user).count() == 4


def test_a_county_inspector_sees_only_that_county(liaoning):
    user = inspector(liaoning.counties["zhongshan"])
    assert names(Enterprise.objects.visible_to(user)) == {"中山区燃气有限公司"}


def test_an_enterprise_user_sees_only_its_own_enterprise(liaoning):
    user = enterprise_user(liaoning.enterprises["shenhe"])
    assert list(Enterprise.objects.visible_to(user)) == [liaoning.enterprises["shenhe"]]


def test_an_administrator_sees_everything_and_an_anonymous_visitor_nothing(liaoning):
    assert Enterprise.objects.visible_to(administrator()).count() == 4
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(liaoning):
    user = supervisor(liaoning.province, is_active=False)
    assert not Enterprise.objects.visible_to(user).exists()


def test_regions_are_scoped_to_the_subtree(liaoning):
    assert set(Region.objects.visible_to(supervisor(liaoning.dalian)).values_list("code", flat=True)) == {
        "210200",
        "210202",
        "210203",
    }
    assert list(Region.objects.visible_to(enterprise_user(liaoning.enterprises["heping"]))) == [
        liaoning.counties["heping"]
    ]


def test_users_are_scoped_to_the_region_and_its_enterprises(liaoning):
    city_supervisor = supervisor(liaoning.shenyang)
    heping_inspector = inspector(liaoning.counties["heping"])
    heping_staff = enterprise_user(liaoning.enterprises["heping"])
    dalian_inspector = inspector(liaoning.dalian)
    xigang_staff = enterprise_user(liaoning.enterprises["xigang"])

    visible = set(User.objects.visible_to(city_supervisor))
    assert visible == {city_supervisor, heping_inspector, heping_staff}
    assert dalian_inspector not in visible and xigang_staff not in visible
    assert set(User.objects.visible_to(heping_staff)) == {heping_staff}
