"""The ``odoo integria_migrate`` command, run as an administrator would: on
a database of its own with integria_crm installed (made here, beside the one
the Odoo suites of ``scripts/test.sh`` left), from an Integria database that
``integria_crm/tests/integria_db.py`` writes in a real MariaDB."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from conftest import load_test_helper


def conf_options():
    conf, db = os.environ.get("ODOO_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.fail("ODOO_CONF and ODOO_TEST_DB must name a configuration and a database with integria_crm")
    options = dict(
        line.split("=", 1) for line in Path(conf).read_text().splitlines() if "=" in line and not line.startswith("[")
    )
    return conf, db, {key.strip(): value.strip() for key, value in options.items()}


def odoo(*args, database):
    conf, _db, options = conf_options()
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={options['addons_path']}",
            *args[:1],
            "-c",
            conf,
            "-d",
            database,
            "--log-level=info",
            *args[1:],
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def connect(database):
    _conf, _db, options = conf_options()
    return psycopg2.connect(dbname=database, host=options["db_host"], port=options["db_port"], user=options["db_user"])


def drop(database):
    _conf, _db, options = conf_options()
    connection = connect("postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
    connection.close()
    shutil.rmtree(Path(options["data_dir"], "filestore", database), ignore_errors=True)


@pytest.fixture(scope="module")
def database():
    """A database with integria_crm installed and nothing migrated yet."""
    _conf, db, _options = conf_options()
    name = f"{db}_migrate_cli"
    drop(name)
    result = odoo("server", "-i", "integria_crm", "--stop-after-init", "--log-level=warn", database=name)
    assert result.returncode == 0, result.stderr[-3000:]
    yield name
    drop(name)


@pytest.fixture(scope="module")
def source():
    integria_db = load_test_helper("integria_db")
    server = integria_db.MariaDBServer().start()
    writer = integria_db.IntegriaWriter(server, "integria_migrate_cli")
    integria_db.write_manual_example(writer)
    yield server.url(writer.name)
    writer.drop()
    server.stop()


def migrated(database):
    connection = connect(database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ir_model_data WHERE module = 'integria_migration'")
        (count,) = cursor.fetchone()
        cursor.execute("SELECT count(*), bool_and(dry_run) FROM integria_crm_migration")
        runs = cursor.fetchone()
    connection.close()
    return count, runs


def test_dry_run_reports_and_writes_nothing(database, source):
    result = odoo("integria_migrate", "--source", source, "--dry-run", database=database)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Integria migration: companies (tcompany): 5 read, 4 created" in result.stderr, "progress, step by step"
    assert "companies    tcompany" in result.stdout
    assert "tcompany 5: " in result.stdout, "the refused row and its reason"
    count, runs = migrated(database)
    assert count == 0
    assert runs == (1, True), "the dry run itself is kept, with its report"


def test_migration_then_a_second_run(database, source):
    result = odoo("integria_migrate", "--source", source, database=database)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Reconciliation" in result.stdout
    assert "tcompany" in result.stdout.split("Reconciliation")[1]
    assert "Contracts: Customer A (2): Integria 2, Odoo 1  DIFFERS" in result.stdout, "the refused contract"
    usd = "Invoices: All companies (2 compared one by one) / USD / pending: Integria 1 / 909.00, Odoo 1 / 909.00\n"
    assert usd in result.stdout
    assert "What each user sees" in result.stdout
    # a progress bar per table, a line per chunk when standard error is not a terminal
    bars = [line for line in result.stderr.splitlines() if line.startswith("companies ")]
    assert bars and re.search(r"tcompany +\[#{30}\] +5/5 +[\d,]+ rows/s +\d+ s$", bars[-1]), bars
    seen = [line for line in result.stdout.splitlines() if line.startswith("carlos ")]
    assert len(seen) == 5 and not [line for line in seen if "DIFFERS" in line], seen
    count, _runs = migrated(database)
    assert count > 20
    again = odoo("integria_migrate", "--source", source, "--only", "companies", database=database)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Integria migration: companies (tcompany): 5 read, 0 created, 0 updated, 4 unchanged" in again.stderr
    assert migrated(database)[0] == count


def test_bad_source_is_a_clear_error(database):
    result = odoo("integria_migrate", "--source", "postgres://somewhere/db", database=database)
    assert result.returncode == 2
    assert "not a MySQL source: 'postgres://somewhere/db'" in result.stderr
    result = odoo("integria_migrate", "--source", "mysql://root@127.0.0.1:1/integria", database=database)
    assert result.returncode == 2
    assert "cannot read mysql://root@127.0.0.1:1/integria" in result.stderr


def test_missing_source_and_unknown_step(database, source):
    result = odoo("integria_migrate", database=database)
    assert result.returncode == 1
    assert "Give --source" in result.stderr
    result = odoo("integria_migrate", "--source", source, "--only", "companies,invoicez", database=database)
    assert result.returncode == 2
    assert "Unknown steps: invoicez" in result.stdout
