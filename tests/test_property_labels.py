"""The labels of custom fields in several languages (integria_crm/tools/property_labels.py)."""

from conftest import load_tool

property_labels = load_tool("property_labels")
LABELS_KEY = property_labels.LABELS_KEY
labels_of, localize, merge_labels = property_labels.labels_of, property_labels.localize, property_labels.merge_labels

HOURS = {"name": "hours", "string": "Hours per month", "type": "float"}


def test_a_label_written_in_spanish_is_the_spanish_label():
    merged = merge_labels([HOURS], [{**HOURS, "string": "Horas al mes"}], "es_ES")
    assert merged == [{**HOURS, LABELS_KEY: {"es_ES": "Horas al mes"}}]
    assert localize(merged, "es_ES")[0]["string"] == "Horas al mes"
    assert localize(merged, "en_US")[0]["string"] == "Hours per month"
    assert localize(merged, "fr_FR")[0]["string"] == "Hours per month"


def test_a_label_written_in_english_replaces_the_source_and_keeps_the_translations():
    stored = [{**HOURS, LABELS_KEY: {"es_ES": "Horas al mes"}}]
    merged = merge_labels(stored, [{**HOURS, "string": "Monthly hours"}], "en_US")
    assert merged == [{**HOURS, "string": "Monthly hours", LABELS_KEY: {"es_ES": "Horas al mes"}}]


def test_what_a_spanish_reader_read_is_written_back_unchanged():
    stored = [{**HOURS, LABELS_KEY: {"es_ES": "Horas al mes"}}]
    assert merge_labels(stored, localize(stored, "es_ES"), "es_ES") == stored


def test_a_new_field_typed_in_spanish_takes_its_label_as_source():
    merged = merge_labels([], [{"name": "seats", "string": "Puestos", "type": "integer"}], "es_ES")
    assert merged == [{"name": "seats", "string": "Puestos", "type": "integer", LABELS_KEY: {"es_ES": "Puestos"}}]


def test_json_and_empty_definitions():
    assert merge_labels([HOURS], '[{"name": "hours", "string": "Horas", "type": "float"}]', "es_ES")[0][LABELS_KEY] == {
        "es_ES": "Horas"
    }
    assert merge_labels([HOURS], [], "es_ES") == []
    assert merge_labels([HOURS], None, "es_ES") is None
    assert localize(None, "es_ES") == []


def test_labels_of():
    assert labels_of({**HOURS, LABELS_KEY: {"es_ES": "Horas al mes"}}) == {
        "en_US": "Hours per month",
        "es_ES": "Horas al mes",
    }
