"""The portal's addresses and error handlers, with two that break: a page and an API endpoint that raise, so
that the tests see the 500 answers."""

from django.urls import path

from safety_portal.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("api/v1/broken/", broken), *urlpatterns]
