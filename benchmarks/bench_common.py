"""What the benchmark scripts share: how they reach Odoo and how they time."""

import os
import statistics
import subprocess
import sys
import time

import odoo.release

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def addons_path():
    """Odoo's addons folders and this repository."""
    base = os.path.dirname(odoo.release.__file__)
    paths = [os.path.join(base, "addons"), os.path.join(os.path.dirname(base), "addons")]
    return ",".join([p for p in paths if os.path.isdir(p)] + [ROOT])


def odoo_args(db):
    """Command-line options of Odoo for database ``db`` on this machine."""
    return [
        "--addons-path",
        addons_path(),
        "-d",
        db,
        "--db_host",
        os.environ.get("PGHOST", "127.0.0.1"),
        "--db_user",
        os.environ.get("PGUSER", "root"),
    ]


def measure(envs, operation, runs):
    """Median milliseconds of ``operation`` per environment, cold (ORM cache
    emptied as on a new request), alternating the environments run by run."""
    timings = {label: [] for label in envs}
    for _ in range(runs):
        for label, env in envs.items():
            env.invalidate_all()
            start = time.perf_counter()
            operation(env)
            timings[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) * 1000 for label, values in timings.items()}


def lone_owner(env, login="bench_user1"):
    """Return the user ``login``, moved to a CRM company without a parent so
    that it sees only the companies it owns (committed)."""
    owner = env["res.users"].search([("login", "=", login)])
    lone = env["res.partner"].search([("name", "=", "Bench lone company")], limit=1)
    if not lone:
        lone = env["res.partner"].create({"name": "Bench lone company", "is_company": True, "is_crm_company": True})
    if owner.crm_company_id != lone:
        owner.crm_company_id = lone
        env.cr.commit()
    return owner


def databases():
    """The names of the databases of the PostgreSQL server Odoo is configured for."""
    from odoo.tools import config

    listing = subprocess.run(
        ["psql", "-h", config["db_host"], "-U", config["db_user"], "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    return {line.split("|")[0].strip() for line in listing.splitlines()}


def install(db):
    """Install integria_crm, without demo data, in ``db``."""
    _run_odoo(db, "-i", "integria_crm")


def update(db):
    """Bring the addon of an existing benchmark database to the code measured."""
    _run_odoo(db, "-u", "integria_crm")


def _run_odoo(db, *options):
    command = [sys.executable, "-m", "odoo", *odoo_args(db), *options, "--stop-after-init", "--log-level=warn"]
    subprocess.run(command, check=True)
