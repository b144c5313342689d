"""The portal's own password rule, next to Django's (AUTH_PASSWORD_VALIDATORS): letters and digits.

Django's validators refuse a password shorter than 12 characters (the length is set there), one close to
the user's name, a common one and an all-digit one; this one asks for at least one letter and one digit.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """A password must mix letters and digits."""

    def validate(self, password: str, user=None) -> None:
        if not any(character.isalpha() for character in password):
            raise ValidationError(_("This password contains no letter."), code="password_no_letter")
        if not any(character.isdigit() for character in password):
            raise ValidationError(_("This password contains no digit."), code="password_no_digit")

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")
