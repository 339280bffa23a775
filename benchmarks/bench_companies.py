#!/usr/bin/env python3
"""Company list and name search under the CRM record rules, each kind of user
against the administrator, on 50,000 CRM companies in a 4-level tree and
200,000 contacts.

    python3 benchmarks/bench_companies.py [--db integria_crm_bench] [--runs 21]

The first run installs integria_crm in a new database and generates the data
through the ORM (about 15 minutes on 2 cores); later runs reuse it. Each
measure is taken cold (ORM cache emptied, as on a new request), alternating
the two users so that both see the same machine load.
"""

import argparse
import subprocess

from bench_common import databases, install, lone_owner, measure, odoo_args, update

import odoo
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

GENERATED_PARAM = "integria_crm.benchmark_generated"
LIST_FIELDS = ["name", "crm_role_id", "country_id", "owner_id", "crm_parent_id", "last_activity_date"]
DOMAIN = [("is_crm_company", "=", True)]


def generate(env, companies, contacts):
    """A 4-level tree under My Company: 10, 100 and 1,000 companies on the
    first three levels, the rest on the fourth; contacts spread evenly."""
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    users = env["res.users"].with_context(no_reset_password=True)
    group_write = env.ref("integria_crm.group_crm_write")
    user1 = users.create({"name": "User 1", "login": "bench_user1", "group_ids": [(6, 0, [group_write.id])]})
    owners = [user1.id, env.ref("base.user_admin").id]
    level = env.company.partner_id
    done = 0
    for depth, size in enumerate((10, 100, 1000, companies - 1110), start=1):
        parents, level = level, partners
        for start in range(0, size, 2000):
            level |= partners.create(
                [
                    {
                        "name": f"Company L{depth}-{index}",
                        "is_company": True,
                        "is_crm_company": True,
                        "owner_id": owners[index % 2],
                        "crm_parent_id": parents[index % len(parents)].id,
                    }
                    for index in range(start, min(start + 2000, size))
                ]
            )
            env.cr.commit()
            env.invalidate_all()
        done += size
        print(f"  {done} companies", flush=True)
    company_ids = partners.search(DOMAIN).ids
    for start in range(0, contacts, 5000):
        partners.create(
            [
                {"name": f"Contact {index}", "parent_id": company_ids[index % len(company_ids)]}
                for index in range(start, min(start + 5000, contacts))
            ]
        )
        env.cr.commit()
        env.invalidate_all()
        print(f"  {min(start + 5000, contacts)} contacts", flush=True)
    env["ir.config_parameter"].set_param(GENERATED_PARAM, "1")
    env.cr.commit()


def bench_user(env, login, company_name, level="read"):
    """Return a user of the CRM level ``level`` whose CRM company is the
    company named ``company_name`` (created the first time)."""
    users = env["res.users"].with_context(no_reset_password=True)
    user = users.search([("login", "=", login)])
    if not user:
        company = env["res.partner"].search([("name", "=", company_name)], limit=1)
        user = users.create(
            {
                "name": f"Member of {company_name}",
                "login": login,
                "crm_company_id": company.id,
                "group_ids": [(6, 0, [env.ref(f"integria_crm.group_crm_{level}").id])],
            }
        )
        env.cr.commit()
    return user


def user_kinds(env):
    """The users whose lists are compared with the administrator's: the owner
    of half the companies, who belongs to a company without a parent (sees what
    it owns); a member of the root (sees everything under My Company); a member
    of a level-2 company (one branch); a member of a leaf company (itself)."""
    owner = lone_owner(env)
    return {
        "owner of half": owner,
        "member of the root": bench_user(env, "bench_member_root", env.company.partner_id.name),
        "member of a level-2 company": bench_user(env, "bench_member_l2", "Company L2-7"),
        "member of a leaf company": bench_user(env, "bench_member_l4", "Company L4-1234"),
    }


def list_companies(env):
    partners = env["res.partner"]
    partners.search_read(DOMAIN, LIST_FIELDS, limit=80)
    partners.search_count(DOMAIN)


def name_search(env):
    env["res.partner"].name_search("Company L4-12", limit=8)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="integria_crm_bench")
    parser.add_argument("--companies", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    config.parse_config(odoo_args(args.db))
    if args.db not in databases():
        print(f"Installing integria_crm in {args.db}", flush=True)
        install(args.db)
    else:
        update(args.db)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param(GENERATED_PARAM):
            print(f"Generating {args.companies} companies and {args.contacts} contacts", flush=True)
            generate(env, args.companies, args.contacts)
        user_kinds(env)
    # as autovacuum would have done by now: fresh statistics and visibility
    # map (measured in a new transaction, which plans with them)
    vacuum = ["psql", "-h", config["db_host"], "-U", config["db_user"], "-d", args.db, "-qc", "VACUUM ANALYZE"]
    subprocess.run(vacuum, check=True)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        kinds = user_kinds(env)
        total = env["res.partner"].search_count(DOMAIN)
        contacts = env["res.partner"].search_count([("crm_company_id", "!=", False), ("is_company", "=", False)])
        print(f"companies: {total}, contacts: {contacts}")
        for kind, user in kinds.items():
            envs = {kind: env(user=user), "admin": env(user=admin)}
            visible = envs[kind]["res.partner"].search_count(DOMAIN)
            for name, operation in (("company list (80 rows + count)", list_companies), ("name search", name_search)):
                operation(envs[kind])  # warm the rule and view caches
                operation(envs["admin"])
                medians = measure(envs, operation, args.runs)
                print(
                    f"{name}, {kind} (sees {visible}): {medians[kind]:.1f} ms, "
                    f"administrator {medians['admin']:.1f} ms, ratio {medians[kind] / medians['admin']:.2f} "
                    f"(median of {args.runs})",
                    flush=True,
                )
        for kind in ("member of the root", "member of a level-2 company"):
            query = env(user=kinds[kind])["res.partner"]._search(DOMAIN, limit=80, order="complete_name, id")
            cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) %s", query.select()))
            plan = "\n".join(f"    {row[0]}" for row in cr.fetchall())
            print(f"plan of the list query of the {kind}:\n{plan}")


if __name__ == "__main__":
    main()
