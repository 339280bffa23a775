"""The macro substitution of contract templates (integria_crm/tools/contract_macros.py)."""

from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import load_tool

contract_macros = load_tool("contract_macros")

substitute_macros = contract_macros.substitute_macros
format_property_value = contract_macros.format_property_value


def _values(**overrides):
    values = {name: f"<{name}>" for name in contract_macros.CONTRACT_MACROS}
    values.update(overrides)
    return values


def test_every_macro_is_replaced():
    body = " ".join(f"[{contract_macros.macro(name)}]" for name in contract_macros.CONTRACT_MACROS)
    values = {name: f"value of {name}" for name in contract_macros.CONTRACT_MACROS}
    result = substitute_macros(body, values)
    for name in contract_macros.CONTRACT_MACROS:
        assert f"[value of {name}]" in result
        assert contract_macros.macro(name) not in result


def test_macros_list_matches_the_spec():
    spec = (
        "_id_contract_ _name_contract_ _contract_number_ _contract_description_ _date_begin_ _date_end_ "
        "_id_company_ _private_ _id_status_ _name_status_ _company_name_ _company_address_ _company_fiscal_id_ "
        "_company_country_ _company_website_ _company_comments_ _company_manager_ _company_last_update_ "
        "_company_payment_conditions_ _contract_type_id_ _contract_type_name_ _contract_type_description_ "
        "_template_id_ _template_name_ _template_description_ _format_long_time_ _format_short_time_ "
        "_format_annual_date_"
    ).split()
    assert [contract_macros.macro(name) for name in contract_macros.CONTRACT_MACROS] == spec


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Smith & Sons", "Smith &amp; Sons"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        ("line 1\nline 2", "line 1<br/>line 2"),
        (42, "42"),
        (None, ""),
        (False, ""),
    ],
)
def test_values_are_escaped(raw, escaped):
    assert substitute_macros("<p>_company_name_</p>", {"company_name": raw}) == f"<p>{escaped}</p>"


def test_escaped_value_is_safe_inside_an_attribute():
    result = substitute_macros('<a href="_company_website_">x</a>', {"company_website": '" onclick="evil()'})
    assert result == '<a href="&quot; onclick=&quot;evil()">x</a>'


def test_unknown_tokens_stay_as_typed():
    body = "_foo_ _custom_other_ _company_name _COMPANY_NAME_ {{ env.user }} <t t-esc='1'/>"
    assert substitute_macros(body, _values()) == body


def test_values_are_not_substituted_again():
    # a company called "_company_country_" keeps its name
    result = substitute_macros(
        "_company_name_/_company_country_", {"company_name": "_company_country_", "company_country": "Spain"}
    )
    assert result == "_company_country_/Spain"


def test_adjacent_macros():
    assert substitute_macros("_id_contract__private_", {"id_contract": 7, "private": "No"}) == "7No"


def test_longest_custom_name_wins():
    values = {"custom_seats": "10", "custom_seats_extra": "2"}
    assert substitute_macros("_custom_seats_extra_ _custom_seats_", values) == "2 10"


def test_empty_body():
    assert substitute_macros("", _values()) == ""
    assert substitute_macros(None, _values()) == ""
    assert substitute_macros("no macros", {}) == "no macros"


def test_date_macros_english():
    assert contract_macros.date_macros(date(2021, 4, 11), "en_US") == {
        "format_long_time": "Sunday, April 11, 2021",
        "format_short_time": "11/04/2021",
        "format_annual_date": "2021",
    }


def test_date_macros_spanish():
    assert contract_macros.date_macros(date(2021, 4, 7), "es_ES") == {
        "format_long_time": "miércoles, 7 de abril de 2021",
        "format_short_time": "07/04/2021",
        "format_annual_date": "2021",
    }


