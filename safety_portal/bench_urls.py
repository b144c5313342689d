"""The portal's URLs plus a bare view, for the load benchmark only (bench/load_benchmark.py).

Used as ROOT_URLCONF when BENCH_BARE_VIEW is on, which no deployment sets: the bare view answers beside the
portal's pages, through the same server and middleware, to show what Django alone costs per request.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from safety_portal.urls import urlpatterns as portal_urlpatterns


def bench_bare(request: HttpRequest) -> HttpResponse:
    """A trivial page: no session, no query, no template."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/bare/", bench_bare, name="bench_bare"), *portal_urlpatterns]
