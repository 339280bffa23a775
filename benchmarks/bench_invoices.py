#!/usr/bin/env python3
"""Invoice numbering under concurrency.

Worker processes, each with its own database connection, save issued
invoices at the same time, one transaction per invoice:

1. numbered by integria_crm's pattern (automatic numbers, taken at save),
   each worker for a company of its own;
2. the same, every worker for one and the same company (each save moves that
   company's last activity: no save may fail or be retried because of it);
3. the same invoices as 1. numbered by a plain ``ir.sequence`` whose
   implementation is ``no_gap`` (Odoo's gapless sequence: a row locked with
   ``FOR UPDATE NOWAIT``).

For each, it prints the throughput, the duplicated and missing numbers
(both must be 0), how many transactions hit a concurrency error and were
retried (as Odoo's HTTP layer retries them), and how many saves failed for
good; then the ratio of the two throughputs.

Usage (from the repository root; Odoo 19.0 importable by python3):

    python3 benchmarks/bench_invoices.py [--workers 8] [--count 250]
        [--db integria_crm_bench_invoices] [--fresh] [--template DB] [--keep]

The database is created and integria_crm installed (without demo data) when
it does not exist, and integria_crm is updated when it does; ``--fresh`` drops
it first. The invoices of a run are
deleted at the end unless ``--keep``. PostgreSQL is reached like
scripts/test.sh does: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (the current
user).
"""

import argparse
import contextlib
import getpass
import multiprocessing
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PATTERN_PARAM = "integria_crm.invoice_number_pattern"
AUTO_NUMBER_PARAM = "integria_crm.invoice_auto_number"
RETRIED_ERRORS = ("40001", "40P01", "55P03")  # serialization failure, deadlock, lock not available
MAX_ATTEMPTS = 1000  # a save that still fails after that many attempts counts as failed


