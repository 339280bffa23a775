"""The examples of examples/ run against a real Odoo with the demo data: the
Python client (XML-RPC and JSON-2 and the endpoint), the curl line, and the
manual's PHP form adapted to the endpoint, served by PHP's built-in server."""

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import _free_port

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def admin(odoo_server):
    return odoo_server.login("admin", "admin")


def _lead_count(admin, domain):
    return admin.call("crm.lead", "search_count", domain, context={"active_test": False})


def test_python_client(odoo_server, admin, demo_api_key):
    before = _lead_count(admin, [("create_uid.login", "=", "api_user")])
    result = subprocess.run(
        [sys.executable, EXAMPLES / "lead_intake_client.py", "--url", odoo_server.url, "--db", odoo_server.db,
         "--login", "api_user", "--key", demo_api_key],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    lines = dict(line.rsplit(": ", 1) for line in result.stdout.splitlines())
    assert lines["json-2 create_integria_lead again"] == lines["json-2 create_integria_lead"], "the same lead"
    assert lines["include/api.php"].startswith("answer 1, lead ")
    assert lines["xmlrpc create_integria_lead (until Odoo 20)"].startswith("lead ")
    assert _lead_count(admin, [("create_uid.login", "=", "api_user")]) == before + 4
    assert _lead_count(admin, [("partner_name", "=", "Talleres López, S.L.")]) >= 1


def test_curl_line(odoo_server, admin, demo_api_key):
    result = subprocess.run(
        [EXAMPLES / "create_lead.sh"],
        env={**os.environ, "ODOO_URL": odoo_server.url, "API_KEY": demo_api_key},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout == "1", "Integria's answer, byte for byte"


def test_php_form(odoo_server, admin, demo_api_key):
    php = shutil.which("php")
    if not php:
        pytest.skip("php is not installed (scripts/common.sh installs php-cli and php-curl)")
    port = _free_port()
    email = f"pilar.{uuid.uuid4().hex[:8]}@php.example"  # a fresh lead on a reused database too
    server = subprocess.Popen(
        [php, "-S", f"127.0.0.1:{port}", str(EXAMPLES / "lead_form.php")],
        env={**os.environ, "ODOO_URL": f"{odoo_server.url}/integria", "API_KEY": demo_api_key},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        form = None
        for _attempt in range(50):
            try:
                form = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert form and "Integria IMS Lead form" in form
        data = urllib.parse.urlencode(
            {"name": "Pilar Ruiz", "email": email, "company": "Ruiz, Hermanos", "role": "CEO",
             "country": "Spain", "comments": "From the PHP form, with a comma, and <b>HTML</b>"}
        ).encode()  # fmt: skip
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", data=data, timeout=60).read().decode()
        assert "Thank you!" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
    [lead] = admin.call("crm.lead", "search_read", [("email_from", "=", email)], fields=["partner_name", "function"])
    assert (lead["partner_name"], lead["function"]) == ("Ruiz, Hermanos", "CEO")
