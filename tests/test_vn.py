"""Vietnamese numbers, text and dates (kpi/vn.py)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.errors import NumberFormatError
from kpi.vn import (
    clean_text,
    column_convention,
    fold,
    format_number,
    format_pct,
    match_key,
    parse_date,
    parse_number,
    period_words,
    round_half_up,
)

# text, the column's convention, value, percent sign, ambiguous
NUMBERS = [
    ("3.300,9", "vi", "3300.9", False, False),
    ("72,89%", "vi", "72.89", True, False),
    ("0,17 %", "vi", "0.17", True, False),
    ("72.89 %", "vi", "72.89", True, False),  # English decimal point: unambiguous (2 digits)
    ("72.89\u00a0%", "vi", "72.89", True, False),  # non-breaking space before %
    ("1.234.567", "vi", "1234567", False, False),
    ("1 234 567", "vi", "1234567", False, False),
    ("1\u00a0234\u00a0567,5", "vi", "1234567.5", False, False),
    (" 980 ", "vi", "980", False, False),
    ("1.250", "vi", "1250", False, True),  # Vietnamese rule: "." then 3 digits = thousands
    ("1.250", "en", "1.250", False, True),  # …unless the column writes English decimals
    ("1,234", "vi", "1.234", False, True),  # Vietnamese rule: "," is the decimal sign
    ("1,234", "en", "1234", False, True),
    ("1,234.5", "vi", "1234.5", False, False),
    ("1,234,567", "vi", "1234567", False, False),
    ("0.125", "vi", "0.125", False, False),  # a leading 0 cannot start a thousands group
    ("45", "vi", "45", False, False),
    ("-5", "vi", "-5", False, False),
    ("(5)", "vi", "-5", False, False),
    ("−5,5", "vi", "-5.5", False, False),  # U+2212 minus
    ("+3", "vi", "3", False, False),
]


@pytest.mark.parametrize("text,convention,value,percent,ambiguous", NUMBERS)
def test_numbers(text, convention, value, percent, ambiguous):
    got = parse_number(text, convention)
    assert got.value == Decimal(value)
    assert got.percent is percent
    assert got.ambiguous is ambiguous


@pytest.mark.parametrize("text", ["-", "", "x", "X", "…", "...", "—", "–", "  ", "Chưa có số liệu", "n/a"])
def test_no_figure_is_never_zero(text):
    assert parse_number(text).value is None


@pytest.mark.parametrize("text", ["abc", "12 tỷ", "1,2,3.4,5", "1.23.4", "12a", "3.300,9,1", "%"])
def test_not_numbers(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


@pytest.mark.parametrize(
    "texts,expected",
    [
        (["3.300,9", "1.250"], ("vi", True)),
        (["72.89", "1.250"], ("en", True)),
        (["1.250", " 980 "], ("vi", False)),  # no evidence: Vietnamese rule, ambiguous cells listed
        (["1,234.5", "3.300,9"], ("vi", False)),  # evidence both ways: Vietnamese rule, listed
        ([], ("vi", False)),
    ],
)
def test_one_rule_per_column(texts, expected):
    assert column_convention(texts) == expected


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("\ufeffĐơn vị\ntính\u00a0", "Đơn vị tính"),
        ("Đơn\u200bvị tính", "Đơnvị tính"),
        ("ABC_x000D_DEF", "ABC DEF"),
        ("Chỉ\x00 tiêu", "Chỉ tiêu"),
        ("  Tổng   vốn  ", "Tổng vốn"),
        ("Hưng Hoá", "Hưng Hoá"),
        (None, ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_nfd_and_nfc_are_one_text():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Tổng thu ngân sách nhà nước")
    assert nfd != "Tổng thu ngân sách nhà nước"
    assert clean_text(nfd) == "Tổng thu ngân sách nhà nước"


@pytest.mark.parametrize(
    "a,b",
    [
        ("Hưng Hóa", "Hưng Hoá"),
        ("Thủy", "Thuỷ"),
        ("THỊ TRẤN HƯNG HÓA", "thị trấn hưng hoá"),
        ("Hòa", "Hoà"),
        ("Khỏe", "Khoẻ"),
    ],
)
def test_old_and_new_tone_placement_match(a, b):
    assert match_key(a) == match_key(b)


def test_tone_marks_still_distinguish_words():
    assert match_key("Hóa") != match_key("Hoa")
    assert match_key("Tề Lễ") != match_key("Tế Lê")


@pytest.mark.parametrize(
    "text,folded", [("Đơn vị tính", "don vi tinh"), ("Hưng Hóa", "hung hoa"), ("ĐVT", "dvt"), ("Đức", "duc")]
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "value,decimals,shown",
    [
        (3300.9, 1, "3.300,9"),
        (2438.3, None, "2.438,3"),
        (1234567.891, 2, "1.234.567,89"),
        (805, 0, "805"),
        (0.17, 2, "0,17"),
        (None, 1, "–"),
        (float("nan"), 1, "–"),
        (15.765, None, "15,77"),  # half-up like round_half_up, not Python's banker's rounding
        (2.5, 0, "3"),
        (1e31, 0, "10" + ".000" * 10),  # more digits than the default decimal context's 28
        (10**40 + 5, None, "10" + ".000" * 12 + ".005"),
    ],
)
def test_format_vi(value, decimals, shown):
    assert format_number(value, decimals) == shown


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-(10**60), max_value=10**60, places=2, allow_nan=False, allow_infinity=False))
def test_any_magnitude_formats_and_rounds(value):
    shown = format_number(value, 2)
    assert parse_number(shown).value == value
    assert round_half_up(value, 1) == value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=Context(prec=80))


def test_format_pct():
    assert format_pct(72.89) == "72,89 %"


@pytest.mark.parametrize(
    "value,decimals,expected",
    [
        (15.765, 2, "15.77"),
        (0.0017 * 100, 2, "0.17"),
        (2.5, 0, "3"),
        (825.225, 1, "825.2"),
        (1650.45, 1, "1650.5"),
    ],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == Decimal(expected)


@pytest.mark.parametrize(
    "raw,expected,ambiguous",
    [
        ("31/03/2024", dt.date(2024, 3, 31), False),
        ("31-3-2024", dt.date(2024, 3, 31), False),
        ("31.3.2024", dt.date(2024, 3, 31), False),
        ("2024-03-31", dt.date(2024, 3, 31), False),
        ("03/04/2024", dt.date(2024, 4, 3), True),  # day first, noted
        ("ngày 05 tháng 4 năm 2024", dt.date(2024, 4, 5), False),
        (45382, dt.date(2024, 3, 31), False),  # serial, 1900 system
        ("45382", dt.date(2024, 3, 31), False),
        (dt.datetime(2024, 3, 31, 8, 0), dt.date(2024, 3, 31), False),
    ],
)
def test_dates_day_first(raw, expected, ambiguous):
    got = parse_date(raw)
    assert (got.value, got.ambiguous) == (expected, ambiguous)


def test_dates_1904_system():
    assert parse_date(43920, date1904=True).value == dt.date(2024, 3, 31)


def test_bad_dates():
    for raw in ("31/02/2024", "hôm qua"):
        with pytest.raises(NumberFormatError):
            parse_date(raw)


# -- property-based: the parsers never raise anything but our own errors -------------------------


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%-+() \u00a0xX…abcđ−")), max_size=16))
def test_parse_number_never_crashes(text):
    try:
        got = parse_number(text)
    except NumberFormatError:
        return
    assert got.value is None or isinstance(got.value, Decimal)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_text_helpers_accept_anything(text):
    assert isinstance(clean_text(text), str)
    assert isinstance(match_key(text), str)
    assert isinstance(fold(text), str)
    try:
        parse_date(text)
    except NumberFormatError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_vi_format_round_trips(value):
    shown = format_number(value, 3)
    assert parse_number(shown).value == value.quantize(Decimal("0.001"))


@pytest.mark.parametrize(
    ("label", "words"),
    [("2024-Q1", "Quý I/2024"), ("2024-Q3", "Quý III/2024"), ("2025-Q4", "Quý IV/2025"), ("2024", "Năm 2024")],
)
def test_a_period_label_in_words(label, words):

    assert period_words(label) == words


def test_no_period_is_no_words_and_a_register_is_the_year():
    from kpi.vn import quarter_words

    assert [period_words(v) for v in (None, float("nan"), "")] == ["", "", ""]
    assert (quarter_words(2024, 2), quarter_words(2024, None), quarter_words(2024, float("nan"))) == (
        "Quý II/2024",
        "Năm 2024",
        "Năm 2024",
    )
