"""The ``odoo integria_csv`` command, run as an administrator would, on the
database that the Odoo suites of ``scripts/test.sh`` left installed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_command(*args):
    conf, db = os.environ.get("ODOO_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.fail("ODOO_CONF and ODOO_TEST_DB must name a configuration and a database with integria_crm")
    addons = next(
        line.split("=", 1)[1].strip() for line in Path(conf).read_text().splitlines() if line.startswith("addons_path")
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons}",
            "integria_csv",
            "-c",
            conf,
            "-d",
            db,
            "--log-level=warn",
            "--no-progress",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_dry_run_import_reports_and_writes_nothing(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("Empresa CLI,,,España,,,,,admin,0000-00-00 00:00:00,\n", encoding="utf-8")
    result = run_command("--import", str(good), "--kind", "company", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "1 row checked" in result.stdout
    assert "1 would be created, 0 would be updated, 0 skipped." in result.stdout


def test_bad_file_lists_every_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Empresa CLI,,,Narnia,,,,,nobody,31/02/2017,\n,,,,,,,,admin,,\n", encoding="utf-8")
    result = run_command("--import", str(bad), "--kind", "company")
    assert result.returncode == 1
    assert "line 1, column 4: Country: 'Narnia'" in result.stdout
    assert "line 1, column 9: Manager: 'nobody'" in result.stdout
    assert "line 2, column 1" in result.stdout
    assert "nothing was imported" in result.stdout


def test_export_then_dry_run_import(tmp_path):
    exported = tmp_path / "companies.csv"
    result = run_command("--export", str(exported), "--kind", "company", "--layout", "export")
    assert result.returncode == 0, result.stderr
    assert exported.read_bytes().startswith(b"\xef\xbb\xbfid;name;address")
    result = run_command("--import", str(exported), "--kind", "company", "--layout", "export", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 would be created" in result.stdout, "the export names each record by its odoo-<id>"


def test_unknown_contract_type_is_refused(tmp_path):
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("id;name;company\n1;C;X\n", encoding="utf-8")
    result = run_command(
        "--import", str(contracts), "--kind", "contract", "--layout", "export", "--contract-type", "Nope"
    )
    assert result.returncode == 2
    assert "No contract type has the id or name 'Nope'." in result.stderr
