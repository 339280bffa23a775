"""Integria's positional create_lead parameters (integria_crm/tools/lead_api.py)."""

from urllib.parse import parse_qs, urlencode

import pytest
from conftest import load_tool

lead_api = load_tool("lead_api")
parse = lead_api.parse_create_lead
LeadApiError = lead_api.LeadApiError

MANUAL_EXAMPLE = "Jimmy,PFMS,Rodriguez,Spain,0,0,,,Developer,,,,1,0"


def _error(params, separator=",", **kwargs):
    with pytest.raises(LeadApiError) as info:
        parse(params, separator, **kwargs)
    return info.value


def test_manual_example():
    values = parse(MANUAL_EXAMPLE)
    assert values["contact_name"] == "Jimmy"
    assert values["partner_name"] == "PFMS"
    assert values["email"] == "Rodriguez"
    assert values["country"] == "Spain"
    assert values["expected_revenue"] == 0.0
    assert values["progress_code"] == 0
    assert values["function"] == "Developer"
    assert values["product"] == "1"
    # 0 is "no managed-by company" in the manual's example
    assert values["managed_by_id"] is None
    assert values["phone"] == values["owner_login"] == values["comments"] == ""
    assert values["tag_names"] == []
    assert set(values) == set(lead_api.FIELDS)


def test_all_seventeen():
    params = "Ana,ACME,ana@acme.example,ES,1500.5,20,+34 1,+34 2,CTO,user1,es,Hello,Cat,7,Spring,;,vip; web ;;"
    values = parse(params)
    assert values["expected_revenue"] == 1500.5
    assert values["progress_code"] == 20
    assert values["managed_by_id"] == 7
    assert values["owner_login"] == "user1"
    assert values["language"] == "es"
    assert values["campaign"] == "Spring"
    assert values["tag_names"] == ["vip", "web"]


PHP_QUERY = (
    "user=api_user&op=create_lead"
    "&params=Jimmy,PFMS%2C+Inc.,jimmy%40pfms.example,Spain,0,0,,,Developer,,,Hi%2C+there,1,0"
)


def test_url_encoded_comma_inside_a_value():
    # what the manual's PHP form sends: urlencode() of each value, plain commas between
    [raw] = lead_api.raw_form_values(PHP_QUERY)["params"]
    values = parse(raw, encoded=True)
    assert values["partner_name"] == "PFMS, Inc."
    assert values["email"] == "jimmy@pfms.example"
    assert values["comments"] == "Hi, there"
    assert values["product"] == "1"


def test_decoding_first_would_split_the_value():
    # why the endpoint splits before decoding
    [params] = parse_qs(PHP_QUERY)["params"]
    assert _error(params).code == lead_api.NOT_A_NUMBER


def test_fully_encoded_params():
    query = urlencode({"params": "Jimmy,PFMS,jimmy@pfms.example,Spain,0,20"})
    [raw] = lead_api.raw_form_values(query)["params"]
    assert b"," not in raw
    assert parse(raw, encoded=True)["progress_code"] == 20


def test_raw_form_values():
    values = lead_api.raw_form_values(b"a=1&b=x%2Cy&a=2&empty=&flag")
    assert values == {"a": [b"1", b"2"], "b": [b"x%2Cy"], "empty": [b""], "flag": [b""]}


def test_raw_utf8_is_decoded_once():
    # curl --data "params=José,..." sends the UTF-8 bytes as they are
    [raw] = lead_api.raw_form_values("op=create_lead&params=José,Peña y Cía,jose@raw.example".encode())["params"]
    values = parse(raw, encoded=True)
    assert (values["contact_name"], values["partner_name"]) == ("José", "Peña y Cía")


@pytest.mark.parametrize("body", [b"params=J\xffmmy,x,a@b.example", b"params=Jos\xe9,x,a@b.example"])
def test_raw_bytes_that_are_not_utf8(body):
    [raw] = lead_api.raw_form_values(body)["params"]
    assert _error(raw, encoded=True).code == lead_api.INVALID_UTF8


def test_count_of_other_operations():
    values = lead_api.split_encoded_params(b"a,b,c," + b",".join([b"x"] * 15), ",", 18)
    assert len(values) == 18
    with pytest.raises(LeadApiError):
        lead_api.split_encoded_params(b",".join([b"x"] * 19), ",", 18)


