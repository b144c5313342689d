"""The unified social credit code (GB 32100-2015) and its check character."""

import pytest
from django.core.exceptions import ValidationError

from hazards.lib.credit_code import ALPHABET, FORBIDDEN_LETTERS, check_character, validate_credit_code

# Published codes of real enterprises, in the official format.
REAL_CODES = ["91350100M000100Y43", "91110000600001760P", "914403001922038216", "91330000MA27U8N5YF"]


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(value)
    return caught.value.code


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_one_character_change_fails(code):
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(ValidationError):
                validate_credit_code(changed)


@pytest.mark.parametrize("letter", list(FORBIDDEN_LETTERS))
def test_the_letters_i_o_z_s_v_are_refused_with_their_own_message(letter):
    code = REAL_CODES[0][:8] + letter + REAL_CODES[0][9:]
    assert error_code(code) == "credit_code_forbidden_letter"
    with pytest.raises(ValidationError, match=letter):
        validate_credit_code(code)


def test_the_alphabet_has_31_characters_without_the_forbidden_letters():
    assert len(ALPHABET) == 31
    assert not set(ALPHABET) & set(FORBIDDEN_LETTERS)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y433", "credit_code_length"),
        ("", "credit_code_length"),
        ("91350100m000100Y43", "credit_code_characters"),
        ("91350100M00010-Y43", "credit_code_characters"),
        ("91350100M000100Y44", "credit_code_check"),
    ],
)
def test_malformed_codes_get_a_message_saying_what_is_wrong(value, code):
    assert error_code(value) == code


def test_the_check_message_names_the_expected_character():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Y44")
    assert "3" in caught.value.messages[0]


def test_a_check_character_of_value_zero_is_written_zero():
    # The sum of the first seventeen is a multiple of 31 only when the code ends in 0.
    first17 = next(
        f"9111000060000{a}{b}{c}{d}"
        for a in ALPHABET
        for b in ALPHABET
        for c in ALPHABET
        for d in ALPHABET
        if check_character(f"9111000060000{a}{b}{c}{d}") == "0"
    )
    validate_credit_code(first17 + "0")
