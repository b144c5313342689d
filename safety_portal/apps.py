"""The portal's names for the apps it installs from others, so that the admin reads in the user's language."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesConfig):
    """django-axes, named as the admin's index shows it."""

    verbose_name = _("login protection")
