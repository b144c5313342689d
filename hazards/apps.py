from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = _("Hazards and register")

    def ready(self) -> None:
        from hazards import signals  # noqa: F401 - connects the audit log's receivers
