"""The rate limit of the lead intake endpoint holds across worker processes:
a real Odoo started with ``--workers 2`` (its ``odoo`` console script, as in
production) gets a concurrent burst that both workers serve, and lets exactly
the limit through, because the counters live in PostgreSQL."""

import configparser
import os
import re
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from conftest import start_odoo

DEMO_API_KEY = "demo-integria-lead-intake-key-0000000001"
LIMIT = 10
BURST = 24


def _connect(conf):
    options = configparser.ConfigParser()
    options.read(conf)
    section = options["options"]
    return psycopg2.connect(
        dbname=os.environ["ODOO_TEST_DB"],
        host=section.get("db_host"),
        port=section.get("db_port"),
        user=section.get("db_user"),
    )


def _set_params(conf, values):
    with _connect(conf) as cnx, cnx.cursor() as cr:
        for key, value in values.items():
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, value],
            )
        cr.execute("DELETE FROM integria_lead_intake_rate")
    cnx.close()


@pytest.fixture
def workers_server(tmp_path):
    conf, db = os.environ.get("ODOO_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.fail("ODOO_CONF and ODOO_TEST_DB must name a configuration and a database with the demo data")
    _set_params(conf, {"integria_crm.lead_api_rate_limit": str(LIMIT), "integria_crm.lead_api_rate_window": "3600"})
    log = tmp_path / "odoo.log"
    odoo = Path(sys.executable).parent / "odoo"
    process, url = start_odoo(
        [str(odoo)], conf, db, "--workers", "2", "--logfile", str(log), "--log-handler", "werkzeug:INFO", log=log
    )
    yield url, log
    process.terminate()
    process.wait(timeout=60)
    _set_params(conf, {"integria_crm.lead_api_rate_limit": "60", "integria_crm.lead_api_rate_window": "60"})


def _post(url, index):
    body = (
        f"user=api_user&user_pass={DEMO_API_KEY}&op=create_lead"
        f"&params=Burst {index},Workers,burst{index}@workers.example"
    ).encode()
    request = urllib.request.Request(f"{url}/integria/include/api.php", data=body)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_burst_split_across_workers_is_limited(workers_server):
    url, log = workers_server
    if time.time() % 3600 > 3500:  # not across the boundary of a rate window
        time.sleep(3600 - time.time() % 3600 + 1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda index: _post(url, index), range(BURST)))
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == BURST - LIMIT, statuses
    # both worker processes served part of the burst (Odoo logs carry the pid)
    time.sleep(1)
    pids = set(re.findall(r"^\S+ \S+ (\d+) INFO .*include/api\.php", log.read_text(), re.MULTILINE))
    assert len(pids) >= 2, f"one process served the whole burst: {pids}"
