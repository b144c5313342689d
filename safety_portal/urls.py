"""The site's addresses: each app's pages at the root, each app's API under /api/v1/, the OpenAPI schema at
/api/schema/ with Swagger UI at /api/docs/, Django's account pages, and the admin; the error answers are the
portal's own (hazards.pages.errors), JSON under /api/."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hazards.api import urls as hazards_api
from hazards.api.errors import api_not_found
from hazards.pages import errors
from inspections.api import urls as inspections_api

api = [
    path("v1/", include((hazards_api.urlpatterns + inspections_api.urlpatterns, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    # Anything else under /api/ is the API's 404, in its shape, not a page.
    re_path(r"^", api_not_found),
]

urlpatterns = [
    path("", include("hazards.pages.urls")),
    path("", include("inspections.pages.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api)),
    path("admin/", admin.site.urls),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
