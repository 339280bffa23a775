"""The lead form of Integria's manual, unchanged but for its URL
(tests/fixtures/manual_lead_form.php), served by PHP's built-in server
against a running Odoo: the form sends only ``user=api_user`` (the manual's
set-up, here from a trusted address), calls the API on every page view, and
never reads the answer. A visitor's accent and a country Odoo does not know
reach the lead; page views do not count against the rate limit."""

import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import _free_port
from test_lead_intake_workers import _query, _set_params

FORM = Path(__file__).resolve().parent / "fixtures" / "manual_lead_form.php"
PAGE_VIEWS = 6


@pytest.fixture
def manual_form(odoo_server):
    php = shutil.which("php")
    if not php:
        pytest.skip("php is not installed (scripts/common.sh installs php-cli and php-curl)")
    conf = os.environ["ODOO_CONF"]
    # a limit below the page views: were they counted, the visitor's lead would be refused
    _set_params(
        conf,
        {
            "integria_crm.lead_api_trusted_ips": "127.0.0.1",
            "integria_crm.lead_api_rate_limit": str(PAGE_VIEWS - 2),
            "integria_crm.lead_api_rate_window": "3600",
        },
    )
    port = _free_port()
    server = subprocess.Popen(
        [php, "-S", f"127.0.0.1:{port}", str(FORM)],
        env={**os.environ, "ODOO_URL": f"{odoo_server.url}/integria"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _attempt in range(50):
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        yield conf, url
    finally:
        server.terminate()
        server.wait(timeout=10)
        _set_params(
            conf,
            {
                "integria_crm.lead_api_trusted_ips": "",
                "integria_crm.lead_api_rate_limit": "60",
                "integria_crm.lead_api_rate_window": "60",
            },
        )


def test_accent_and_unknown_country_reach_the_lead(manual_form):
    conf, url = manual_form
    _query(conf, "DELETE FROM integria_lead_intake_rate")
    for _view in range(PAGE_VIEWS):
        assert "Integria IMS Lead form" in urllib.request.urlopen(url, timeout=30).read().decode()
    email = f"jose.{uuid.uuid4().hex[:8]}@manual.example"
    visitor = {"name": "José Muñoz", "email": email, "company": "Muñoz, Hermanos", "role": "Gerente",
               "country": "Atlantis", "comment": "¿Precio?"}  # fmt: skip
    page = urllib.request.urlopen(url, data=urllib.parse.urlencode(visitor).encode(), timeout=60).read().decode()
    assert "Integria IMS Lead form" in page
    [(name, company, function, country_id, country_text)] = _query(
        conf,
        "SELECT contact_name, partner_name, function, country_id, integria_country_text FROM crm_lead "
        "WHERE email_from = %s",
        [email],
    )
    assert (name, company, function) == ("José Muñoz", "Muñoz, Hermanos", "Gerente")
    assert (country_id, country_text) == (None, "Atlantis")
    [(hits,)] = _query(conf, "SELECT sum(hits) FROM integria_lead_intake_rate WHERE bucket = 'ip:127.0.0.1'")
    assert hits == 1, "page views are not counted"
