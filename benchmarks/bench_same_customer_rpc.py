#!/usr/bin/env python3
"""Concurrent saves on one customer through a running multi-process Odoo.

    python3 benchmarks/bench_same_customer_rpc.py [--db integria_crm_test] [--clients 8] [--saves 100]

Starts Odoo with ``--workers 2`` on a database where integria_crm is installed
with its demo data (the one scripts/test.sh leaves), creates one CRM company,
and lets --clients XML-RPC clients (threads, one connection each) save
--saves records each for that same company: issued invoices, and every third
save a contract. Every save moves the company's last activity. Prints the
saves per second, the saves that failed (the client got an error), and how
many times the server retried a transaction after a serialization failure
(Odoo's HTTP layer retries them; its log says so). Then removes what it made.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, log_path):
    port = free_port()
    # the console script itself (not a shim that wraps it): the server starts
    # its gevent worker by running sys.argv[0] again
    script = Path(sys.executable).parent / "odoo"
    command = [
        str(script if script.exists() else shutil.which("odoo")),
        "-c",
        str(ROOT / ".build" / "odoo.conf"),
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--workers=2",
        "--max-cron-threads=0",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--logfile={log_path}",
        "--log-level=info",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit(f"Odoo did not start: see {log_path}")
            time.sleep(0.5)


class Client:
    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
        self.proxy = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def call(self, model, method, *args):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args))


def save_records(plan, index, barrier, outcome):
    """Save ``plan["saves"]`` records for the company, one request each;
    append each outcome (None when saved, else the error) to ``outcome``."""
    client = Client(plan["url"], plan["db"], "admin", "admin")
    company_id = plan["company_id"]
    barrier.wait()
    for position in range(plan["saves"]):
        try:
            if position % 3 == 2:
                client.call(
                    "integria.contract", "create", {"name": f"RPC {index}.{position}", "partner_id": company_id}
                )
            else:
                client.call(
                    "integria.invoice",
                    "create",
                    {"partner_id": company_id, "line_ids": [(0, 0, {"description": f"RPC {index}", "amount": 10})]},
                )
            outcome.append(None)
        except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError) as error:
            outcome.append(str(error)[:200])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("TEST_DB", "integria_crm_test"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--saves", type=int, default=100)
    args = parser.parse_args()

    log_path = Path(tempfile.mkdtemp()) / "odoo.log"
    process, url = start_server(args.db, log_path)
    admin = Client(url, args.db, "admin", "admin")
    company_id = admin.call(
        "res.partner", "create", {"name": "One busy customer", "is_company": True, "is_crm_company": True}
    )
    plan = {"url": url, "db": args.db, "company_id": company_id, "saves": args.saves}
    outcome = []  # list.append is atomic: the threads share it
    barrier = threading.Barrier(args.clients + 1)
    threads = [
        threading.Thread(target=save_records, args=(plan, index, barrier, outcome)) for index in range(args.clients)
    ]
    try:
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.monotonic()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        admin.call(
            "integria.invoice", "unlink", admin.call("integria.invoice", "search", [("partner_id", "=", company_id)])
        )
        admin.call("res.partner", "unlink", [company_id])  # its contracts go with it
        process.terminate()
        process.wait(timeout=60)
    log = log_path.read_text(errors="replace")
    retries = len(re.findall(r"SerializationFailure|could not serialize", log))
    gevent_up = "Evented Service" in log
    errors = [error for error in outcome if error]
    saved = len(outcome) - len(errors)
    print(
        f"{args.clients} XML-RPC clients x {args.saves} saves (invoices, every third a contract) for one customer, "
        f"server with --workers 2: {saved} saved in {elapsed:.1f} s = {saved / elapsed:.1f} saves/s; "
        f"failed saves {len(errors)}; serialization failures retried by the server {retries}"
    )
    print(f"gevent worker {'up' if gevent_up else 'NOT up'} (server log {log_path})")
    for error in errors[:3]:
        print(f"  {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
