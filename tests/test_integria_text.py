"""Text, dates and datetimes as Integria stored them (integria_crm/tools/integria_text.py)."""

import datetime

import pytest
from conftest import load_test_helper, load_tool

integria_text = load_tool("integria_text")
# what Integria's forms store, as the migration tests write it
safe_input = load_test_helper("integria_db").safe_input


@pytest.mark.parametrize(
    "text",
    [
        "José Pérez (Madrid)",
        "Tom & Jerry <b>",
        "line one\nline two\r\nthree",
        "100 € / 5 %",
        "C:\\path\\file.txt",
        'O\'Brien "quoted"',
        "?lang=es&section=contacto",
        "&amp; typed literally",
    ],
)
def test_round_trip_of_safe_input(text):
    assert integria_text.clean_text(safe_input(text)) == text.replace("\r\n", "\n")


def test_entities_decoded_once():
    assert integria_text.decode_entities("&amp;lt;b&amp;gt;") == "&lt;b&gt;"
    assert integria_text.decode_entities("a&#x20;b") == "a b"


@pytest.mark.parametrize("text", ["?lang=es&section=contacto", "&copy 2020", "&reg &not &para", "AT&T", "a & b"])
def test_incomplete_entities_stay(text):
    assert integria_text.decode_entities(text) == text


def misread(text, times=1):
    """``text`` sent as UTF-8 over a latin1 connection into a UTF-8 column,
    ``times`` times (MySQL's latin1 is cp1252 with its 5 holes kept)."""
    for _time in range(times):
        text = "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in text.encode())
    return text


@pytest.mark.parametrize(
    ("text", "times"),
    [("José", 1), ("München GmbH", 1), ("\U0001f600 emoji", 1), ("€ 100", 1), ("José", 3), ("à", 1), ("Ŕ\x81", 1)],
)
def test_mojibake_repaired(text, times):
    stored = misread(text, times)
    assert stored != text
    assert integria_text.repair_mojibake(stored) == text


@pytest.mark.parametrize(
    "text", ["José", "São Paulo", "Ñandú", "naïve café", "plain", "", "\u00c3 alone", "€ and \u00c3\u00a9"]
)
def test_good_text_untouched(text):
    assert integria_text.repair_mojibake(text) == text


def test_bytes_and_latin1():
    assert integria_text.clean_text("Jos\xe9".encode("latin1")) == "José"
    assert integria_text.clean_text("José".encode()) == "José"


def test_cut_entity_at_the_end():
    assert integria_text.clean_text("Offer for Caf&eacute;s &amp", truncated=True) == "Offer for Cafés "
    assert integria_text.clean_text("Tom &#x2", truncated=True) == "Tom "
    assert integria_text.clean_text("Tom &amp", truncated=False) == "Tom &amp"


def test_control_characters_dropped():
    assert integria_text.clean_text("a&#x00;b&#x07;c\td") == "abc\td"


@pytest.mark.parametrize("value", [None, "", "0000-00-00", "0000-00-00 00:00:00", "not a date", "2021-02-30"])
def test_no_date(value):
    assert integria_text.parse_date(value) is None


def test_dates():
    assert integria_text.parse_date("2021-04-11") == datetime.date(2021, 4, 11)
    assert integria_text.parse_date(datetime.date(2021, 4, 11)) == datetime.date(2021, 4, 11)
    assert integria_text.parse_date("2021-04-11 10:00:00") == datetime.date(2021, 4, 11)


def test_datetimes_in_the_source_time_zone():
    # Madrid is UTC+2 in summer and UTC+1 in winter
    assert integria_text.parse_datetime("2021-07-01 12:00:00") == datetime.datetime(2021, 7, 1, 10, 0)
    assert integria_text.parse_datetime("2021-01-01 12:00:00") == datetime.datetime(2021, 1, 1, 11, 0)
    assert integria_text.parse_datetime(datetime.datetime(2021, 1, 1, 12, 0), "UTC") == datetime.datetime(
        2021, 1, 1, 12
    )
    assert integria_text.parse_datetime("0000-00-00 00:00:00") is None
    assert integria_text.parse_datetime("2021-01-01", "America/New_York") == datetime.datetime(2021, 1, 1, 5, 0)