class Plan(NamedTuple):
    """What the workers of a run share."""

    db_name: str
    count: int
    user_id: int
    company_ids: list
    sequence_id: int


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8, help="concurrent processes (default 8)")
    parser.add_argument("--count", type=int, default=250, help="invoices per worker (default 250)")
    parser.add_argument(
        "--db", default="integria_crm_bench_invoices", help="database (default integria_crm_bench_invoices)"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--template", help="PostgreSQL template to create the database from")
    parser.add_argument("--keep", action="store_true", help="keep the invoices of the run")
    return parser.parse_args()


def _load_pure_tool(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "integria_crm" / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _configure_odoo(args):
    import odoo
    from odoo.tools import config

    base = Path(next(iter(odoo.__path__))).resolve()  # odoo is a namespace package
    addons = [str(path) for path in (base / "addons", base.parent / "addons") if path.is_dir()]
    options = [
        f"--addons-path={','.join([*addons, str(ROOT)])}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', getpass.getuser())}",
        f"--data-dir={ROOT / '.build' / 'data'}",
        "--http-interface=127.0.0.1",
        "--log-level=warn",
    ]
    if args.template:
        options.append(f"--db-template={args.template}")
    config.parse_config(options)


def _database_exists(name):
    from odoo.sql_db import db_connect

    with db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def _module_installed(name):
    from odoo.sql_db import db_connect

    with db_connect(name).cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        if not cr.fetchone()[0]:
            return False
        cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'integria_crm' AND state = 'installed'")
        return bool(cr.fetchone())


def _prepare_database(args):
    """Return the registry of the benchmark database, created if needed."""
    import odoo.sql_db
    from odoo.modules.registry import Registry
    from odoo.service import db

    if args.fresh and _database_exists(args.db):
        print(f"Dropping database {args.db}", flush=True)
        odoo.sql_db.close_db(args.db)
        db.exp_drop(args.db)  # the database and its filestore
    if not _database_exists(args.db):
        print(f"Creating database {args.db}", flush=True)
        db._create_empty_database(args.db)
    if not _module_installed(args.db):
        print("Installing integria_crm (a few minutes)", flush=True)
        return Registry.new(args.db, update_module=True, install_modules=["integria_crm"], new_db_demo=False)
    print("Updating integria_crm", flush=True)
    return Registry.new(args.db, update_module=True, upgrade_modules=["integria_crm"])


def _prepare_data(registry, args, run):
    """Commit what the run needs: a Write-level user who owns one company per
    worker, the pattern, and the no_gap sequence."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = env["res.users"].with_context(active_test=False)
        user = users.search([("login", "=", "bench_invoices")]) or users.create(
            {
                "name": "Invoice Benchmark",
                "login": "bench_invoices",
                "group_ids": [(6, 0, [env.ref("base.group_user").id, env.ref("integria_crm.group_crm_write").id])],
            }
        )
        companies = env["res.partner"].create(
            [
                {"name": f"Bench {run} worker {index}", "is_company": True, "is_crm_company": True, "owner_id": user.id}
                for index in range(args.workers)
            ]
        )
        sequence = env["ir.sequence"].create(
            {"name": f"Bench {run}", "implementation": "no_gap", "prefix": f"S{run}/", "number_next": 1}
        )
        params = env["ir.config_parameter"]
        saved = {key: params.get_param(key) for key in (AUTO_NUMBER_PARAM, PATTERN_PARAM)}
        params.set_param(AUTO_NUMBER_PARAM, "True")
        params.set_param(PATTERN_PARAM, f"B{run}/[1]")
        return Plan(registry.db_name, args.count, user.id, companies.ids, sequence.id), saved


def _worker(plan, mode, index, barrier, results):
    """Save ``plan.count`` invoices, one transaction each, retrying the
    transactions that hit a concurrency error (as Odoo's HTTP layer does)."""
    try:
        results.put(_save_invoices(plan, mode, index, barrier))
    except Exception as error:  # reported by the parent process
        results.put({"error": f"worker {index}: {error!r}"})
    finally:
        barrier.abort()  # never leave the parent waiting


def _save_invoices(plan, mode, index, barrier):
    import logging

    from psycopg2 import OperationalError

    from odoo import api
    from odoo.modules.registry import Registry

    registry = Registry(plan.db_name)
    # the lock errors of ir.sequence's no_gap are expected: they are counted
    logging.getLogger("odoo.sql_db").setLevel(logging.CRITICAL)

    def save(cr, position):
        env = api.Environment(cr, plan.user_id, {})
        values = {
            "partner_id": plan.company_ids[index],
            "line_ids": [(0, 0, {"description": f"Worker {index}, invoice {position}", "amount": 100.0})],
        }
        if mode == "sequence":
            values["number"] = env["ir.sequence"].sudo().browse(plan.sequence_id).next_by_id()
        return env["integria.invoice"].create(values).number

    def save_with_retries(position, commit=True):
        """Return (number or None when it failed for good, retries)."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with registry.cursor() as cr:
                    number = save(cr, position)
                    if not commit:
                        cr.rollback()
                return number, attempt - 1
            except OperationalError as error:
                if error.pgcode not in RETRIED_ERRORS:
                    raise
                time.sleep(random.uniform(0, min(0.05, 0.002 * attempt)))
        return None, MAX_ATTEMPTS

    # connect and warm the caches before the clock starts, with a save that
    # is rolled back (and so takes no number for good)
    save_with_retries(-1, commit=False)
    numbers, retries, failures = [], 0, 0
    barrier.wait()
    for position in range(plan.count):
        number, position_retries = save_with_retries(position)
        retries += position_retries
        if number is None:
            failures += 1
        else:
            numbers.append(number)
    return {"numbers": numbers, "retries": retries, "failures": failures, "end": time.monotonic()}


def _run(plan, mode):
    import odoo.sql_db

    odoo.sql_db.close_all()  # each forked worker opens its own connections
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(plan.company_ids) + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(plan, mode, index, barrier, results))
        for index in range(len(plan.company_ids))
    ]
    for worker in workers:
        worker.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed: reported below
        barrier.wait()
    started = time.monotonic()
    reports = [results.get(timeout=3600) for _worker in workers]
    errors = [report["error"] for report in reports if "error" in report]
    if errors:
        sys.exit("\n".join(errors))
    elapsed = max(report["end"] for report in reports) - started
    for worker in workers:
        worker.join()
        if worker.exitcode:
            sys.exit(f"A {mode} worker failed (exit code {worker.exitcode})")
    return {
        "numbers": [number for report in reports for number in report["numbers"]],
        "retries": sum(report["retries"] for report in reports),
        "failures": sum(report["failures"] for report in reports),
        "elapsed": elapsed,
    }


def _check(numbers, parse):
    """Return (duplicates, gaps) of the numbers, parsed to integers."""
    integers = [parse(number) for number in numbers]
    if None in integers:
        sys.exit(f"Unexpected numbers: {[n for n, i in zip(numbers, integers, strict=True) if i is None][:5]}")
    unique = set(integers)
    gaps = max(unique, default=0) - len(unique)  # numbers missing from 1 to the highest
    return len(integers) - len(unique), gaps


def _committed_numbers(registry, where, value):
    with registry.cursor() as cr:
        cr.execute(f"SELECT number FROM integria_invoice WHERE {where}", [value])
        return [number for (number,) in cr.fetchall()]


def _cleanup(registry, args, plan, saved):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for key, value in saved.items():
            env["ir.config_parameter"].set_param(key, value or False)
        if not args.keep:
            env["integria.invoice"].search([("partner_id", "in", plan.company_ids)]).unlink()
            env["res.partner"].browse(plan.company_ids).unlink()
            env["ir.sequence"].browse(plan.sequence_id).unlink()


def _line(label, result, duplicates, gaps):
    saved = len(result["numbers"])
    rate = saved / result["elapsed"]
    return (
        f"{label:<20} {saved} invoices saved in {result['elapsed']:.1f} s = {rate:.1f} invoices/s; "
        f"duplicates {duplicates}, gaps {gaps}, retried transactions {result['retries']}, "
        f"failed saves {result['failures']}"
    )


def main():
    args = _parse_args()
    invoice_number = _load_pure_tool("invoice_number")
    _configure_odoo(args)
    registry = _prepare_database(args)
    run = uuid.uuid4().hex[:6]
    plan, saved = _prepare_data(registry, args, run)
    print(
        f"Invoice numbering benchmark: {args.workers} worker processes x {args.count} issued invoices, "
        f"one transaction per invoice, database {args.db}, {os.cpu_count()} CPUs",
        flush=True,
    )
    try:
        pattern = invoice_number.parse_pattern(f"B{run}/[1]")
        auto = _run(plan, "pattern")
        committed = _committed_numbers(registry, "sequence_pattern = %s", f"B{run}/[1]")
        assert sorted(committed) == sorted(auto["numbers"]), "the committed numbers differ from the saved ones"
        auto_checks = _check(committed, lambda number: invoice_number.parse_number(pattern, number))
        print(_line("pattern numbering:", auto, *auto_checks), flush=True)

        # every worker saves for the same company: the saves all move its
        # last-activity date, and none may fail or be retried because of it
        shared = _run(plan._replace(company_ids=[plan.company_ids[0]] * args.workers), "pattern")
        committed = _committed_numbers(registry, "sequence_pattern = %s", f"B{run}/[1]")
        shared_checks = _check(committed, lambda number: invoice_number.parse_number(pattern, number))
        print(_line("same company:", shared, *shared_checks), flush=True)

        sequence = _run(plan, "sequence")
        committed = _committed_numbers(registry, "number LIKE %s", f"S{run}/%")
        sequence_pattern = invoice_number.parse_pattern(f"S{run}/[1]")
        sequence_checks = _check(committed, lambda number: invoice_number.parse_number(sequence_pattern, number))
        print(_line("ir.sequence no_gap:", sequence, *sequence_checks), flush=True)

        # time per saved invoice, pattern over ir.sequence: above 1, the pattern is slower
        ratio = (auto["elapsed"] / len(auto["numbers"])) / (sequence["elapsed"] / len(sequence["numbers"]))
        print(
            f"ratio (pattern time per invoice / ir.sequence time per invoice): {ratio:.2f} (goal <= 1.5); "
            f"pattern throughput {'within' if ratio <= 1.5 else 'OUTSIDE'} the goal",
            flush=True,
        )
        ok = (
            auto_checks == shared_checks == (0, 0)
            and not auto["failures"]
            and not shared["failures"]
            and not shared["retries"]
            and ratio <= 1.5
        )
    finally:
        _cleanup(registry, args, plan, saved)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
