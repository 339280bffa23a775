"""Lead intake: the Integria endpoint against plain XML-RPC ``crm.lead.create``.

One running Odoo (started by this script on its own database with the demo
data: the demo ``api_user`` and its documented key), the same run, the same
client machine: N leads through ``POST /integria/include/api.php`` and N
through XML-RPC ``crm.lead.create`` with the same values, both authenticated
by the API key of ``api_user``, sent one after the other in alternating
chunks so that both see the same machine load. Prints leads/s of each, their
ratio (goal <= 1.2: the endpoint costs at most 20 % more per lead), and the
resident memory of the server's processes before and after.

    PGUSER=root python3 benchmarks/bench_lead_intake.py [--leads 2000]

The rate limit is switched off on the benchmark database for the run.
"""

import argparse
import http.client
import os
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import psutil
import psycopg2
from bench_common import odoo_args

DB = "integria_crm_bench_intake"
DEMO_API_KEY = "demo-integria-lead-intake-key-0000000001"
CHUNK = 250
QUIET_INSTALL = ("--stop-after-init", "--log-level=warn")


def server_options(port):
    return ["--gevent-port", str(port + 3), "--max-cron-threads", "0", "--log-level", "warn"]


def _sql(query, params=()):
    cnx = psycopg2.connect(dbname=DB, host=os.environ.get("PGHOST", "127.0.0.1"), user=os.environ.get("PGUSER", "root"))
    with cnx, cnx.cursor() as cr:
        cr.execute(query, params)
        rows = cr.fetchall() if cr.description else None
    cnx.close()
    return rows


def install():
    exists = subprocess.run(["psql", "-lqtA"], capture_output=True, text=True, check=True).stdout
    mode = "-u" if any(line.split("|")[0] == DB for line in exists.splitlines()) else "-i"
    subprocess.run(
        [sys.executable, "-m", "odoo", *odoo_args(DB), mode, "integria_crm", "--with-demo", *QUIET_INSTALL],
        check=True,
    )
    _sql(
        "INSERT INTO ir_config_parameter (key, value) VALUES ('integria_crm.lead_api_rate_limit', '0') "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    )


def start_server(port):
    odoo = Path(sys.executable).parent / "odoo"
    process = subprocess.Popen(
        [str(odoo), *odoo_args(DB), "--db-filter", f"^{DB}$", "--http-port", str(port), *server_options(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(240):
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit("Odoo did not start")


def rss_mb(process):
    processes = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    return sum(p.memory_info().rss for p in processes) / 2**20


def _values(index, label):
    return {
        "contact_name": f"Bench {label} {index}",
        "partner_name": f"Bench Company {index}",
        "email_from": f"bench.{label}.{index}@intake.example",
        "function": "Developer",
    }


def endpoint_batch(port, start, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for index in range(start, start + count):
        values = _values(index, "endpoint")
        params = f"{values['contact_name']},{values['partner_name']},{values['email_from']},ES,0,0,,,Developer,api_user"
        body = f"user=api_user&user_pass={DEMO_API_KEY}&op=create_lead&params={params.replace(' ', '+')}"
        connection.request(
            "POST", "/integria/include/api.php", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200 or answer != b"1\n":
            sys.exit(f"endpoint refused lead {index}: {response.status} {answer[:200]}")
    connection.close()


def xmlrpc_batch(url, uid, country_id, start, count):
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    for index in range(start, start + count):
        values = _values(index, "xmlrpc")
        values.update(name=f"{values['contact_name']} ({values['partner_name']})", country_id=country_id, user_id=uid)
        models.execute_kw(DB, uid, DEMO_API_KEY, "crm.lead", "create", [values])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8469)
    args = parser.parse_args()
    install()
    process, url = start_server(args.port)
    try:
        uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(DB, "api_user", DEMO_API_KEY, {})
        country_id = _sql("SELECT id FROM res_country WHERE code = 'ES'")[0][0]
        # warm both paths (registry, caches, assets of nothing) before measuring
        endpoint_batch(args.port, -20, 10)
        xmlrpc_batch(url, uid, country_id, -20, 10)
        memory_before = rss_mb(process)
        timings = {"endpoint": 0.0, "xmlrpc": 0.0}
        for start in range(0, args.leads, CHUNK):
            count = min(CHUNK, args.leads - start)
            began = time.perf_counter()
            endpoint_batch(args.port, start, count)
            timings["endpoint"] += time.perf_counter() - began
            began = time.perf_counter()
            xmlrpc_batch(url, uid, country_id, start, count)
            timings["xmlrpc"] += time.perf_counter() - began
        memory_after = rss_mb(process)
    finally:
        process.terminate()
        process.wait(timeout=60)
    endpoint_rate, xmlrpc_rate = (args.leads / timings[label] for label in ("endpoint", "xmlrpc"))
    print(f"leads per path: {args.leads}")
    print(f"include/api.php create_lead: {endpoint_rate:.1f} leads/s ({timings['endpoint']:.1f} s)")
    print(f"XML-RPC crm.lead.create:     {xmlrpc_rate:.1f} leads/s ({timings['xmlrpc']:.1f} s)")
    print(f"ratio (time per lead, endpoint / XML-RPC; goal <= 1.2): {xmlrpc_rate / endpoint_rate:.2f}")
    print(f"server RSS: {memory_before:.0f} MB before, {memory_after:.0f} MB after")


if __name__ == "__main__":
    main()
