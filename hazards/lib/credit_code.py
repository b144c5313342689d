"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capital letters without I, O, Z, S and V);
the last is a check character over the first seventeen, weighted by powers of 3 modulo 31.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
WEIGHTS = tuple(pow(3, i, 31) for i in range(LENGTH - 1))
FORBIDDEN_LETTERS = "IOZSV"
PATTERN = f"^[{ALPHABET}]{{{LENGTH}}}$"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character that completes the first seventeen characters of a code."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    forbidden = sorted({char for char in value if char in FORBIDDEN_LETTERS})
    if forbidden:
        raise ValidationError(
            _("The letters I, O, Z, S and V never appear in a credit code; found %(letters)s."),
            code="credit_code_forbidden_letter",
            params={"letters": ", ".join(forbidden)},
        )
    if not re.fullmatch(PATTERN, value):
        raise ValidationError(
            _("A credit code has only digits and capital letters."),
            code="credit_code_characters",
        )
    expected = check_character(value[:-1])
    if value[-1] != expected:
        raise ValidationError(
            _("The check character of this credit code should be %(expected)s, not %(actual)s."),
            code="credit_code_check",
            params={"expected": expected, "actual": value[-1]},
        )
