"""Facts of an Integria installation read by the migration (integria_crm/tools/integria_source.py)."""

import json
import shutil
import subprocess

import pytest
from conftest import load_tool

integria_source = load_tool("integria_source")


def test_source_url():
    assert integria_source.parse_source_url("mysql://integria:s%40cret@db.local:3307/integria") == {
        "host": "db.local",
        "port": 3307,
        "user": "integria",
        "password": "s@cret",
        "database": "integria",
    }
    assert integria_source.parse_source_url("mariadb://root@127.0.0.1/integria")["port"] == 3306


@pytest.mark.parametrize(
    "url", ["", "postgres://x@h/db", "mysql://h", "mysql:///db", "mysql://h/a/b", "mysql://h:x/db"]
)
def test_bad_source_url(url):
    with pytest.raises(integria_source.SourceError):
        integria_source.parse_source_url(url)


@pytest.mark.parametrize(
    ("profiles", "level"),
    [
        ([], None),
        ([{"cr": 0, "cw": 0, "cm": 0}], None),
        ([{"cr": 1, "cw": 0, "cm": 0}], "read"),
        ([{"cr": 1, "cw": 0, "cm": 0}, {"cr": 1, "cw": 1, "cm": 0}], "write"),
        ([{"cr": 0, "cw": 0, "cm": 1}, {"cr": 1, "cw": 0, "cm": 0}], "manage"),
        ([{"cr": "1", "cw": "0", "cm": None}], "read"),
    ],
)
def test_crm_level_is_the_highest_flag(profiles, level):
    assert integria_source.crm_level(profiles) == level


@pytest.mark.parametrize(
    ("tax", "tax_name", "taxes"),
    [
        ('{"tax1":"21","tax2":"5.2"}', '{"tax1":"IVA","tax2":"0"}', [("IVA", 21.0), ("", 5.2)]),
        ('{"tax1":"21","tax2":"0"}', '{"tax1":"IVA","tax2":"0"}', [("IVA", 21.0)]),
        ('{"tax1":"21"}', "", [("", 21.0)]),
        ("16", "0", [("", 16.0)]),
        ("16.00", "IVA", [("IVA", 16.0)]),
        ("0", "0", []),
        ("", "", []),
        ("{broken", "", []),
    ],
)
def test_taxes(tax, tax_name, taxes):
    assert integria_source.parse_taxes(tax, tax_name) == taxes


VALUES = [1.005, 2.675, 1.115, -1.005, 0.125, 0.135, 1234567.875, 10.0, 3.14159, 99.995, -2.5, 0.0]


@pytest.mark.skipif(not shutil.which("php"), reason="php-cli is installed by the project's setup")
def test_php_round_is_php():
    script = "echo json_encode(array_map(function($v){return round($v, 2);}, json_decode($argv[1])));"
    out = subprocess.run(["php", "-r", script, json.dumps(VALUES)], capture_output=True, text=True, check=True)
    assert [integria_source.php_round(value) for value in VALUES] == json.loads(out.stdout)


def test_invoice_total():
    # 1,000 less 10 %, then IVA 21 % and IRPF 15 % on 900
    assert integria_source.invoice_total(1000.0, 10.0, [21.0], 15.0) == 954.0
    # the base is rounded before the taxes, as Integria does
    assert integria_source.invoice_total(100.005, 0.0, [21.0, 5.2], 0.0) == 126.21
    assert integria_source.invoice_total(0.0, 0.0, [], 0.0) == 0.0


def test_attachment_path(tmp_path):
    assert integria_source.attachment_path(str(tmp_path), 7, "a b.pdf") == str(tmp_path / "7_a b.pdf")
    (tmp_path / "attachment").mkdir()
    assert integria_source.attachment_path(str(tmp_path), 7, "x.png") == str(tmp_path / "attachment" / "7_x.png")
