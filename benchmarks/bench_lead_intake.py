"""Lead intake: the Integria endpoint against JSON-2 and plain XML-RPC ``crm.lead.create``.

One running Odoo (started by this script through its ``odoo`` console script,
on 127.0.0.1, on its own database with the demo data: the demo ``api_user``
and the API key the demo generated for it), the same run, the same client
machine: N leads through ``POST /integria/include/api.php``, N through JSON-2
``POST /json/2/crm.lead/create`` and N through XML-RPC ``crm.lead.create``
with the same values, all authenticated by the API key of ``api_user``, sent
one after the other in alternating chunks so that all see the same machine
load. Prints leads/s of each, the ratios of the endpoint's time per lead to
JSON-2's and to XML-RPC's (goal <= 1.2, aim <= 1.0), and the resident memory
of the server's processes before and after.

    PGUSER=root [BENCH_DB=name] python3 benchmarks/bench_lead_intake.py [--leads 2000] [--port 8469]

The rate limit is switched off on the benchmark database for the run.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import psutil
import psycopg2
from bench_common import odoo_args

DB = os.environ.get("BENCH_DB", "integria_crm_bench_intake")
CHUNK = 250
QUIET_INSTALL = ("--stop-after-init", "--log-level=warn", "--http-interface", "127.0.0.1")


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
        [
            str(odoo),
            *odoo_args(DB),
            "--db-filter",
            f"^{DB}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            *server_options(port),
        ],
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


def endpoint_batch(port, key, start, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for index in range(start, start + count):
        values = _values(index, "endpoint")
        params = f"{values['contact_name']},{values['partner_name']},{values['email_from']},ES,0,0,,,Developer,api_user"
        body = f"user=api_user&user_pass={key}&op=create_lead&params={params.replace(' ', '+')}"
        connection.request(
            "POST", "/integria/include/api.php", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200 or answer != b"1":
            sys.exit(f"endpoint refused lead {index}: {response.status} {answer[:200]}")
    connection.close()


def _create_values(index, label, uid, country_id):
    values = _values(index, label)
    values.update(name=f"{values['contact_name']} ({values['partner_name']})", country_id=country_id, user_id=uid)
    return values


def json2_batch(port, key, lead_of, start, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"bearer {key}", "X-Odoo-Database": DB, "Content-Type": "application/json"}
    for index in range(start, start + count):
        body = json.dumps({"vals_list": [lead_of(index, "json2")]})
        connection.request("POST", "/json/2/crm.lead/create", body, headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            sys.exit(f"JSON-2 refused lead {index}: {response.status} {answer[:200]}")
    connection.close()


def xmlrpc_batch(url, key, lead_of, start, count):
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    for index in range(start, start + count):
        values = lead_of(index, "xmlrpc")
        models.execute_kw(DB, values["user_id"], key, "crm.lead", "create", [values])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8469)
    args = parser.parse_args()
    install()
    key = _sql("SELECT value FROM ir_config_parameter WHERE key = 'integria_crm.demo_api_key'")[0][0]
    process, url = start_server(args.port)
    try:
        uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(DB, "api_user", key, {})
        country_id = _sql("SELECT id FROM res_country WHERE code = 'ES'")[0][0]

        def lead_of(index, label):
            return _create_values(index, label, uid, country_id)

        paths = {
            "endpoint": lambda start, count: endpoint_batch(args.port, key, start, count),
            "json2": lambda start, count: json2_batch(args.port, key, lead_of, start, count),
            "xmlrpc": lambda start, count: xmlrpc_batch(url, key, lead_of, start, count),
        }
        # warm every path (registry, caches) before measuring
        for batch in paths.values():
            batch(-20, 10)
        memory_before = rss_mb(process)
        timings = dict.fromkeys(paths, 0.0)
        for start in range(0, args.leads, CHUNK):
            count = min(CHUNK, args.leads - start)
            for label, batch in paths.items():
                began = time.perf_counter()
                batch(start, count)
                timings[label] += time.perf_counter() - began
        memory_after = rss_mb(process)
    finally:
        process.terminate()
        process.wait(timeout=60)
    rates = {label: args.leads / timing for label, timing in timings.items()}
    print(f"leads per path: {args.leads}")
    print(f"include/api.php create_lead: {rates['endpoint']:.1f} leads/s ({timings['endpoint']:.1f} s)")
    print(f"JSON-2 crm.lead.create:      {rates['json2']:.1f} leads/s ({timings['json2']:.1f} s)")
    print(f"XML-RPC crm.lead.create:     {rates['xmlrpc']:.1f} leads/s ({timings['xmlrpc']:.1f} s)")
    print(
        f"ratio (time per lead, endpoint / JSON-2; goal <= 1.2, aim <= 1.0): {rates['json2'] / rates['endpoint']:.2f}"
    )
    print(
        f"ratio (time per lead, endpoint / XML-RPC; goal <= 1.2, aim <= 1.0): {rates['xmlrpc'] / rates['endpoint']:.2f}"
    )
    print(f"server RSS: {memory_before:.0f} MB before, {memory_after:.0f} MB after")


if __name__ == "__main__":
    main()
