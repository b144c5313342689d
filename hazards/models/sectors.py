from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """An industry under supervision (行业领域); the list is installed by a data migration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("English name"), max_length=64)
    name_zh = models.CharField(_("Chinese name"), max_length=32)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en
