#!/usr/bin/env python3
"""CSV import of companies and contracts: integria_crm's importer against
Odoo's standard import (``base_import.import`` ``execute_import``) of the same
rows mapped to the same fields, in the same run.

    python3 benchmarks/bench_csv_import.py [--rows 100000] [--db integria_crm_bench_csv]
        [--kinds company,contract] [--abba]

With ``--abba`` each kind is imported four times, integria_crm, base_import,
base_import, integria_crm, and the ratio is of the sums: a machine whose load
rises or falls steadily during the run weighs on both importers alike.

The first run installs integria_crm and base_import (for the comparison
only) in a new database without demo data, with two company custom fields, a
contract type with two custom fields, a role and 1,000 companies for the
contracts to point to. Each import runs in a process of its own, as the
administrator (a Manage user, under the record rules), and is rolled back
at the end, so that both importers write the same rows into the same
database; its peak memory is the process's maximum resident set (the Odoo
registry included, whose size is printed apart).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from bench_common import odoo_args

import odoo
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tools import config

SETUP_PARAM = "integria_crm.benchmark_csv_setup"
TARGET_COMPANIES = 1000
COMPANY_FIELDS = [
    {"name": "source", "string": "Source", "type": "char"},
    {"name": "employees", "string": "Employees", "type": "integer"},
]
TYPE_FIELDS = [
    {"name": "tier", "string": "Tier", "type": "char"},
    {"name": "seats", "string": "Seats", "type": "integer"},
]
# The columns of the positional layouts, as Odoo's import maps them.
BASE_IMPORT_FIELDS = {
    "company": [
        "name",
        "street",
        "vat",
        "country_id",
        "website",
        "comment",
        "crm_role_id",
        "crm_parent_id/.id",
        "owner_id",
        "last_activity_date",
        "payment_conditions",
        "crm_properties.source",
        "crm_properties.employees",
    ],
    "contract": [
        "name",
        "contract_number",
        "description",
        "date_start",
        "date_end",
        "partner_id/.id",
        "sla",
        "support_group",
        "is_private",
        "state",
        "type_id",
        "contract_properties.tier",
        "contract_properties.seats",
    ],
}
BASE_IMPORT_OPTIONS = {
    "has_headers": False,
    "separator": ",",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "%Y-%m-%d %H:%M:%S",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
}


def database_exists(db):
    listing = subprocess.run(
        ["psql", "-h", config["db_host"], "-U", config["db_user"], "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    return db in {line.split("|")[0].strip() for line in listing.splitlines()}


def setup(db):
    if not database_exists(db):
        print(f"Installing integria_crm and base_import in {db}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                *odoo_args(db),
                "-i",
                "integria_crm,base_import",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
    with Registry(db).cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        if env["ir.config_parameter"].get_param(SETUP_PARAM):
            return
        env["res.partner"]._crm_properties_definition().properties_definition = COMPANY_FIELDS
        env["integria.contract.type"].create({"name": "Bench", "properties_definition": TYPE_FIELDS})
        env["integria.crm.role"].create({"name": "Bench role"})
        env["res.partner"].create(
            [
                {
                    "name": f"Target {index}",
                    "is_company": True,
                    "is_crm_company": True,
                    "crm_parent_id": env.company.partner_id.id,
                }
                for index in range(TARGET_COMPANIES)
            ]
        )
        env["ir.config_parameter"].set_param(SETUP_PARAM, "1")


def write_files(db, rows, folder):
    with Registry(db).cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        parent = env.company.partner_id.id
        targets = env["res.partner"].search([("name", "=like", "Target %")]).ids
    companies = os.path.join(folder, "companies.csv")
    with open(companies, "w", encoding="utf-8") as csv_file:
        for index in range(rows):
            csv_file.write(
                f"Bench company {index},Street {index},ESB{index},Spain,https://c{index}.example,Comment {index},"
                f"Bench role,{parent},admin,2024-01-02 03:04:05,30,Source {index},{index}\n"
            )
    contracts = os.path.join(folder, "contracts.csv")
    with open(contracts, "w", encoding="utf-8") as csv_file:
        for index in range(rows):
            csv_file.write(
                f"Bench contract {index},BC-{index},Description {index},2024-01-01,2024-12-31,"
                f"{targets[index % len(targets)]},Gold,Level 2,0,active,Bench,Tier {index},{index}\n"
            )
    return {"company": companies, "contract": contracts}


def worker(db, importer, kind, path):
    """Import ``path`` as the administrator, roll back, print the figures."""
    config.parse_config([*odoo_args(db), "--log-level=warn"])
    registry = Registry(db)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "rb") as csv_file:
        data = csv_file.read()
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, su=False, context={"lang": "en_US", "tracking_disable": True})
        start = time.perf_counter()
        if importer == "integria_crm":
            report = env["integria.crm.csv.import"].import_csv(kind, data)
            ok, count, messages = report["ok"], report["created"], report["errors"][:3]
        else:
            model = "res.partner" if kind == "company" else "integria.contract"
            defaults = {"default_is_company": True, "default_is_crm_company": True} if kind == "company" else {}
            wizard = env["base_import.import"].create(
                {"res_model": model, "file": data, "file_name": "bench.csv", "file_type": "text/csv"}
            )
            result = wizard.with_context(**defaults).execute_import(
                BASE_IMPORT_FIELDS[kind], [False] * len(BASE_IMPORT_FIELDS[kind]), dict(BASE_IMPORT_OPTIONS)
            )
            messages = result.get("messages", [])[:3]
            count = len(result.get("ids") or [])
            ok = not result.get("messages") and bool(count)
        env.flush_all()
        seconds = time.perf_counter() - start
        cr.rollback()
    print(json.dumps({"seconds": seconds, "ok": ok, "count": count, "messages": messages, "baseline_kb": baseline}))


def measure(db, importer, kind, path):
    process = subprocess.Popen(
        [sys.executable, __file__, "--db", db, "--worker", importer, "--kind", kind, "--file", path],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{importer} {kind} failed: {output}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["baseline_mb"] = result.pop("baseline_kb") / 1024
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="integria_crm_bench_csv")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kinds", default="company,contract")
    parser.add_argument("--abba", action="store_true", help="import in the order A B B A (see above)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.db, args.worker, args.kind, args.file)
        return

    config.parse_config([*odoo_args(args.db), "--log-level=warn"])
    setup(args.db)
    with tempfile.TemporaryDirectory() as folder:
        files = write_files(args.db, args.rows, folder)
        print(f"{args.rows} rows per file; each import in its own process, rolled back", flush=True)
        for kind in args.kinds.split(","):
            order = (
                ("integria_crm", "base_import", "base_import", "integria_crm")
                if args.abba
                else ("integria_crm", "base_import")
            )
            results = {"integria_crm": [], "base_import": []}
            for label in order:
                result = measure(args.db, label, kind, files[kind])
                if not result["ok"] or result["count"] != args.rows:
                    print(f"  {label} {kind}: imported {result['count']} rows: {result['messages']}")
                results[label].append(result)
            ours, standard = (summed(results[label]) for label in ("integria_crm", "base_import"))
            print(
                f"{kind}: integria_crm {ours['seconds']:.1f} s ({ours['rows'] / ours['seconds']:.0f} rows/s, "
                f"peak {ours['peak_mb']:.0f} MB), base_import {standard['seconds']:.1f} s "
                f"({standard['rows'] / standard['seconds']:.0f} rows/s, peak {standard['peak_mb']:.0f} MB); "
                f"time ratio integria_crm / base_import {ours['seconds'] / standard['seconds']:.2f} (goal <= 1.0); "
                f"registry alone {ours['baseline_mb']:.0f} MB",
                flush=True,
            )


def summed(results):
    """The imports of one importer as one: their times and rows added, the highest peak."""
    return {
        "seconds": sum(result["seconds"] for result in results),
        "rows": sum(result["count"] for result in results),
        "peak_mb": max(result["peak_mb"] for result in results),
        "baseline_mb": max(result["baseline_mb"] for result in results),
    }


if __name__ == "__main__":
    main()
