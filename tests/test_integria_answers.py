"""Integria's answers byte for byte (integria_crm/tools/integria_answers.py):
PHP's fputcsv() run by the real PHP interpreter, and the xml and csv bodies
of Integria 5.0's include/functions_api.php."""

import json
import shutil
import subprocess

import pytest
from conftest import load_tool

answers = load_tool("integria_answers")

UGLY_ROWS = [
    ["1", "invoice created"],
    [],
    ['x"y', "", "t\tz", "back\\slash", "é", None, "a,b", "2014-01-01 00:00:00", "l\nm", '\\"x', "r\rs"],
    [7, "api_user", "", 51, "15/1000", "Soporte anual, nivel 2", "1500.50", True, False, "ÿ €"],
]


def _php_fputcsv(row):
    script = (
        "$row = json_decode(stream_get_contents(STDIN), true);"
        "$h = fopen('php://temp', 'r+'); fputcsv($h, $row); rewind($h); echo stream_get_contents($h);"
    )
    return subprocess.run(
        ["php", "-r", script], input=json.dumps(row).encode(), capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.skipif(not shutil.which("php"), reason="php is not installed (scripts/common.sh installs php-cli)")
@pytest.mark.parametrize("row", UGLY_ROWS)
def test_csv_line_is_phps_fputcsv(row):
    assert answers.php_csv_line(row) == _php_fputcsv(row)


def test_create_lead():
    assert answers.create_lead(1, "csv") == "1"
    assert answers.create_lead(0, "xml") == "<xml version='1.0' encoding='UTF-8'>\n<data>0</data>\n</xml>\n"


def test_validate_user_and_user_exists():
    assert (answers.validate_user(1, "csv"), answers.validate_user(0, "xml")) == ("1", "<xml>0</xml>")
    assert answers.user_exists(True, "csv") == "1"
    assert answers.user_exists(False, "xml") == "<xml>\n<user>\n<exists><![CDATA[0]]></exists>\n</user>\n</xml>\n"


def test_company_and_invoices():
    assert answers.create_company(42, "csv") == "42"
    assert answers.create_company(None, "xml") == "<xml>\n<company>\n<id><![CDATA[0]]></id>\n</company>\n</xml>\n"
    assert answers.create_invoice(1, answers.INVOICE_CREATED, "csv") == '1,"invoice created"\n'
    assert answers.create_invoice(0, "invalid billing id", "xml") == (
        "<xml>\n<invoice>\n<status><![CDATA[0]]></status>\n<error><![CDATA[invalid billing id]]></error>\n"
        "</invoice>\n</xml>\n"
    )
    assert answers.get_invoice([], "csv") == "\n"
    assert answers.get_invoice([], "xml") == "<xml>\n<invoice>\n</invoice>\n</xml>\n"
    assert answers.get_last_invoice_id("15/1000", "csv") == "15/1000"
    assert answers.get_last_invoice_id("", "csv") == ""


def test_get_invoice_has_integrias_28_columns():
    values = list(range(len(answers.INVOICE_KEYS)))
    assert len(values) == 28
    xml = answers.get_invoice(values, "xml")
    assert xml.count("<![CDATA[") == 28
    assert "<id_language><![CDATA[27]]></id_language>\n</invoice>" in xml
    with pytest.raises(ValueError):
        answers.get_invoice(values[:-1], "csv")


def test_cdata_end_inside_a_value_keeps_the_xml_well_formed():
    assert answers.cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


def test_failures_per_operation():
    assert answers.failure("create_lead", "csv") == "0"
    assert answers.failure("create_invoice", "csv", "rate_limited") == "0,rate_limited\n"
    assert answers.failure("get_last_invoice_id", "csv") == ""
    assert answers.failure("no_such_op", "csv") == "0"
