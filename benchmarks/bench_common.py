"""What the benchmark scripts share: how they reach Odoo and how they time."""

import os
import statistics
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
