from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = _("Hazards and register")

    def ready(self) -> None:
        from hazards import checks, signals  # noqa: F401 - registers the deployment checks, the audit log's receivers
