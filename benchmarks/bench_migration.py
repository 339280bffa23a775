#!/usr/bin/env python3
"""The Integria migration at scale: an Integria database in MariaDB of 50,000
companies, 100,000 contacts, 100,000 contracts, 50,000 invoices, 100,000
leads with 300,000 activity rows and 10,000 attachment files (``--scale``
multiplies them), migrated into a new Odoo database by ``odoo
integria_migrate``, then migrated again with nothing changed.

    python3 benchmarks/bench_migration.py [--scale 1.0] [--db integria_crm_bench_migration]

Prints rows/s per step, the total time and the peak memory (maximum
resident set of the migrating process) of both runs, their ratio, and the
ratio of the migration's companies and contracts steps to the CSV engine
importing the same rows from Integria's CSV export layout (the engine is
the same code: the difference is reading MySQL and the migration's
bookkeeping).
"""

import argparse
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import types

from bench_common import ROOT, addons_path, odoo_args

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
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode:
        sys.exit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    print(f"--- {label}\n{done.stdout}")
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
    return elapsed, max(peak, before) / 1024, report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default="integria_crm_bench_migration")
    args = parser.parse_args()
    counts = {name: max(1, int(count * args.scale)) for name, count in COUNTS.items()}
    integria_db = load_writer()
    server = integria_db.MariaDBServer().start()
    folder = tempfile.mkdtemp(prefix="integria-bench-attachments-")
    try:
        start = time.perf_counter()
        writer = integria_db.IntegriaWriter(server, "integria_bench_migration")
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
        url = server.url("integria_bench_migration")
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
        print(f"companies + contracts: {engine_rows / engine_seconds:.0f} rows/s through the engine")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        server.stop()


if __name__ == "__main__":
    main()
