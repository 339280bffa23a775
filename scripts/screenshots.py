#!/usr/bin/env python3
"""Take the README's screenshots from a running demo server, as its users see it.

    scripts/run.sh &                     # the demo on http://127.0.0.1:8069
    python3 scripts/screenshots.py [URL] [DB]

Logs in over JSON-RPC, hands the session cookie to a headless Chromium
through its DevTools protocol, opens each page and saves a PNG in
docs/screenshots/. The Spanish documents are real PDFs of the demo turned
into pictures with pdftoppm: the script first adds Spanish to the database
if it is missing (as Settings > Languages would), prints the paid invoice
15/1000 in Spanish and gives the invoice footer its Spanish text.
"""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
# (file, login, path): the menus are reached by their actions
PAGES = [
    ("companies-user1.png", "user1", "/odoo/action-integria_crm.action_integria_crm_company"),
    ("contract-manager1.png", "manager1", "/odoo/action-integria_crm.action_integria_contract"),
    ("invoice-user1.png", "user1", "/odoo/action-integria_crm.action_integria_invoice"),
    ("contract-type-manager1.png", "manager1", "/odoo/action-integria_crm.action_integria_contract_type"),
    ("company-custom-fields-manager1.png", "manager1", "/odoo/action-integria_crm.action_integria_crm_custom_fields"),
    ("settings-admin.png", "admin", "/odoo/action-integria_crm.action_integria_crm_config_settings"),
    ("portal-contracts-ana.png", "ana.garcia", "/my/integria/contracts"),
    ("portal-invoices-ana.png", "ana.garcia", "/my/integria/invoices"),
    ("portal-contract-ana.png", "ana.garcia", "/my/integria/contracts"),
]
# lists whose first record is opened
OPEN_FIRST = ("contract-manager1.png", "invoice-user1.png", "contract-type-manager1.png")
# portal lists whose first record is opened
PORTAL_OPEN_FIRST = ("portal-contract-ana.png",)
SPANISH_FOOTER = "Transferencia a ES91 2100 0418 4502 0005 1332 · Gracias por su confianza."


def call(url, db, login, model, method, *args, **kwargs):
    """Call a model method over JSON-RPC as ``login`` (the demo's password is the login)."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [db, login, login, model, method, list(args), kwargs],
        },
    }
    uid = _uid(url, db, login)
    payload["params"]["args"][1] = uid
    request = urllib.request.Request(
        f"{url}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]


def _uid(url, db, login):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": "common", "method": "authenticate", "args": [db, login, login, {}]},
    }
    request = urllib.request.Request(
        f"{url}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["result"]


def prepare_spanish(url, db):
    """Add Spanish, print the paid invoice 15/1000 in Spanish, translate the invoice footer."""
    languages = call(url, db, "admin", "res.lang", "search", [("code", "=", "es_ES"), ("active", "in", [True, False])])
    wizard = call(url, db, "admin", "base.language.install", "create", {"lang_ids": [(6, 0, languages)]})
    call(url, db, "admin", "base.language.install", "lang_install", [wizard])
    invoice = call(url, db, "admin", "integria.invoice", "search", [("number", "=", "15/1000")])
    call(url, db, "admin", "integria.invoice", "write", invoice, {"lang": "es_ES"})
    company = call(url, db, "admin", "res.company", "search", [], limit=1)
    call(
        url,
        db,
        "admin",
        "res.company",
        "update_field_translations",
        company,
        "integria_invoice_footer",
        {"es_ES": SPANISH_FOOTER},
    )
    return invoice[0]


def pdf_pictures(url, db):
    """Save the Spanish certificate of the contract Support 24x7 and the Spanish invoice 15/1000 as pictures."""
    invoice = prepare_spanish(url, db)
    contract = call(url, db, "user1", "integria.contract", "search", [("name", "=", "Support 24x7")])[0]
    template = call(
        url, db, "user1", "integria.contract.template", "search", [("lang_id.code", "=", "es_ES")], limit=1
    )[0]
    options = urllib.parse.quote(json.dumps({"template_id": template}))
    documents = [
        (
            "certificate-es.png",
            f"/report/pdf/integria_crm.report_integria_contract_document/{contract}?options={options}",
        ),
        ("invoice-es.png", f"/report/pdf/integria_crm.report_integria_invoice/{invoice}"),
    ]
    cookie = f"session_id={session_id(url, db, 'user1')}"
    for name, path in documents:
        request = urllib.request.Request(url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response, tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "document.pdf"
            pdf.write_bytes(response.read())
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(Path(folder) / "page")], check=True
            )
            shutil.copy(Path(folder) / "page.png", SHOTS / name)
        print(f"saved docs/screenshots/{name} as user1")


def session_id(url, db, login):
    payload = {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        cookie = response.headers.get("Set-Cookie", "")
    return cookie.split("session_id=")[1].split(";")[0]


class Chrome:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--window-size=1400,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as response:
                    target = next(t for t in json.load(response) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.socket = websocket.create_connection(target["webSocketDebuggerUrl"])
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def wait_for(self, selector, timeout=90):
        """Wait until the page shows an element matching ``selector``."""
        deadline = time.monotonic() + timeout
        expression = f"!!document.querySelector({json.dumps(selector)})"
        while time.monotonic() < deadline:
            if self.call("Runtime.evaluate", expression=expression).get("result", {}).get("value"):
                time.sleep(1.5)  # let images and the chatter settle
                return
            time.sleep(0.5)
        raise TimeoutError(f"{selector} did not show up")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8069"
    db = sys.argv[2] if len(sys.argv) > 2 else "integria_crm"
    SHOTS.mkdir(parents=True, exist_ok=True)
    chrome = Chrome()
    try:
        chrome.call("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1, mobile=False)
        for name, login, path in PAGES:
            chrome.call("Network.clearBrowserCookies")
            chrome.call("Network.setCookie", name="session_id", value=session_id(url, db, login), url=url)
            chrome.call("Page.navigate", url=url + path)
            chrome.wait_for(
                ".o_list_view .o_data_row, .o_form_view .o_form_sheet, .o_form_view .o_setting_box, "
                ".o_portal_my_doc_table"
            )
            if name in OPEN_FIRST:
                # open the first record of the list
                chrome.call(
                    "Runtime.evaluate", expression="document.querySelector('.o_data_row .o_data_cell')?.click()"
                )
                chrome.wait_for(".o_form_view .o_form_sheet")
            if name in PORTAL_OPEN_FIRST:
                chrome.call(
                    "Runtime.evaluate", expression="document.querySelector('.o_integria_portal_contract a')?.click()"
                )
                chrome.wait_for(".o_integria_portal_contract_page")
            shot = chrome.call("Page.captureScreenshot", format="png")
            (SHOTS / name).write_bytes(base64.b64decode(shot["data"]))
            print(f"saved docs/screenshots/{name} as {login}")
    finally:
        chrome.close()
    pdf_pictures(url, db)


if __name__ == "__main__":
    main()
