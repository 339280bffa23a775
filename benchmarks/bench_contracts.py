#!/usr/bin/env python3
"""Contract documents and the contract list under the CRM record rules.

    python3 benchmarks/bench_contracts.py [--db icrm_contracts_bench] [--template icrm_base] [--pdfs 200] [--runs 21]

1. PDF: renders --pdfs contract documents one by one through the Odoo report
   (the "Generate PDF" path), and runs wkhtmltopdf directly (subprocess) on the
   very HTML and options Odoo gave it, in the same run; prints the medians and
   their ratio. The full "Generate PDF" action (render, attach, post in the
   chatter) is timed as well.
2. List: search_read of 80 contracts with the list's fields + search_count,
   as each kind of user (under the record rules) and as the administrator, on
   --contracts contracts (half of them under My Company, a tenth private);
   cold ORM cache, the two users alternated; prints the medians and ratio,
   and the plan of the narrowest user's query. --pdfs 0 skips the PDFs.

The first run creates the database (a copy of --template when it exists,
else a new one), installs integria_crm and generates the data through the
ORM (a few minutes on 2 cores); later runs reuse it.
"""

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from unittest.mock import patch

from bench_common import QUIET, databases, generate_customers, install, lone_owner, measure, odoo_args, update

import odoo
from odoo.addons.base.models import ir_actions_report
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

GENERATED_PARAM = "integria_crm.benchmark_contracts_generated"
INVOICES_GENERATED_PARAM = "integria_crm.benchmark_invoices_generated"
INVOICE_FIELDS = ["number", "partner_id", "invoice_type", "date_invoice", "date_due", "amount_total", "state"]
REPORT = "integria_crm.report_integria_contract_document"
LIST_FIELDS = [
    "name",
    "contract_number",
    "partner_id",
    "type_id",
    "date_start",
    "date_end",
    "state",
    "is_private",
    "crm_owner_id",
    "contract_properties",
]


def install_from(db, template):
    if template in databases():
        subprocess.run(["createdb", "-h", config["db_host"], "-U", config["db_user"], "-T", template, db], check=True)
    install(db)


def generate(env, contracts):
    """1,000 CRM companies, half under My Company (seen by User 1), half under
    a company of its own; contracts spread at random, a tenth of them private."""
    _user1, companies = generate_customers(env)
    contract_type = env["integria.contract.type"].create(
        {
            "name": "Benchmark licence",
            "properties_definition": [
                {"name": "product", "string": "Product", "type": "char", "view_in_cards": True},
                {"name": "seats", "string": "Seats", "type": "integer", "view_in_cards": True},
                {
                    "name": "edition",
                    "string": "Edition",
                    "type": "selection",
                    "selection": [["std", "Standard"], ["pro", "Pro"]],
                },
            ],
        }
    )
    env.cr.commit()
    model = env["integria.contract"].with_context(**QUIET)
    rng = random.Random(42)  # the same data on every machine, with no pattern tying dates to companies
    for start in range(0, contracts, 5000):
        model.create(
            [
                {
                    "name": f"Contract {index}",
                    "contract_number": f"BENCH-{index:06d}",
                    "partner_id": rng.choice(companies).id,
                    "type_id": contract_type.id,
                    "is_private": rng.random() < 0.1,
                    "state": rng.choice(("active", "active", "pending", "inactive")),
                    "date_start": f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "date_end": f"{rng.randint(2026, 2030)}-12-31",
                    "contract_properties": {"product": "Integria IMS", "seats": rng.randint(1, 50), "edition": "pro"},
                }
                for index in range(start, min(start + 5000, contracts))
            ]
        )
        env.cr.commit()
        env.invalidate_all()
        print(f"  {min(start + 5000, contracts)} contracts", flush=True)
    env["ir.config_parameter"].set_param(GENERATED_PARAM, "1")
    env.cr.commit()


def generate_invoices(env, count):
    """Invoices spread at random over the companies, numbered by the pattern."""
    companies = env["res.partner"].search([("name", "=like", "Customer %"), ("is_crm_company", "=", True)])
    model = env["integria.invoice"].with_context(**QUIET)
    rng = random.Random(7)
    for start in range(0, count, 2000):
        model.create(
            [
                {
                    "partner_id": rng.choice(companies).id,
                    "date_invoice": f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "line_ids": [(0, 0, {"description": "Support", "amount": rng.randint(100, 5000)})],
                }
                for _index in range(start, min(start + 2000, count))
            ]
        )
        env.cr.commit()
        env.invalidate_all()
        print(f"  {min(start + 2000, count)} invoices", flush=True)
    env["ir.config_parameter"].set_param(INVOICES_GENERATED_PARAM, "1")
    env.cr.commit()


def list_invoices(env):
    invoices = env["integria.invoice"]
    invoices.search_read([], INVOICE_FIELDS, limit=80)
    invoices.search_count([])


