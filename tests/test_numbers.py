"""Vietnamese number reading, table-driven (thi-dua-domain.md §4.2–4.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doctpl.scoring import score_text
from doctpl.vn.numbers import group_digits, integer_words, money_text, money_words, number_words

CASES = [
    (0, "không"), (1, "một"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"), (55, "năm mươi lăm"),
    (101, "một trăm linh một"), (104, "một trăm linh bốn"), (105, "một trăm linh năm"), (110, "một trăm mười"),
    (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"), (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"), (1015, "một nghìn không trăm mười lăm"),
    (1050, "một nghìn không trăm năm mươi"), (2021, "hai nghìn không trăm hai mươi mốt"),
    (2026, "hai nghìn không trăm hai mươi sáu"), (10000, "mười nghìn"), (15000, "mười lăm nghìn"),
    (702000, "bảy trăm linh hai nghìn"), (1000500, "một triệu năm trăm"),
    (1005000, "một triệu không trăm linh năm nghìn"), (1050000, "một triệu không trăm năm mươi nghìn"),
    (1490000, "một triệu bốn trăm chín mươi nghìn"), (2340000, "hai triệu ba trăm bốn mươi nghìn"),
    (2530000, "hai triệu năm trăm ba mươi nghìn"), (11390000, "mười một triệu ba trăm chín mươi nghìn"),
    (1_000_000_000, "một tỷ"), (1_000_000_001, "một tỷ không trăm linh một"),
    (21_000_000_000, "hai mươi mốt tỷ"), (10**12, "một nghìn tỷ"), (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"), (1_234_567_891_011, "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu "
                           "tám trăm chín mươi mốt nghìn không trăm mười một"),
    (-1, "âm một"), (-2021, "âm hai nghìn không trăm hai mươi mốt"),
]


@pytest.mark.parametrize(("number", "words"), CASES)
def test_integer_words(number, words):
    assert integer_words(number) == words


@pytest.mark.parametrize(("number", "options", "words"), [
    (105, {"linh": "lẻ"}, "một trăm lẻ năm"), (1005, {"linh": "lẻ"}, "một nghìn không trăm lẻ năm"),
    (1500, {"nghin": "ngàn"}, "một ngàn năm trăm"), (24, {"tu": False}, "hai mươi bốn"),
])
def test_options(number, options, words):
    assert integer_words(number, **options) == words


@pytest.mark.parametrize(("value", "words"), [
    ("1,5", "một phẩy năm"), ("1.5", "một phẩy năm"), ("2,05", "hai phẩy không năm"), ("0,3", "không phẩy ba"),
    ("4,50", "bốn phẩy năm"), (Decimal("12.25"), "mười hai phẩy hai mươi lăm"), ("-0,5", "âm không phẩy năm"),
    (7, "bảy"),
])
def test_decimals(value, words):
    assert number_words(value) == words


def test_bad_options_and_values():
    with pytest.raises(ValueError):
        integer_words(5, linh="lin")
    with pytest.raises(ValueError):
        number_words("12a")


@pytest.mark.parametrize(("amount", "text"), [
    (2340000, "2.340.000 đồng (Hai triệu ba trăm bốn mươi nghìn đồng)"),
    (1490000, "1.490.000 đồng (Một triệu bốn trăm chín mươi nghìn đồng)"),
    (710000, "710.000 đồng (Bảy trăm mười nghìn đồng)"),
    (0, "0 đồng (Không đồng)"),
])
def test_money_text(amount, text):
    assert money_text(amount) == text


def test_money_words_chan_and_grouping():
    assert money_words(1800000, chan=True) == "Một triệu tám trăm nghìn đồng chẵn"
    assert group_digits(1234567890) == "1.234.567.890"


@pytest.mark.parametrize(("value", "text"), [("95.50", "95,5"), ("10.0", "10"), ("-0", "0"), ("-0.00", "0"),
                                              ("-2.5", "-2,5"), ("0.25", "0,25")])
def test_a_score_is_written_with_a_decimal_comma_no_trailing_zero_and_never_minus_zero(value, text):
    assert score_text(Decimal(value)) == text
