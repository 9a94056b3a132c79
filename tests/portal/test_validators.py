"""Tests for portal.validators: USCC (GB 32100), resident ID (GB 11643) and mobile numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portal.validators import (
    RESIDENT_ID_WEIGHTS,
    USCC_CHARSET,
    USCC_WEIGHTS,
    compute_resident_id_check,
    compute_uscc_check,
    normalize_mobile,
    normalize_resident_id,
    normalize_uscc,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


def english_message(validator, value) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as info:
        validator(value)
    with translation.override("en"):
        return info.value.messages[0]


# --- Unified social credit code ---------------------------------------------------------


def make_uscc(first17: str) -> str:
    return first17 + compute_uscc_check(first17)


def test_uscc_tables_match_gb_32100():
    assert len(USCC_CHARSET) == 31
    assert not set("IOSVZ") & set(USCC_CHARSET)
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_compute_uscc_check_by_hand():
    first17 = "91330800MA2A0B1C3"
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    expected = USCC_CHARSET[(31 - total % 31) % 31]
    assert compute_uscc_check(first17) == expected


def test_compute_uscc_check_maps_31_to_0():
    # All zeros: sum is 0, 31 - 0 = 31, which must become '0'.
    assert compute_uscc_check("0" * 17) == "0"


@pytest.mark.parametrize("bad", ["", "9133080", "91330800MA2A0B1C3X", "91330800MA2A0B1CI"])
def test_compute_uscc_check_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        compute_uscc_check(bad)


@pytest.mark.parametrize(
    "first17",
    [
        "91330800MA2A0B1C3",  # enterprise registered by market regulation
        "N2330802MA2J4K7L9",  # village collective economic organisation (agriculture)
        "N1330802123456789",
        "Y1110105MA01ABCD1",  # "other" registration authority
        "A1110000000000000",
        "52330000MJ9876543",  # social organisation registered by civil affairs
        "12330000470000000",
    ],
)
def test_valid_uscc_built_by_algorithm(first17):
    assert validate_uscc(make_uscc(first17)) is None


def test_known_real_uscc_passes():
    # Published code of a Zhejiang enterprise; its check character agrees with GB 32100.
    assert compute_uscc_check("91330000142916567") == "N"
    validate_uscc("91330000142916567N")


def test_uscc_lowercase_spaces_and_full_width_are_accepted():
    code = make_uscc("91330800MA2A0B1C3")
    validate_uscc(code.lower())
    validate_uscc(f" {code[:4]} {code[4:8]} {code[8:]} ")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    validate_uscc(full_width)
    assert normalize_uscc(f" {code.lower()[:9]}\u3000{code.lower()[9:]} ") == code
    assert normalize_uscc(full_width) == code
    assert normalize_uscc(None) == ""


def test_uscc_wrong_check_character():
    code = make_uscc("91330800MA2A0B1C3")
    wrong = next(c for c in USCC_CHARSET if c != code[-1])
    assert error_code(validate_uscc, code[:-1] + wrong) == "uscc_check"
    assert "check character" in english_message(validate_uscc, code[:-1] + wrong)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_forbidden_letters(letter):
    code = make_uscc("91330800MA2A0B1C3")
    assert error_code(validate_uscc, code[:10] + letter + code[11:]) == "uscc_characters"


@pytest.mark.parametrize("bad", ["91330800MA2A0B1C3-", "91330800MA2A0B1C3#", "91330800MA2A0B1C3中"])
def test_uscc_other_invalid_characters(bad):
    assert error_code(validate_uscc, bad) == "uscc_characters"


def test_uscc_division_code_must_be_digits():
    code = make_uscc("913308A0MA2A0B1C3")  # check character is right, division is not
    assert error_code(validate_uscc, code) == "uscc_division"


@pytest.mark.parametrize("bad", ["", "9133080", "91330800MA2A0B1C3", "91330800MA2A0B1C3N1"])
def test_uscc_wrong_length(bad):
    assert error_code(validate_uscc, bad) == "uscc_length"


def test_uscc_length_message_reports_length():
    message = english_message(validate_uscc, "91330800MA2A0")
    assert "18" in message and "13" in message


def test_uscc_none_is_rejected():
    assert error_code(validate_uscc, None) == "uscc_length"


# --- Resident identity card number --------------------------------------------------------


def make_resident_id(birth: str, area: str = "330802", sequence: str = "123") -> str:
    first17 = area + birth + sequence
    return first17 + compute_resident_id_check(first17)


def id_with_x_check() -> str:
    for number in range(1000):
        first17 = f"33080219900101{number:03d}"
        if compute_resident_id_check(first17) == "X":
            return first17 + "X"
    raise AssertionError("no sequence number gives an X check character")


def test_resident_id_weights_match_gb_11643():
    assert RESIDENT_ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_compute_resident_id_check_by_hand():
    first17 = "33080219900101123"
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    assert compute_resident_id_check(first17) == "10X98765432"[total % 11]


def test_resident_id_standard_example():
    # The worked example from GB 11643-1999.
    validate_resident_id("11010519491231002X")


@pytest.mark.parametrize("bad", ["", "3308021990010112", "3308021990010112A"])
def test_compute_resident_id_check_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        compute_resident_id_check(bad)


def test_valid_resident_id_built_by_algorithm():
    validate_resident_id(make_resident_id("19900101"))
    validate_resident_id(make_resident_id("20000229"))  # leap day
    validate_resident_id(make_resident_id("19000101"))


def test_resident_id_lowercase_x_is_accepted():
    number = id_with_x_check()
    validate_resident_id(number.lower())
    assert normalize_resident_id(f" {number.lower()} ") == number
    assert normalize_resident_id(None) == ""


def test_resident_id_wrong_check_digit():
    number = make_resident_id("19900101")
    wrong = "1" if number[-1] != "1" else "2"
    assert error_code(validate_resident_id, number[:-1] + wrong) == "resident_id_check"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900100", "19890229", "18991231"])
def test_resident_id_invalid_birth_date(birth):
    assert error_code(validate_resident_id, make_resident_id(birth)) == "resident_id_birth_date"


def test_resident_id_standard_example_born_before_1900_is_rejected():
    # Also from GB 11643-1999; its check digit is right, but 1880 is before 1900.
    assert compute_resident_id_check("44052418800101001") == "4"
    assert error_code(validate_resident_id, "440524188001010014") == "resident_id_birth_date"


def test_resident_id_future_birth_date():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    number = make_resident_id(tomorrow.strftime("%Y%m%d"))
    assert error_code(validate_resident_id, number) == "resident_id_birth_date"


def test_resident_id_born_today_is_valid():
    validate_resident_id(make_resident_id(timezone.localdate().strftime("%Y%m%d")))


@pytest.mark.parametrize(
    "bad",
    ["33080219900101123A", "3308021990010112X3", "33080219900101-234", "X30802199001011234"],
)
def test_resident_id_bad_format(bad):
    assert error_code(validate_resident_id, bad) == "resident_id_format"


@pytest.mark.parametrize("bad", ["", "330802900101123", "3308021990010112345", None])
def test_resident_id_wrong_length(bad):
    assert error_code(validate_resident_id, bad) == "resident_id_length"


# --- Mobile numbers ---------------------------------------------------------------------------


def test_valid_mobile_without_prefix():
    validate_mobile("19912345678")
    assert normalize_mobile("19912345678") == "19912345678"


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+8613812345678",
        "+86 13812345678",
        "+86-13812345678",
        "8613812345678",
        "86 13812345678",
        "86-13812345678",
        " 13812345678 ",
        "１３８１２３４５６７８",  # full-width digits from a Chinese input method
        "＋８６　１３８１２３４５６７８",
    ],
)
def test_valid_mobile_forms(value):
    validate_mobile(value)
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # second digit 2
        "11812345678",
        "23812345678",
        "1381234567a",
        "abcdefghijk",
        "+87 13812345678",
        "+86  13812345678",
        "++8613812345678",
        "138 1234 5678",
        "+86",
        None,
    ],
)
def test_invalid_mobile(value):
    assert error_code(validate_mobile, value) == "mobile"


def test_normalize_mobile_leaves_invalid_input_recognisable():
    assert normalize_mobile("  12345 ") == "12345"
    assert normalize_mobile(None) == ""
