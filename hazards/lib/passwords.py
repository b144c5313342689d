"""The portal's password rule (AUTH_PASSWORD_VALIDATORS): at least 12 characters, with letters and digits.

It takes the place of Django's MinimumLengthValidator, whose message has no Chinese translation in Django's
own catalogue; Django's other validators still refuse a password close to the user's name, a common one and
an all-digit one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PasswordPolicyValidator:
    """A password of at least `min_length` characters that mixes letters and digits."""

    def __init__(self, min_length: int = 12) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("This password is too short: use at least %(min_length)d characters."),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if not any(character.isalpha() for character in password):
            errors.append(ValidationError(_("This password contains no letter."), code="password_no_letter"))
        if not any(character.isdigit() for character in password):
            errors.append(ValidationError(_("This password contains no digit."), code="password_no_digit"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("Your password must have at least %(min_length)d characters, with letters and digits.") % {
            "min_length": self.min_length
        }
