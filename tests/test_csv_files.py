import codecs
from datetime import date, datetime

import pytest
from conftest import load_tool

csv_files = load_tool("csv_files")
CsvError = csv_files.CsvError


def rows(text, delimiter=","):
    return list(csv_files.iter_rows(text, delimiter))


# ----------------------------------------------------------------------
# Decoding
# ----------------------------------------------------------------------
def test_decode_utf8_with_and_without_bom():
    assert csv_files.decode_bytes("Empresa prueba,España\n".encode()) == "Empresa prueba,España\n"
    assert csv_files.decode_bytes(codecs.BOM_UTF8 + "España\n".encode()) == "España\n"


def test_decode_utf16le_body_after_utf8_header():
    header = codecs.BOM_UTF8 + b"id;name\n"
    body = "1;Compañía &amp; Co\r\n2;Ñandú\r\n".encode("utf-16-le")
    assert csv_files.decode_bytes(header + body) == "id;name\n1;Compañía &amp; Co\r\n2;Ñandú\r\n"
    # whatever the parity of the header's length
    for header_line in (b"id;name\n", b"id;names\n", b"id;name;address;fiscal_id\n"):
        text = csv_files.decode_bytes(codecs.BOM_UTF8 + header_line + body)
        assert text == header_line.decode() + "1;Compañía &amp; Co\r\n2;Ñandú\r\n"
    # a BOM in front of the body too
    assert csv_files.decode_bytes(header + codecs.BOM_UTF16_LE + body).startswith("id;name\n1;")


def test_decode_whole_utf16():
    assert csv_files.decode_bytes("id;name\n1;Ñ\n".encode("utf-16")) == "id;name\n1;Ñ\n"
    assert csv_files.decode_bytes("id;name\n1;Ñ\n".encode("utf-16-le")) == "id;name\n1;Ñ\n"


def test_refuse_binary():
    for data in (b"PK\x03\x04rest of a zip", b"%PDF-1.4", bytes(range(256)) * 4, b"abc\x00def\x01\x02"):
        with pytest.raises(CsvError) as error:
            csv_files.decode_bytes(data)
        assert error.value.code == "binary"
    with pytest.raises(CsvError) as error:
        csv_files.decode_bytes(b"name,\x07bell\n")
    assert error.value.code == "binary"


def test_refuse_wrong_encoding_with_line():
    data = "Empresa,Madrid\nCompañía,España\n".encode("latin-1")
    with pytest.raises(CsvError) as error:
        csv_files.decode_bytes(data)
    assert error.value.code == "encoding"
    assert error.value.params == {"line": 2, "byte": "0xF1"}
    assert "line 2" in str(error.value)


def test_refuse_empty():
    with pytest.raises(CsvError) as error:
        csv_files.decode_bytes(b"  \n\n")
    assert error.value.code == "empty"


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------
def test_manual_company_example():
    ((line, cells),) = rows("Empresa prueba,,,España,,,,,admin,0000-00-00 00:00:00,,Integria,20\n")
    assert line == 1
    assert len(cells) == 13
    assert cells[0] == "Empresa prueba" and cells[3] == "España" and cells[8] == "admin"
    assert cells[11:] == ["Integria", "20"]
    assert csv_files.parse_datetime(cells[9]) is None


def test_line_numbers_skip_blank_lines_and_follow_quoted_newlines():
    text = 'a,b\n\n"multi\nline",c\nd,e\n'
    assert rows(text) == [(1, ["a", "b"]), (3, ["multi\nline", "c"]), (5, ["d", "e"])]


def test_semicolon_export_with_header():
    text = 'id;name;comments\r\n7;"A;B";Line&#x0a;two &#40;x&#41; &amp; co\r\n'
    assert csv_files.guess_delimiter(text) == ";"
    header, row = rows(csv_files.protect_entities(text), ";")
    mapping = csv_files.map_header(header[1], csv_files.COMPANY_HEADER_ALIASES)
    assert mapping == {0: "id", 1: "name", 2: "comment"}
    assert row[1][1] == "A;B"
    assert csv_files.decode_entities(row[1][2]) == "Line\ntwo (x) & co"


def test_entities_in_quoted_values():
    text = '"7";"Line&#x0a;two &amp; &#40;co&#41;"\n'
    ((_line, cells),) = rows(csv_files.protect_entities(text), ";")
    assert csv_files.decode_entities(cells[1]) == "Line\ntwo & (co)"


def test_header_unknown_columns_are_none():
    mapping = csv_files.map_header(["ID", "Company Name", "Sector"], csv_files.COMPANY_HEADER_ALIASES)
    assert mapping == {0: "id", 1: "name", 2: None}


def test_entities_round_trip():
    for text in ("A & B <b> \"q\" 's'", "line\r\nbreak", "&amp; literal", "(x) ; ,"):
        assert csv_files.decode_entities(csv_files.encode_entities(text)) == text


def test_syntax_error_has_line():
    with pytest.raises(CsvError) as error:
        rows('a,b\n"' + "x" * 200000 + '"\n')
    assert error.value.code == "syntax"


