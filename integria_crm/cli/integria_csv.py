"""``odoo integria_csv``: the CSV import and export of the CRM without the
web client, for migrations of large Integria files.

Odoo 19 loads this file as ``odoo.cli.integria_csv`` (not as part of the
addon), so it reaches the addon through the registry only: the import and
the export are the models the web wizard uses.
"""

import optparse
import os
import sys
import time

from odoo import api
from odoo.cli.command import Command
from odoo.modules.registry import Registry
from odoo.tools import config

KINDS = {"company": "company", "companies": "company", "contract": "contract", "contracts": "contract"}
BAR_WIDTH = 30


class IntegriaCsv(Command):
    """Import or export CRM companies and contracts as Integria CSV files"""

    name = "integria_csv"
    epilog = """
        Examples:
          odoo integria_csv -c odoo.conf -d mydb --import companies.csv --kind company --layout export
          odoo integria_csv -c odoo.conf -d mydb --import contracts.csv --kind contract --dry-run
          odoo integria_csv -c odoo.conf -d mydb --export companies.csv --kind company --user manager1

        The import is all or nothing: a file with an error writes nothing and
        the report lists every bad row with its line, column and reason
        (exit status 1). --dry-run checks and writes in a transaction that is
        rolled back, as the web preview does.
    """

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = self.prog
        group = optparse.OptionGroup(parser, "Integria CSV")
        group.add_option("--import", dest="csv_import", metavar="FILE", help="CSV file to import")
        group.add_option("--export", dest="csv_export", metavar="FILE", help="CSV file to write")
        group.add_option("--kind", dest="csv_kind", help="company (default) or contract")
        group.add_option(
            "--layout",
            dest="csv_layout",
            help="positional (typed by hand, the default) or export (Integria's export files)",
        )
        group.add_option(
            "--contract-type",
            dest="csv_contract_type",
            metavar="TYPE",
            help="contracts: the type (id or name) of the contracts whose file names none; "
            "Integria's contract custom fields go to this type's fields of the same labels",
        )
        group.add_option(
            "--existing",
            dest="csv_existing",
            help="companies typed by hand that exist already (same name and fiscal id): update (default) or skip",
        )
        group.add_option("--dry-run", dest="csv_dry_run", action="store_true", help="check the file, write nothing")
        group.add_option(
            "--user", dest="csv_user", help="login of the user who imports (Manage) or exports; admin by default"
        )
        group.add_option("--no-progress", dest="csv_no_progress", action="store_true", help="no progress bar")
        parser.add_option_group(group)
        opt = config.parse_config(cmdargs, setup_logging=True)
        # Odoo's options keep their defaults apart: ours are set here
        opt.csv_kind = opt.csv_kind or "company"
        opt.csv_layout = opt.csv_layout or "positional"
        opt.csv_user = opt.csv_user or "admin"
        opt.csv_existing = opt.csv_existing or "update"
        kind = KINDS.get(opt.csv_kind)
        if not config["db_name"] or len(config["db_name"]) != 1:
            sys.exit("Name one database with -d.")
        if (
            bool(opt.csv_import) == bool(opt.csv_export)
            or not kind
            or opt.csv_layout not in ("positional", "export")
            or opt.csv_existing not in ("update", "skip")
        ):
            sys.exit(
                f"Give --import FILE or --export FILE, --kind company|contract, --layout positional|export, "
                f"--existing update|skip.\nSee {self.prog} --help."
            )
        sys.exit(run_csv(config["db_name"][0], opt, kind))


def run_csv(dbname, opt, kind):
    """Run the import or the export; return the exit status."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        user = env["res.users"]._integria_find_login(opt.csv_user)
        if not user:
            print(f"No user has the login {opt.csv_user!r}.", file=sys.stderr)
            return 2
        env = env(user=user.id, context={"lang": user.lang or "en_US"}, su=False)
        progress = None if opt.csv_no_progress else ProgressBar()
        if opt.csv_export:
            return _export(env, kind, opt, progress)
        status = _import(env, kind, opt, progress)
        if status or opt.csv_dry_run:
            cr.rollback()
        return status


def _import(env, kind, opt, progress):
    with open(opt.csv_import, "rb") as csv_file:
        data = csv_file.read()
    start = time.monotonic()
    print(f"Checking {opt.csv_import} ({len(data) / 1024 / 1024:.1f} MB)...", file=sys.stderr, flush=True)
    options = {"file_name": os.path.basename(opt.csv_import), "existing": opt.csv_existing}
    if opt.csv_contract_type:
        contract_type = _contract_type(env, opt.csv_contract_type)
        if not contract_type:
            print(f"No contract type has the id or name {opt.csv_contract_type!r}.", file=sys.stderr)
            return 2
        options["contract_type_id"] = contract_type.id
    report = env["integria.crm.csv.import"].import_csv(
        kind, data, opt.csv_layout, dry_run=bool(opt.csv_dry_run), progress=progress, options=options
    )
    if progress:
        progress.close()
    elapsed = time.monotonic() - start
    for mapping in report["mappings"]:
        print(f"note: {mapping}")
    for warning in report["warnings"]:
        print(f"warning: {warning}")
    for error in report["errors"]:
        where = f"line {error['line']}" if error["line"] else "file"
        if error["column"]:
            where += f", column {error['column']}"
        print(f"{where}: {error['message']}")
    rows = len(report["rows"])
    if not report["ok"]:
        print(f"{_count(len(report['errors']), 'error')} in {_count(rows, 'row')}: nothing was imported.")
        return 1
    verb = "would be" if report["dry_run"] else "were"
    print(
        f"{_count(rows, 'row')} checked in {elapsed:.1f} s ({rows / elapsed if elapsed else 0:.0f} rows/s): "
        f"{report['created']} {verb} created, {report['updated']} {verb} updated, {report['skipped']} skipped."
    )
    return 0


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _contract_type(env, text):
    types = env["integria.contract.type"]
    return (
        types.search([("id", "=", int(text))]) if text.isdigit() else types.search([("name", "=ilike", text)], limit=1)
    )


def _export(env, kind, opt, progress):
    start = time.monotonic()
    data = env["integria.crm.csv.export"].export_csv(kind, mode=opt.csv_layout, progress=progress)
    if progress:
        progress.close()
    with open(opt.csv_export, "wb") as csv_file:
        csv_file.write(data)
    lines = data.count(b"\n")
    print(f"{opt.csv_export}: {lines} lines, {len(data) / 1024 / 1024:.1f} MB in {time.monotonic() - start:.1f} s.")
    return 0


class ProgressBar:
    """A progress bar on standard error: redrawn in place on a terminal, a
    line every 10 % otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.tty = self.stream.isatty()
        self.last_tenth = -1
        self.drawn = False

    def __call__(self, done, total):
        percent = 100 * done // total if total else 100
        elapsed = time.monotonic() - self.start
        rate = done / elapsed if elapsed else 0
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{total} rows, {rate:.0f} rows/s"
        if self.tty:
            self.stream.write("\r" + line)
            self.drawn = True
        elif percent // 10 != self.last_tenth:
            self.last_tenth = percent // 10
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