def test_date_macros_unknown_language_fall_back_to_english():
    assert contract_macros.date_macros(date(2021, 4, 11), "xx_YY")["format_long_time"] == "Sunday, April 11, 2021"
    assert contract_macros.date_macros(date(2021, 4, 11), False)["format_long_time"] == "Sunday, April 11, 2021"


def test_short_date():
    assert contract_macros.format_short_date(date(2021, 4, 11)) == "11/04/2021"
    assert contract_macros.format_short_date("2021-04-11") == "11/04/2021"
    assert contract_macros.format_short_date(datetime(2021, 4, 11, 23, 0)) == "11/04/2021"
    assert contract_macros.format_short_date(False) == ""


# one custom field of each property type, in the read format of Odoo
PROPERTY_CASES = [
    ({"type": "char", "value": "Gold & <Silver>"}, "Gold & <Silver>"),
    ({"type": "text", "value": "two\nlines"}, "two\nlines"),
    ({"type": "html", "value": "<p>Hello <b>world</b></p>"}, "Hello world"),
    ({"type": "boolean", "value": True}, "Sí"),
    ({"type": "boolean", "value": False}, "No"),
    ({"type": "integer", "value": 1234}, "1.234"),
    ({"type": "integer", "value": 0}, "0"),
    ({"type": "float", "value": 1234.5}, "1.234,5"),
    ({"type": "monetary", "value": 99.9}, "99,9"),
    ({"type": "date", "value": "2021-04-11"}, "11/04/2021"),
    ({"type": "datetime", "value": "2021-04-11 22:30:00"}, "12/04/2021 00:30"),
    ({"type": "selection", "value": "gold", "selection": [["gold", "Gold"], ["silver", "Silver"]]}, "Gold"),
    (
        {"type": "tags", "value": ["a", "c"], "tags": [["a", "Alpha", 1], ["b", "Beta", 2], ["c", "Gamma", 3]]},
        "Alpha, Gamma",
    ),
    ({"type": "many2one", "value": (7, "Ana García")}, "Ana García"),
    ({"type": "many2one", "value": (7, None)}, ""),
    ({"type": "many2many", "value": [(7, "Ana"), (8, "Luis")]}, "Ana, Luis"),
    ({"type": "separator", "value": False}, ""),
    ({"type": "char", "value": False}, ""),
    ({"type": "integer", "value": False}, ""),
]


@pytest.mark.parametrize(("prop", "text"), PROPERTY_CASES)
def test_property_values(prop, text):
    assert format_property_value(prop, "es_ES", yes="Sí", no="No", tz="Europe/Madrid") == text


def test_property_datetime_tzinfo_and_utc():
    prop = {"type": "datetime", "value": "2021-04-11 22:30:00"}
    assert format_property_value(prop, "en_US") == "11/04/2021 22:30"
    assert format_property_value(prop, "en_US", tz=timezone(timedelta(hours=-5))) == "11/04/2021 17:30"
    assert format_property_value(prop, "en_US", tz="Not/AZone") == "11/04/2021 22:30"


def test_custom_macro_values_are_escaped_in_the_body():
    properties = [
        {"name": "tier", "type": "char", "value": "<b>Gold</b> & co"},
        {"name": "section", "type": "separator"},
        {"name": "seats", "type": "integer", "value": 5},
    ]
    values = contract_macros.custom_macro_values(properties, "en_US")
    assert values == {"custom_tier": "<b>Gold</b> & co", "custom_seats": "5"}
    body = "<p>_custom_tier_ / _custom_seats_ / _custom_section_ / _custom_nope_</p>"
    assert substitute_macros(body, values) == (
        "<p>&lt;b&gt;Gold&lt;/b&gt; &amp; co / 5 / _custom_section_ / _custom_nope_</p>"
    )


def test_html_to_text():
    assert contract_macros.html_to_text("<p>a <i>b</i></p><p>c</p>") == "a bc"
    assert contract_macros.html_to_text("plain") == "plain"
    assert contract_macros.html_to_text(False) == ""
    assert contract_macros.html_to_text("<p><br></p>") == ""
