"""``odoo integria_migrate``: move an Integria IMS installation into Odoo.

Odoo 19 loads this file as ``odoo.cli.integria_migrate`` (not as part of
the addon), so it reaches the addon through the registry only: the run is
the model ``integria.crm.migration``, listed with its report under
Customers > Configuration > Integria Migrations.
"""

import optparse
import sys
import time

from odoo import api
from odoo.cli.command import Command
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import config


class IntegriaMigrate(Command):
    """Move an Integria IMS database and its attachment folder into Odoo"""

    name = "integria_migrate"
    epilog = """
        Examples:
          odoo integria_migrate -c odoo.conf -d mydb --source mysql://integria:secret@127.0.0.1/integria \\
              --attachments /var/www/integria/attachment
          odoo integria_migrate -c odoo.conf -d mydb --source mysql://root@127.0.0.1/integria --dry-run
          odoo integria_migrate -c odoo.conf -d mydb --source mysql://root@127.0.0.1/integria --only users

        A run can be repeated until the cut-over: what is new in Integria is
        added, what changed is updated, a record changed in Odoo since the
        last run is kept and reported as a conflict. A run commits as it
        goes: one stopped in the middle is taken up where it stopped by the
        next. --dry-run reports what would be done and writes nothing.
    """

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = self.prog
        group = optparse.OptionGroup(parser, "Integria migration")
        group.add_option("--source", dest="migrate_source", metavar="URL", help="mysql://user:password@host[:port]/db")
        group.add_option(
            "--attachments", dest="migrate_attachments", metavar="DIR", help="Integria's attachment folder"
        )
        group.add_option("--dry-run", dest="migrate_dry_run", action="store_true", help="report, write nothing")
        group.add_option("--only", dest="migrate_only", metavar="STEPS", help="comma-separated steps, e.g. users")
        group.add_option(
            "--fallback-user", dest="migrate_fallback", metavar="LOGIN", help="Odoo user for unknown Integria users"
        )
        group.add_option(
            "--time-zone", dest="migrate_tz", metavar="TZ", help="Integria server's time zone (Europe/Madrid)"
        )
        parser.add_option_group(group)
        opt = config.parse_config(cmdargs, setup_logging=True)
        if not config["db_name"] or len(config["db_name"]) != 1:
            sys.exit("Name one database with -d.")
        if not opt.migrate_source:
            sys.exit(f"Give --source mysql://user:password@host/database. See {self.prog} --help.")
        sys.exit(run_migration(config["db_name"][0], opt))


def run_migration(dbname, opt):
    """Run the migration; return the exit status."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        Migration = env["integria.crm.migration"]
        only = [step.strip() for step in (opt.migrate_only or "").split(",") if step.strip()]
        unknown = set(only) - set(Migration._steps())
        if unknown:
            print(f"Unknown steps: {', '.join(sorted(unknown))} (steps: {', '.join(Migration._steps())})")
            return 2
        try:
            run = Migration._migrate(
                opt.migrate_source,
                attachments=opt.migrate_attachments,
                dry_run=bool(opt.migrate_dry_run),
                only=only,
                fallback_login=opt.migrate_fallback,
                time_zone=opt.migrate_tz,
                commit=True,
                progress=ProgressBars(sys.stderr),
            )
        except (ValueError, UserError) as error:
            print(error, file=sys.stderr)
            return 2
        print_report(run.report)
        if run.state == "failed":
            print(f"The migration failed: {run.error}", file=sys.stderr)
            print("What it committed before stays; run it again to go on from there.", file=sys.stderr)
            return 1
        return 0


class ProgressBars:
    """A progress bar per Integria table on ``stream``: redrawn in place on
    a terminal, a line per chunk elsewhere (a log, a pipe)."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.terminal = stream.isatty()
        self.finished = set()

    def __call__(self, step, done=False):
        if id(step) in self.finished:
            return  # a commit after the step's end
        if done:
            self.finished.add(id(step))
        total = step.total if step.total else None
        fraction = 1.0 if done else min(step.read / total, 1.0) if total else 0.0
        filled = int(self.WIDTH * fraction)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        seconds = step.seconds if done else time.monotonic() - step.start
        rate = step.read / seconds if seconds else 0.0
        of = f"/{total:,}" if total is not None else ""
        text = f"{step.name:<16} {step.table:<18} [{bar}] {step.read:>9,}{of:<10} {rate:>8,.0f} rows/s"
        if done:
            text += f"  {seconds:,.0f} s"
        if self.terminal:
            self.stream.write(f"\r{text}\033[K" + ("\n" if done else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def print_report(report):
    header = f"{'step':<12} {'table':<22} {'read':>8} {'created':>8} {'updated':>8} {'matched':>8} {'same':>8}"
    print(header + f" {'skipped':>8} {'refused':>8} {'s':>7}")
    for step in report["steps"]:
        print(
            f"{step['name']:<12} {step['table']:<22} {step['read']:>8} {step['created']:>8} {step['updated']:>8}"
            f" {step['matched']:>8} {step['skipped_unchanged']:>8} {len(step['skipped']):>8}"
            f" {len(step['refused']):>8} {step['seconds']:>7}"
        )
        for line in step["skipped"] + step["refused"]:
            print(f"    {line['row']}: {line['reason']}")
    print_check(report)


def print_check(report):
    """The reconciliation and the visibility check, differences marked."""
    if report.get("check_error"):
        print(f"The check after the migration failed: {report['check_error']}", file=sys.stderr)
    reconciliation = report.get("reconciliation") or {}
    if reconciliation:
        print(f"\nReconciliation {'table':<22} {'Integria':>10} {'Odoo':>10} {'refused':>8} {'skipped':>8}")
    for line in reconciliation.get("tables", []):
        mark = "  DIFFERS" if line["differs"] else ""
        print(
            f"{'':<14} {line['table']:<22} {line['source']:>10} {line['odoo']:>10}"
            f" {line['refused']:>8} {line['skipped']:>8}{mark}"
        )
    for line in reconciliation.get("totals", []):
        mark = "  DIFFERS" if line["differs"] else ""
        print(f"{line['what']}: {line['group']}: Integria {line['source']}, Odoo {line['odoo']}{mark}")
    visibility = report.get("visibility") or []
    if visibility:
        print("\nWhat each user sees (Integria / Odoo)")
    for line in visibility:
        mark = ""
        if line["differs"]:
            mark = f"  DIFFERS: only in Integria {line['missing']}, only in Odoo {line['extra']}"
        print(f"{line['login']:<14} {line['what']:<10} {line['integria']:>6} {line['odoo']:>6}{mark}")
