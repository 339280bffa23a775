#!/usr/bin/env python3
"""The customer portal's invoice list against the same list in the back end.

    python3 benchmarks/bench_portal.py [--db integria_crm_bench_portal] [--runs 15] [--port 8600]

A customer has --customer-invoices issued invoices (10,000) among --invoices
(100,000) in the database, of 20 customers. A real Odoo server (started by
the script on --port) answers, over HTTP:

1. the portal user of that customer: GET /my/integria/invoices (the page of
   80 invoices, its pager counting them all, under the portal's record rules);
2. a Manage user: the invoice list of that customer in the back end
   (web_search_read of 80 invoices with the list's fields and the count,
   under the Manage rules);
3. the portal user of a customer with 10 invoices, the same page.

For each, the medians of the server's time (the query and Python times that
Odoo logs for each request) and the query count; then the ratio of 1 to 2
and whether 1 and 3 run the same number of queries.

The first run creates the database, installs integria_crm (no demo data)
and generates the invoices (copies of one invoice made by the ORM, by SQL,
to keep the set-up short); later runs reuse it.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import requests
from bench_common import QUIET, databases, install, odoo_args, update

import odoo
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

GENERATED_PARAM = "integria_crm.benchmark_portal_generated"
PASSWORD = "bench-portal"
# werkzeug's request line, then Odoo's figures: queries, query time, other time
REQUEST_LINE = re.compile(
    r'"(?:GET|POST) (?P<path>\S+) HTTP/[\d.]+" \d+ - (?P<queries>\d+) (?P<sql>[\d.]+) (?P<py>[\d.]+)'
)
BACKEND_SPECIFICATION = {
    "number": {},
    "partner_id": {"fields": {"display_name": {}}},
    "date_invoice": {},
    "date_due": {},
    "amount_total": {},
    "currency_id": {"fields": {}},
    "state": {},
    "invoice_type": {},
    "crm_can_write": {},
}


def generate(env, customer_invoices, total):
    """Create the customers, the users and the invoices; return nothing (committed)."""
    partners = env["res.partner"].with_context(**QUIET)
    users = env["res.users"].with_context(no_reset_password=True)
    my_company = env.company.partner_id
    manager = users.create(
        {
            "name": "Bench Manager",
            "login": "bench_manager",
            "password": PASSWORD,
            "crm_company_id": my_company.id,
            "group_ids": [(6, 0, [env.ref("integria_crm.group_crm_manage").id])],
        }
    )
    customers = partners.create(
        [
            {
                "name": f"Portal customer {index}",
                "is_company": True,
                "is_crm_company": True,
                "owner_id": manager.id,
                "crm_parent_id": my_company.id,
            }
            for index in range(20)
        ]
    )
    big, small = customers[0], customers[1]
    for login, customer in (("bench_portal_big", big), ("bench_portal_small", small)):
        contact = partners.create({"name": login, "parent_id": customer.id})
        users.create(
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "partner_id": contact.id,
                "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    invoices = env["integria.invoice"].with_context(**QUIET)
    models = invoices.create(
        [
            {
                "partner_id": customer.id,
                "number": f"BP-{customer.id}-0",
                "currency_id": env.company.currency_id.id,
                "line_ids": [(0, 0, {"description": "Support", "amount": 100.0})],
            }
            for customer in customers
        ]
    )
    env.flush_all()
    counts = {big: customer_invoices, small: 10}
    rest = (total - customer_invoices - 10) // (len(customers) - 2)
    for model in models:
        copies = counts.get(model.partner_id, rest) - 1
        _copy_invoice(env, model, copies)
    env["ir.config_parameter"].set_param(GENERATED_PARAM, "1")
    env.cr.execute("ANALYZE integria_invoice")
    env.cr.commit()


def _copy_invoice(env, model, copies):
    """Insert ``copies`` copies of invoice ``model``, one a day back in time, a
    third paid, a tenth received; their rule columns are the model's."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO integria_invoice (
                partner_id, company_id, currency_id, number, invoice_type, state, date_invoice, date_due,
                date_payment, lang, amount_base, amount_discount, amount_net, amount_tax, amount_retention,
                amount_total, crm_owner_id, crm_path, crm_owner_company_id, create_uid, write_uid,
                create_date, write_date)
            SELECT partner_id, company_id, currency_id, number || '-' || n,
                   CASE WHEN n %% 10 = 0 THEN 'received' ELSE 'issued' END,
                   CASE WHEN n %% 3 = 0 THEN 'paid' ELSE 'pending' END,
                   date_invoice - n, date_due - n,
                   CASE WHEN n %% 3 = 0 THEN date_invoice - n + 10 END,
                   lang, amount_base, amount_discount, amount_net, amount_tax, amount_retention,
                   amount_total, crm_owner_id, crm_path, crm_owner_company_id, create_uid, write_uid,
                   create_date, write_date
              FROM integria_invoice, generate_series(1, %s) AS n
             WHERE id = %s
            """,
            copies,
            model.id,
        )
    )


class Server:
    """An Odoo HTTP server on the benchmark database, its log in a file."""

    def __init__(self, db, port):
        self.db, self.port = db, port
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args(self.db),
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(self.port + 3),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level",
            "info",
            "--db-filter",
            f"^{self.db}$",
        ]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        for _attempt in range(120):
            try:
                requests.get(f"{self.url}/web/login", timeout=5)
                return self
            except requests.ConnectionError:
                time.sleep(1)
        raise RuntimeError(f"The server did not start: see {self.log.name}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def session(self, login):
        session = requests.Session()
        response = session.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": self.db, "login": login, "password": PASSWORD}},
            timeout=60,
        )
        response.raise_for_status()
        if response.json().get("error"):
            raise RuntimeError(response.json()["error"])
        return session

    def figures(self, path, count):
        """The (queries, server milliseconds) of the last ``count`` requests to ``path``."""
        self.log.flush()
        with open(self.log.name, encoding="utf-8") as log:
            matches = [match for match in REQUEST_LINE.finditer(log.read()) if match["path"].startswith(path)]
        return [
            (int(match["queries"]), (float(match["sql"]) + float(match["py"])) * 1000) for match in matches[-count:]
        ]


def portal_list(server, session):
    response = session.get(f"{server.url}/my/integria/invoices", timeout=120)
    response.raise_for_status()
    assert "o_integria_portal_invoice" in response.text, "the portal list shows no invoice"


def backend_list(customer_id):
    def run(server, session):
        response = session.post(
            f"{server.url}/web/dataset/call_kw/integria.invoice/web_search_read",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "integria.invoice",
                    "method": "web_search_read",
                    "args": [],
                    "kwargs": {
                        "domain": [["partner_id", "=", customer_id]],
                        "specification": BACKEND_SPECIFICATION,
                        "limit": 80,
                        "offset": 0,
                        "order": "",
                        "count_limit": 100001,
                    },
                },
            },
            timeout=120,
        )
        response.raise_for_status()
        assert len(response.json()["result"]["records"]) == 80, response.text[:300]

    return run


def measure(server, cases, runs):
    """Median (queries, server ms) of each case, the cases alternated run by run."""
    results = {label: [] for label in cases}
    for _run in range(runs + 1):  # the first run warms the caches
        for label, (session, operation, path) in cases.items():
            operation(server, session)
            results[label].append(server.figures(path, 1)[0])
    return {
        label: (statistics.median(q for q, _ms in values[1:]), statistics.median(ms for _q, ms in values[1:]))
        for label, values in results.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="integria_crm_bench_portal")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--port", type=int, default=int(os.environ.get("HTTP_PORT", "8600")))
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customer-invoices", type=int, default=10_000)
    args = parser.parse_args()

    config.parse_config(odoo_args(args.db))
    if args.db in databases():
        update(args.db)
    else:
        subprocess.run(["createdb", "-h", config["db_host"], "-U", config["db_user"], args.db], check=True)
        install(args.db)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param(GENERATED_PARAM):
            print("Generating the invoices…", flush=True)
            generate(env, args.customer_invoices, args.invoices)
        big = env["res.users"].search([("login", "=", "bench_portal_big")]).partner_id.parent_id
        total = env["integria.invoice"].search_count([])
        mine = env["integria.invoice"].search_count([("partner_id", "=", big.id)])
    print(f"{total} invoices in the database, {mine} of the portal customer ({args.runs} runs, medians)")

    with Server(args.db, args.port) as server:
        cases = {
            "portal user, customer with 10,000 invoices: /my/integria/invoices": (
                server.session("bench_portal_big"),
                portal_list,
                "/my/integria/invoices",
            ),
            "Manage user, the same customer's invoice list in the back end": (
                server.session("bench_manager"),
                backend_list(big.id),
                "/web/dataset/call_kw/integria.invoice/web_search_read",
            ),
            "portal user, customer with 10 invoices: /my/integria/invoices": (
                server.session("bench_portal_small"),
                portal_list,
                "/my/integria/invoices",
            ),
        }
        results = measure(server, cases, args.runs)
    for label, (queries, milliseconds) in results.items():
        print(f"  {label:<70} {milliseconds:8.1f} ms  {queries:4.0f} queries")
    (portal_q, portal_ms), (_backend_q, backend_ms), (small_q, _small_ms) = results.values()
    print(f"  portal / back end: {portal_ms / backend_ms:.2f}x (target <= 1.5x)")
    print(f"  queries, 10,000 invoices vs 10: {portal_q:.0f} vs {small_q:.0f} (the same: they do not grow)")


if __name__ == "__main__":
    main()
