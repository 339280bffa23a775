"""The invoice number pattern of the settings (integria_crm/tools/invoice_number.py)."""

import pytest
from conftest import load_tool

invoice_number = load_tool("invoice_number")


def _numbers(pattern, count):
    parsed = invoice_number.parse_pattern(pattern)
    return [invoice_number.format_number(parsed, parsed.seed + step) for step in range(count)]


def test_manual_example():
    assert _numbers("15/[1000]", 3) == ["15/1000", "15/1001", "15/1002"]


def test_parse_pattern():
    assert invoice_number.parse_pattern("15/[1000]") == ("15/", 1000, 4, "")
    assert invoice_number.parse_pattern(" INV-[7]-ES ") == ("INV-", 7, 1, "-ES")
    assert invoice_number.parse_pattern("[1]") == ("", 1, 1, "")


def test_numeric_order_past_the_seed_width():
    pattern = invoice_number.parse_pattern("15/[9998]")
    assert [invoice_number.format_number(pattern, n) for n in (9998, 9999, 10000)] == [
        "15/9998",
        "15/9999",
        "15/10000",
    ]


def test_leading_zeros_keep_their_width():
    assert _numbers("F-[0098]", 3) == ["F-0098", "F-0099", "F-0100"]
    pattern = invoice_number.parse_pattern("F-[0001]")
    assert invoice_number.format_number(pattern, 12345) == "F-12345"


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("", invoice_number.EMPTY),
        ("   ", invoice_number.EMPTY),
        (None, invoice_number.EMPTY),
        ("15/1000", invoice_number.NO_BRACKETS),
        ("15/[abc]", invoice_number.NOT_NUMERIC),
        ("15/[]", invoice_number.NOT_NUMERIC),
        ("15/[-5]", invoice_number.NOT_NUMERIC),
        ("15/[1.5]", invoice_number.NOT_NUMERIC),
        ("15/[ 10]", invoice_number.NOT_NUMERIC),
        ("15/[١٢]", invoice_number.NOT_NUMERIC),  # non-ASCII digits
        ("[15]/[1000]", invoice_number.SEVERAL_GROUPS),
        ("15/[[1000]]", invoice_number.SEVERAL_GROUPS),
        ("15/[1000", invoice_number.UNBALANCED),
        ("15/1000]", invoice_number.UNBALANCED),
        ("15/]1000[", invoice_number.UNBALANCED),
        ("15/[1234567890]", invoice_number.TOO_LARGE),
    ],
)
def test_bad_patterns(pattern, code):
    with pytest.raises(invoice_number.PatternError) as error:
        invoice_number.parse_pattern(pattern)
    assert error.value.code == code


def test_parse_number():
    pattern = invoice_number.parse_pattern("15/[1000]")
    assert invoice_number.parse_number(pattern, "15/1000") == 1000
    assert invoice_number.parse_number(pattern, "15/10000") == 10000
    assert invoice_number.parse_number(pattern, "15/999") is None  # the pattern writes 15/0999
    for other in ("16/1000", "15/", "15/10a0", "15/01000", "", None, "x15/1000"):
        assert invoice_number.parse_number(pattern, other) is None
    suffixed = invoice_number.parse_pattern("A[01]Z")
    assert invoice_number.parse_number(suffixed, "A07Z") == 7
    assert invoice_number.parse_number(suffixed, "A7Z") is None


def test_format_and_parse_round_trip():
    pattern = invoice_number.parse_pattern("2024-[00001]/B")
    for number in (1, 99, 100000, 123456789):
        text = invoice_number.format_number(pattern, number)
        assert invoice_number.parse_number(pattern, text) == number


def test_next_candidates():
    pattern = invoice_number.parse_pattern("15/[1000]")
    assert invoice_number.next_candidates(pattern, 9999, 2) == [(9999, "15/9999"), (10000, "15/10000")]


def test_split_numbers_of_external_code():
    assert invoice_number.split_numbers(" 15/1000 ,15/1001,, 15/1000;F-3\n") == ["15/1000", "15/1001", "F-3"]
    assert invoice_number.split_numbers(False) == []