# ----------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------
def test_dates():
    assert csv_files.parse_date("2017-07-25") == date(2017, 7, 25)
    assert csv_files.parse_date("25/07/2017") == date(2017, 7, 25)
    assert csv_files.parse_date("2017-07-25 10:00:00") == date(2017, 7, 25)
    assert csv_files.parse_date("0000-00-00") is None
    assert csv_files.parse_date("") is None
    for bad in ("2017-13-01", "31/02/2017", "25.07.2017", "tomorrow"):
        with pytest.raises(CsvError) as error:
            csv_files.parse_date(bad)
        assert error.value.code == "date"


def test_datetimes():
    assert csv_files.parse_datetime("2017-07-25 10:30:05") == datetime(2017, 7, 25, 10, 30, 5)
    assert csv_files.parse_datetime("25/07/2017 10:30") == datetime(2017, 7, 25, 10, 30)
    assert csv_files.parse_datetime("2017-07-25") == datetime(2017, 7, 25)
    assert csv_files.parse_datetime("0000-00-00 00:00:00") is None
    with pytest.raises(CsvError):
        csv_files.parse_datetime("2017-07-25 25:00")


def test_booleans_and_numbers():
    assert csv_files.parse_bool("1") is True
    assert csv_files.parse_bool("0") is False
    assert csv_files.parse_bool("") is False
    with pytest.raises(CsvError):
        csv_files.parse_bool("maybe")
    assert csv_files.parse_int(" 20 ") == 20
    assert csv_files.parse_float("2,5") == 2.5
    assert csv_files.parse_float("2.5") == 2.5
    with pytest.raises(CsvError):
        csv_files.parse_int("2.5")


def test_choice_by_key_or_label_without_accents():
    choices = [("es", "España"), ("fr", "France")]
    assert csv_files.parse_choice("ESPANA", choices) == "es"
    assert csv_files.parse_choice("fr", choices) == "fr"
    with pytest.raises(CsvError) as error:
        csv_files.parse_choice("Italia", choices)
    assert "es, fr" in str(error.value)


PROPS = [
    {"name": "tier", "type": "char"},
    {"name": "seats", "type": "integer"},
    {"name": "hours", "type": "float"},
    {"name": "renewal", "type": "boolean"},
    {"name": "signed_on", "type": "date"},
    {"name": "kickoff", "type": "datetime"},
    {"name": "edition", "type": "selection", "selection": [["std", "Standard"], ["pro", "Pro"]]},
    {"name": "channels", "type": "tags", "tags": [["mail", "E-mail", 1], ["phone", "Phone", 2]]},
    {"name": "contact", "type": "many2one", "comodel": "res.partner"},
    {"name": "signers", "type": "many2many", "comodel": "res.partner"},
]


def test_property_values_round_trip():
    written = {
        "tier": 'Gold, "plus"; more',
        "seats": 20,
        "hours": 1.5,
        "renewal": True,
        "signed_on": "2024-02-29",
        "kickoff": "2024-03-01 09:30:00",
        "edition": "pro",
        "channels": ["mail", "phone"],
        "contact": (7, "Bob"),
        "signers": [(7, "Bob"), (9, "Ann")],
    }
    parsed = {
        prop["name"]: csv_files.parse_property(prop, csv_files.format_property(prop, written[prop["name"]]))
        for prop in PROPS
    }
    assert parsed == {**written, "contact": ["7"], "signers": ["7", "9"]}


def test_property_empty_and_labels():
    assert all(csv_files.parse_property(prop, "") in (None, False) for prop in PROPS)
    assert csv_files.parse_property(PROPS[6], "Standard") == "std"
    assert csv_files.parse_property(PROPS[7], "E-mail, phone") == ["mail", "phone"]
    with pytest.raises(CsvError):
        csv_files.parse_property(PROPS[1], "twenty")


# ----------------------------------------------------------------------
# Parent links
# ----------------------------------------------------------------------
def test_cycles():
    assert csv_files.find_cycles({1: 2, 2: 3, 3: 1, 4: 1, 5: None}) == [1, 2, 3]
    assert csv_files.find_cycles({1: 1}) == [1]
    assert csv_files.find_cycles({1: 2, 2: None, 3: 2}) == []


def test_creation_waves_put_parents_first():
    waves = csv_files.creation_waves([4, 3, 2, 1], {4: 3, 3: 1, 2: "db", 1: None})
    assert waves == [[2, 1], [3], [4]]


# ----------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------
def test_write_quotes_what_needs_it_and_reads_back():
    values = ["plain", "a,b", 'say "hi"', "x;y", "two\nlines", ""]
    for delimiter in (",", ";"):
        text = csv_files.write_csv([values], delimiter=delimiter, header=["h"] * len(values))
        assert rows(text, delimiter)[1] == (2, values)
    assert csv_files.write_csv([["a,b", "c"]]) == '"a,b",c\r\n'
    assert csv_files.encode_text("x", bom=True) == codecs.BOM_UTF8 + b"x"
