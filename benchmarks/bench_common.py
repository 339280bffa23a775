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


QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True, "mail_notrack": True}


def generate_customers(env, count=1000):
    """Create User 1 (Write) and ``count`` CRM companies, half under My Company
    (seen by User 1), half under a company of its own ("Elsewhere"); User 1
    owns a quarter of them, the administrator the rest. Return (user1,
    companies)."""
    partners = env["res.partner"].with_context(**QUIET)
    users = env["res.users"].with_context(no_reset_password=True)
    user1 = users.create(
        {
            "name": "User 1",
            "login": "bench_user1",
            "email": "bench_user1@example.com",
            "group_ids": [(6, 0, [env.ref("integria_crm.group_crm_write").id])],
        }
    )
    admin = env.ref("base.user_admin")
    elsewhere = partners.create({"name": "Elsewhere", "is_company": True, "is_crm_company": True, "owner_id": admin.id})
    companies = partners.create(
        [
            {
                "name": f"Customer {index}",
                "is_company": True,
                "is_crm_company": True,
                "owner_id": (user1 if index % 4 == 0 else admin).id,
                "crm_parent_id": (env.company.partner_id if index % 2 == 0 else elsewhere).id,
                "vat": f"ES{index:08d}",
                "city": "Madrid",
                "country_id": env.ref("base.es").id,
            }
            for index in range(count)
        ]
    )
    return user1, companies