# ----------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------
def bench_pdfs(env, count):
    template = env.ref("integria_crm.contract_template_certificate_en")
    contracts = env["integria.contract"].search([], limit=count, order="id")
    reports = env["ir.actions.report"]
    real_run = ir_actions_report._run_wkhtmltopdf
    captured = []

    def capture(args):
        # the last two arguments are the body file and the PDF file
        with open(args[-2], encoding="utf-8") as body:
            captured.append((args[:-2], body.read()))
        return real_run(args)

    def render(contract):
        reports._render_qweb_pdf(REPORT, contract.ids, data={"template_id": template.id})

    render(contracts[0])  # warm the view and asset caches
    odoo_times, direct_times, generate_times = [], [], []
    with tempfile.TemporaryDirectory() as tmp, patch.object(ir_actions_report, "_run_wkhtmltopdf", capture):
        for contract in contracts:
            env.invalidate_all()
            captured.clear()
            start = time.perf_counter()
            render(contract)
            odoo_times.append(time.perf_counter() - start)

            options, html = captured[0]
            body_path, pdf_path = os.path.join(tmp, "body.html"), os.path.join(tmp, "direct.pdf")
            with open(body_path, "w", encoding="utf-8") as body:
                body.write(html)
            start = time.perf_counter()
            subprocess.run(
                [ir_actions_report._wkhtml().bin, *options, body_path, pdf_path], capture_output=True, check=True
            )
            direct_times.append(time.perf_counter() - start)

            env.invalidate_all()
            start = time.perf_counter()
            contract._generate_document_pdf(template)
            generate_times.append(time.perf_counter() - start)
    env.cr.rollback()  # keep the database as it was
    return (statistics.median(values) * 1000 for values in (odoo_times, direct_times, generate_times))


# ----------------------------------------------------------------------
# List
# ----------------------------------------------------------------------
def list_contracts(env):
    contracts = env["integria.contract"]
    contracts.search_read([], LIST_FIELDS, limit=80)
    contracts.search_count([])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="icrm_contracts_bench")
    parser.add_argument("--template", default="icrm_base", help="database to copy when creating --db, if it exists")
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    config.parse_config(odoo_args(args.db))
    if args.db not in databases():
        print(f"Installing integria_crm in {args.db}", flush=True)
        install_from(args.db, args.template)
    else:
        update(args.db)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param(GENERATED_PARAM):
            print(f"Generating {args.contracts} contracts", flush=True)
            generate(env, args.contracts)
        if not env["ir.config_parameter"].get_param(INVOICES_GENERATED_PARAM):
            print(f"Generating {args.invoices} invoices", flush=True)
            generate_invoices(env, args.invoices)
    # as autovacuum would have done by now: fresh statistics and visibility
    # map (measured in a new transaction, which plans with them)
    subprocess.run(
        ["psql", "-h", config["db_host"], "-U", config["db_user"], "-d", args.db, "-qc", "VACUUM ANALYZE"],
        check=True,
    )
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})

        if args.pdfs:
            odoo_ms, direct_ms, generate_ms = bench_pdfs(env, args.pdfs)
            print(
                f"PDF ({args.pdfs} contracts, one by one): Odoo report {odoo_ms:.1f} ms, "
                f"wkhtmltopdf alone on the same HTML {direct_ms:.1f} ms, ratio {odoo_ms / direct_ms:.2f}; "
                f"Generate PDF (render + attach + chatter) {generate_ms:.1f} ms, ratio {generate_ms / direct_ms:.2f}",
                flush=True,
            )

        kinds = user_kinds(env)
        compare_lists(env, kinds, "contract", list_contracts, args.runs)
        # invoices are for their company's owner and the Manage users who see it
        compare_lists(env, user_kinds(env, "manage"), "invoice", list_invoices, args.runs)
        contracts = env(user=kinds["member of a customer"])["integria.contract"]
        query = contracts._search([], limit=80, order=contracts._order)
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) %s", query.select()))
        plan = "\n".join(f"    {row[0]}" for row in cr.fetchall())
        print(f"plan of the list query of the member of a customer:\n{plan}")


def compare_lists(env, kinds, name, operation, runs):
    """Print the median time of ``operation`` for each kind of user against
    the administrator's, measured side by side."""
    admin = env.ref("base.user_admin")
    model = env[f"integria.{name}"]
    print(f"{name}s: {model.search_count([])}", flush=True)
    for kind, user in kinds.items():
        envs = {kind: env(user=user), "admin": env(user=admin)}
        visible = envs[kind][model._name].search_count([])
        operation(envs[kind])  # warm the rule and view caches
        operation(envs["admin"])
        medians = measure(envs, operation, runs)
        print(
            f"{name} list (80 rows + count), {kind} (sees {visible}): {medians[kind]:.1f} ms, "
            f"administrator {medians['admin']:.1f} ms, ratio {medians[kind] / medians['admin']:.2f} "
            f"(median of {runs})",
            flush=True,
        )


def user_kinds(env, level="read"):
    """The users whose lists are compared with the administrator's: the owner
    of a quarter of the companies, who belongs to a company without a parent
    (sees what it owns); a member of My Company (half of the contracts); a
    member of one customer (that customer's contracts); the members have the
    CRM ``level``."""
    owner = lone_owner(env)
    kinds = {"owner of a quarter": owner}
    customer = env["res.partner"].search([("name", "=", "Customer 2")])
    for kind, login, company in (
        ("member of My Company", f"bench_member_root_{level}", env.company.partner_id),
        (
            "member of a customer",
            f"bench_member_leaf_{level}",
            customer,
        ),
    ):
        users = env["res.users"].with_context(no_reset_password=True)
        kinds[kind] = users.search([("login", "=", login)]) or users.create(
            {
                "name": kind,
                "login": login,
                "crm_company_id": company.id,
                "group_ids": [(6, 0, [env.ref(f"integria_crm.group_crm_{level}").id])],
            }
        )
    env.cr.commit()
    return kinds


if __name__ == "__main__":
    main()
