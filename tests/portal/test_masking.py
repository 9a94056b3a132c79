"""Tests for portal.masking: standard formats, blanks and never revealing more than half."""

import pytest

from portal.masking import mask_middle, mask_mobile, mask_resident_id

DIGITS = "1234567890" * 4


def revealed(masked: str) -> int:
    return sum(1 for char in masked if char != "*")


def test_mask_mobile_standard():
    assert mask_mobile("13812345678") == "138****5678"


@pytest.mark.parametrize("value", ["+86 13812345678", "8613812345678", " 13812345678 "])
def test_mask_mobile_prefixed_forms_are_reduced_to_11_digits(value):
    assert mask_mobile(value) == "138****5678"


def test_mask_resident_id_standard():
    assert mask_resident_id("330802199001011234") == "3308**********1234"
    assert mask_resident_id("11010519491231002x") == "1101**********002X"


@pytest.mark.parametrize("function", [mask_mobile, mask_resident_id])
@pytest.mark.parametrize("blank", [None, ""])
def test_blank_values_give_empty_string(function, blank):
    assert function(blank) == ""


def test_mask_middle_blank():
    assert mask_middle(None, 3, 4) == ""
    assert mask_middle("", 3, 4) == ""


def test_mask_middle_keeps_requested_characters_when_short_enough():
    assert mask_middle("abcdefghij", 2, 3) == "ab*****hij"
    assert mask_middle("abcdefghij", 0, 0) == "**********"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "*"),
        ("12", "*2"),
        ("123", "**3"),
        ("1234", "1**4"),
        ("12345", "1***5"),
        ("123456", "1***56"),
        ("1234567", "1****67"),
    ],
)
def test_mask_middle_short_values(value, expected):
    assert mask_middle(value, 3, 4) == expected


@pytest.mark.parametrize("length", range(1, 31))
@pytest.mark.parametrize(("keep_start", "keep_end"), [(3, 4), (4, 4), (10, 0), (0, 10), (6, 6)])
def test_mask_middle_never_reveals_more_than_half(length, keep_start, keep_end):
    masked = mask_middle(DIGITS[:length], keep_start, keep_end)
    assert len(masked) == length
    assert revealed(masked) <= length // 2
    assert "*" in masked


@pytest.mark.parametrize("length", range(1, 31))
def test_non_standard_lengths_never_reveal_more_than_half(length):
    value = DIGITS[:length]
    for masked in (mask_mobile(value), mask_resident_id(value)):
        assert len(masked) == length
        assert revealed(masked) <= length // 2


def test_invalid_11_digit_value_is_not_treated_as_mobile():
    masked = mask_mobile("12345678901")  # 11 digits, but not a mobile number
    assert revealed(masked) <= 5


def test_old_15_digit_resident_id():
    masked = mask_resident_id("330802900101123")
    assert len(masked) == 15
    assert revealed(masked) <= 7
    assert masked.startswith("33")


def test_mask_middle_rejects_negative_counts():
    with pytest.raises(ValueError):
        mask_middle("abcdef", -1, 2)
