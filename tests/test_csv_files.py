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


def integria_excel(header, lines):
    """Integria's Excel encoding: a BOM and a UTF-8 header line, then each
    line in UTF-16LE followed by a single 0x0A byte (export_csv.php)."""
    data = codecs.BOM_UTF8 + header.encode() + b"\n"
    for line in lines:
        data += line.encode("utf-16-le") + b"\n"
    return data


def test_decode_integria_excel_encoding():
    lines = ["1;Compañía &amp; Co", "2;Ñandú", "10;x"]
    assert csv_files.decode_bytes(integria_excel("id;name", lines)) == "id;name\n" + "\n".join(lines) + "\n"
    # whatever the parity of the header's length
    for header in ("id;names", "id;name;address;fiscal_id"):
        assert csv_files.decode_bytes(integria_excel(header, lines)).startswith(header + "\n1;Compañía")


def test_decode_integria_excel_characters_holding_0x0a():
    """U+010A and U+4E0A hold a 0x0A byte: they are not line ends."""
    lines = ["1;Ċ", "2;上一 y Ċa", "3;\u0a0a"]
    text = csv_files.decode_bytes(integria_excel("id;name", lines))
    assert text.splitlines() == ["id;name", *lines]


def test_decode_integria_other_encoding():
    data = codecs.BOM_UTF8 + "id;name\n1;Compañía\n".encode()
    assert csv_files.decode_bytes(data) == "id;name\n1;Compañía\n"


def test_integria_cell_and_keys():
    assert csv_files.integria_cell("a,b;\"c\"\r\n'd'") == "a.b  c    d "
    assert csv_files.integria_xmlid("company", "12") == "integria_import.company_12"
    assert csv_files.own_key(7) == "odoo-7"
    assert csv_files.own_id("odoo-7") == 7
    assert csv_files.own_id("7") is None


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
    text = 'id;name;comments\r\n7;"A;B";Line &#x0a two &amp co\r\n'
    assert csv_files.guess_delimiter(text) == ";"
    header, row = rows(text, ";")
    assert header[1] == ["id", "name", "comments"]
    assert row[1][1] == "A;B"
    assert row[1][2] == "Line &#x0a two &amp co", "no entity is decoded"


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