def test_invalid_utf8_percent_encoded():
    error = _error("J%FFmmy,PFMS,a@b.example", encoded=True)
    assert error.code == lead_api.INVALID_UTF8


def test_custom_separator_and_default_tag_separator():
    values = ["Ana", "ACME, Inc.", "ana@acme.example"] + [""] * 12 + [",", "vip,web"]
    values = parse("|".join(values), "|")
    assert values["partner_name"] == "ACME, Inc."
    assert values["tag_names"] == ["vip", "web"]
    without_tag_separator = ["Ana", "x", "a@b.example"] + [""] * 13 + ["vip,web"]
    assert parse("|".join(without_tag_separator), "|")["tag_names"] == ["vip", "web"]


def test_values_are_stripped_and_empty_numbers_default():
    values = parse("  Ana  ,, a@b.example ,, , ")
    assert values["contact_name"] == "Ana"
    assert values["email"] == "a@b.example"
    assert values["expected_revenue"] is None
    assert values["progress_code"] is None


def test_decimal_comma_of_an_encoded_estimated_sale():
    assert parse(["Ana", "", "a@b.example", "", "1,5"])["expected_revenue"] == 1.5


def test_list_of_values_is_accepted():
    assert parse(["Ana", "ACME", "a@b.example"])["partner_name"] == "ACME"


def test_too_many_parameters():
    error = _error(MANUAL_EXAMPLE + ",,,,")
    assert error.code == lead_api.TOO_MANY
    assert "18 parameters" in error.message
    assert "%2C" in error.message


@pytest.mark.parametrize(("params", "position"), [("", 0), ("Jimmy", 2), ("Jimmy,PFMS", 2), (",PFMS,a@b.example", 0)])
def test_missing_required(params, position):
    error = _error(params)
    assert error.code == lead_api.MISSING
    assert error.position == position
    assert error.field == lead_api.FIELDS[position]


@pytest.mark.parametrize(
    ("params", "position"),
    [
        ("Jimmy,PFMS,a@b.example,Spain,lots,0", 4),
        ("Jimmy,PFMS,a@b.example,Spain,0,new", 5),
        ("Jimmy,PFMS,a@b.example,Spain,0,2.5", 5),
        ("Jimmy,PFMS,a@b.example,Spain,nan,0", 4),
        ("Jimmy,PFMS,a@b.example,Spain,0,0,,,Developer,,,,1,zero", 13),
        ("Jimmy,PFMS,a@b.example,Spain,0,0x10", 5),
    ],
)
def test_non_numeric_codes(params, position):
    error = _error(params)
    assert error.code == lead_api.NOT_A_NUMBER
    assert error.position == position


def test_one_megabyte_value():
    error = _error("Jimmy,PFMS,a@b.example,Spain,0,0,,,Developer,,," + "x" * 1_000_000)
    assert error.code == lead_api.TOO_LONG


def test_long_value_in_a_short_field():
    error = _error("Jimmy," + "x" * 2000 + ",a@b.example")
    assert error.code == lead_api.TOO_LONG
    assert error.position == 1


def test_long_comments_are_accepted():
    assert len(parse("Jimmy,,a@b.example,,,,,,,,," + "x" * 60000)["comments"]) == 60000


def test_invalid_utf8():
    error = _error(b"J\xffmmy,PFMS,a@b.example")
    assert error.code == lead_api.INVALID_UTF8
    assert parse("Jiménez,PFMS,a@b.example".encode())["contact_name"] == "Jiménez"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\ud800"])
def test_control_characters(char):
    error = _error(f"Jimmy,PF{char}MS,a@b.example")
    assert error.code == lead_api.INVALID_CHARACTER
    assert error.position == 1


def test_newlines_in_comments_are_kept():
    assert parse("Jimmy,,a@b.example,,,,,,,,,line 1\nline 2")["comments"] == "line 1\nline 2"


def test_sql_and_html_are_plain_text():
    text = "Robert'); DROP TABLE crm_lead;-- <script>alert(1)</script>"
    values = parse(["Jimmy", text, "a@b.example"])
    assert values["partner_name"] == text


def test_long_separator_is_refused():
    assert _error("a,b,c", "x" * 9).code == lead_api.INVALID_SEPARATOR
