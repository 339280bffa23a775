#!/usr/bin/env python3
"""The Integria migration at scale: an Integria database in MariaDB of 50,000
companies, 100,000 contacts, 100,000 contracts, 50,000 invoices, 100,000
leads with 300,000 activity rows and 10,000 attachment files (``--scale``
multiplies them), migrated into a new Odoo database by ``odoo
integria_migrate``, then migrated again with nothing changed.

    python3 benchmarks/bench_migration.py [--scale 1.0] [--db integria_crm_bench_migration] [--keep]

Prints rows/s per step, the total time and the peak memory (maximum
resident set of the migrating process) of both runs, their ratio, and the
ratio of the migration's companies and contracts steps to the CSV engine
importing the same rows, as Integria's export names them, into a second
database where only the users and roles were migrated (the engine is the
same code: the difference is reading MySQL and the migration's
bookkeeping). A run commits as it goes, so the figures include its commits.
"""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types

from bench_common import ROOT, addons_path, odoo_args

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

COUNTS = {
    "companies": 50000,
    "contacts": 100000,
    "contracts": 100000,
    "invoices": 50000,
    "leads": 100000,
    "lead_activity": 300000,
    "attachments": 10000,
}


def load_writer():
    """``integria_crm/tests/integria_db.py`` (the writer of Integria databases
    the tests share) without the addon's package, which imports Odoo."""
    package = types.ModuleType("integria_bench_helpers")
    package.__path__ = [os.path.join(ROOT, "integria_crm", "tests")]
    sys.modules["integria_bench_helpers"] = package
    return importlib.import_module("integria_bench_helpers.integria_db")


