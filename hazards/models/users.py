from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazards.models.scoping import ScopedQuerySet


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector")
    SUPERVISOR = "supervisor", _("Supervisor")
    ENTERPRISE = "enterprise", _("Enterprise")
    ADMINISTRATOR = "administrator", _("Administrator")


REGION_ROLES = (Role.INSPECTOR, Role.SUPERVISOR)


class UserQuerySet(ScopedQuerySet):
    region_code_lookup = "region__code"
    enterprise_lookup = "enterprise"

    def scope_condition(self, user) -> Q:
        # A region user also sees the users of the enterprises in the region.
        condition = super().scope_condition(user)
        if user.is_region_user:
            condition |= Q(enterprise__region__code__startswith=user.region.code_prefix)
        return condition


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person with one role and one scope: a region (inspectors, supervisors) or an enterprise."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "hazards.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The jurisdiction of an inspector or supervisor."),
    )
    enterprise = models.ForeignKey(
        "hazards.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The enterprise of an enterprise user."),
    )

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails the portal sends."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=REGION_ROLES, region__isnull=False, enterprise__isnull=True)
                    | Q(role=Role.ENTERPRISE, region__isnull=True, enterprise__isnull=False)
                    | Q(role=Role.ADMINISTRATOR, region__isnull=True, enterprise__isnull=True)
                ),
                name="user_scope_matches_role",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        # The role decides who opens the admin: an administrator does, whatever the admin's form said.
        self.is_staff = self.role == Role.ADMINISTRATOR
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)

    def has_perm(self, perm: str, obj=None) -> bool:
        """An active administrator may do in the admin all that its pages allow (read-only ones stay so)."""
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(app_label)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_region_user(self) -> bool:
        return self.role in REGION_ROLES and self.region_id is not None

    @property
    def is_enterprise_user(self) -> bool:
        return self.role == Role.ENTERPRISE and self.enterprise_id is not None

    @property
    def scope(self):
        """The region or enterprise the user works in, or None for an administrator."""
        if self.is_region_user:
            return self.region
        if self.is_enterprise_user:
            return self.enterprise
        return None

    def clean(self) -> None:
        super().clean()
        if self.role in REGION_ROLES:
            if self.region_id is None:
                raise ValidationError({"region": _("An inspector or supervisor needs a region.")})
            if self.enterprise_id is not None:
                raise ValidationError({"enterprise": _("An inspector or supervisor has no enterprise.")})
        elif self.role == Role.ENTERPRISE:
            if self.enterprise_id is None:
                raise ValidationError({"enterprise": _("An enterprise user needs an enterprise.")})
            if self.region_id is not None:
                raise ValidationError({"region": _("An enterprise user's region is its enterprise's.")})
        elif self.role == Role.ADMINISTRATOR and (self.region_id or self.enterprise_id):
            raise ValidationError(_("An administrator has no region or enterprise."))