def migrate(db, url, folder, label):
    """Run ``odoo integria_migrate`` in a process of its own; return its
    wall time, peak memory (MB) and the run's report."""
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons_path()}",
        "integria_migrate",
        *odoo_args(db)[2:],
        "--source",
        url,
        "--attachments",
        folder,
        "--log-level=warn",
    ]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output, tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, stdout=output, stderr=errors, text=True)
        # the rusage of this process alone: its own peak memory, not the install's
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        errors.seek(0)
        printed, failure = output.read(), errors.read()
    if process.returncode:
        sys.exit(f"{label} failed:\n{printed}\n{failure}")
    print(f"--- {label}\n{printed}")
    report = json.loads(
        subprocess.run(
            [
                "psql",
                "-h",
                os.environ.get("PGHOST", "127.0.0.1"),
                "-d",
                db,
                "-tAc",
                "SELECT report FROM integria_crm_migration ORDER BY id DESC LIMIT 1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    return elapsed, usage.ru_maxrss / 1024, report


def csv_engine(db, url):
    """Rows/s of the CSV import engine writing the companies, then the
    contracts, of the Integria database ``url`` into ``db`` (where the users
    and roles were migrated), the rows read first and handed over as
    Integria's export names them (``import_records``), by 10,000 as the
    migration does for contracts, each chunk committed and the grown tables
    analyzed after it as the migration does."""
    config.parse_config([*odoo_args(db), "--log-level=warn"])
    reader_module = importlib.import_module("odoo.addons.integria_crm.tools.integria_reader")
    table_statistics = importlib.import_module("odoo.addons.integria_crm.tools.table_statistics")
    reader = reader_module.IntegriaReader(url)
    rows, seconds = 0, 0.0
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        # the migration's reading of a cell, in the source's time zone
        Migration = env["integria.crm.migration"].new({"time_zone": "Europe/Madrid"})
        Engine = env["integria.crm.csv.import"]
        contract_type = env["integria.contract.type"].create({"name": "Integria (CSV engine)"})
        for kind, table, cell, chunk in (
            ("company", "tcompany", None, None),
            ("contract", "tcontract", lambda row, column: "" if column in {"id_sla", "id_group"} else None, 10000),
        ):
            columns = reader.columns_in_order(table)
            records = [
                [Migration._cell_text(row, column, cell) for column in columns]
                for batch in reader.batches(table)
                for row in batch
            ]
            size = chunk or len(records)
            # the migrated users are archived until an administrator activates them
            options = {"xmlid_module": "integria_migration", "contract_type_id": contract_type.id}
            options["archived_users"] = True
            start = time.perf_counter()
            for first in range(0, len(records), size):
                numbered = enumerate(records[first : first + size], start=1)
                report = Engine.import_records(kind, columns, numbered, options=options)
                if not report["ok"]:
                    sys.exit(f"the CSV engine refused {table}: {report['errors'][:3]}")
                cr.commit()
                # as the migration does after each chunk's commit
                table_statistics.analyze_grown_tables(cr)
                cr.commit()
            seconds += time.perf_counter() - start
            rows += len(records)
    reader.close()
    return rows / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default="integria_crm_bench_migration")
    parser.add_argument("--keep", action="store_true", help="keep the databases (Odoo and Integria) afterwards")
    parser.add_argument("--csv-engine", nargs=2, metavar=("DB", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.csv_engine:
        print(csv_engine(*args.csv_engine))
        return
    counts = {name: max(1, int(count * args.scale)) for name, count in COUNTS.items()}
    integria_db = load_writer()
    server = integria_db.MariaDBServer().start()
    folder = tempfile.mkdtemp(prefix="integria-bench-attachments-")
    try:
        start = time.perf_counter()
        # the Integria database in MariaDB is named after the Odoo one
        source = f"{args.db}_integria"
        writer = integria_db.IntegriaWriter(server, source)
        integria_db.write_scale(writer, folder=folder, **counts)
        writer.close()
        print(f"Integria database written in {time.perf_counter() - start:.0f} s: {counts}")
        subprocess.run(["dropdb", "-h", os.environ.get("PGHOST", "127.0.0.1"), "--if-exists", args.db], check=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                *odoo_args(args.db),
                "-i",
                "integria_crm",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
        url = server.url(writer.name)
        engine_db = f"{args.db}_csv"
        host = os.environ.get("PGHOST", "127.0.0.1")
        subprocess.run(["dropdb", "-h", host, "--if-exists", engine_db], check=True)
        subprocess.run(["createdb", "-h", host, "-T", args.db, engine_db], check=True)
        first, first_peak, report = migrate(args.db, url, folder, "first run")
        again, again_peak, _report = migrate(args.db, url, folder, "second run, nothing changed")
        print("step                 rows/s")
        for step in report["steps"]:
            rate = step["read"] / step["seconds"] if step["seconds"] else 0
            print(f"{step['name']:<20} {rate:8.0f}  ({step['read']} rows in {step['seconds']:.1f} s)")
        print(f"first run: {first:.0f} s ({first / 60:.1f} min), peak memory {first_peak:.0f} MB")
        print(f"second run, nothing changed: {again:.0f} s, peak memory {again_peak:.0f} MB")
        print(f"ratio second / first: {again / first:.3f} (goal < 0.1)")
        steps = {step["name"]: step for step in report["steps"]}
        engine_rows = sum(steps[name]["read"] for name in ("companies", "contracts"))
        engine_seconds = sum(steps[name]["seconds"] for name in ("companies", "contracts"))
        migrated = engine_rows / engine_seconds
        subprocess.run(
            [
                *(sys.executable, "-m", "odoo", f"--addons-path={addons_path()}", "integria_migrate"),
                *(*odoo_args(engine_db)[2:], "--source", url, "--only", "users,roles", "--log-level=warn"),
            ],
            check=True,
            capture_output=True,
        )
        alone = float(
            subprocess.run(
                [sys.executable, __file__, "--csv-engine", engine_db, url], check=True, capture_output=True, text=True
            ).stdout.split()[-1]
        )
        print(
            f"companies + contracts: migration {migrated:.0f} rows/s, CSV engine alone {alone:.0f} rows/s"
            f" (ratio {migrated / alone:.2f})"
        )
        if not args.keep:
            subprocess.run(["dropdb", "-h", host, "--if-exists", engine_db], check=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        server.stop()


if __name__ == "__main__":
    main()
